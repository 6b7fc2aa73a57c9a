import NetCfgYAML

/// The netplan directories, lowest precedence first.
public enum NetplanDirectory: String, Sendable, Hashable, CaseIterable, Comparable {
  case lib = "/lib/netplan"
  case etc = "/etc/netplan"
  case run = "/run/netplan"

  var rank: Int { NetplanDirectory.allCases.firstIndex(of: self)! }
  public static func < (a: NetplanDirectory, b: NetplanDirectory) -> Bool { a.rank < b.rank }
}

/// One netplan file as found on disk.
public struct NetplanSourceFile: Sendable {
  /// Path as seen inside the root (`/etc/netplan/50-cloud-init.yaml`).
  public var path: String
  public var directory: NetplanDirectory
  public var name: String
  public var bytes: [UInt8]
  public var info: FileInfo?
  /// The file that replaces this one whole (same name in a directory of higher precedence).
  public var shadowedBy: String?
}

/// The files netplan reads, in the order it reads them: every `*.yaml` of /lib, /etc and /run
/// netplan, a name in /run replacing the same name in /etc and /lib, all sorted by name.
public struct NetplanHierarchy: Sendable {
  /// The files in force, in netplan order (later ones amend earlier ones).
  public var files: [NetplanSourceFile]
  /// Files replaced whole by a file of the same name in a directory of higher precedence.
  public var shadowed: [NetplanSourceFile]

  public init(files: [NetplanSourceFile], shadowed: [NetplanSourceFile] = []) {
    self.files = files
    self.shadowed = shadowed
  }

  /// Reads the hierarchy below `fs.root`.
  public static func load(_ fs: FileSystem) throws(FileSystemError) -> NetplanHierarchy {
    var found: [NetplanSourceFile] = []
    for directory in NetplanDirectory.allCases {
      for name in try fs.list(directory.rawValue) ?? [] where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
        let path = directory.rawValue + "/" + name
        guard let info = fs.info(path), info.isRegular, let bytes = try fs.read(path, limit: NetplanConfiguration.maximumFileSize) else { continue }
        found.append(NetplanSourceFile(path: path, directory: directory, name: name, bytes: bytes, info: info))
      }
    }
    return arranging(found)
  }

  /// Puts files in netplan's order: by name; of several with one name, the one in the
  /// directory of highest precedence is in force and shadows the others.
  public static func arranging(_ all: [NetplanSourceFile]) -> NetplanHierarchy {
    var byName: [String: [NetplanSourceFile]] = [:]
    for file in all { byName[file.name, default: []].append(file) }
    var files: [NetplanSourceFile] = []
    var shadowed: [NetplanSourceFile] = []
    for name in byName.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
      let versions = byName[name]!.sorted { $0.directory < $1.directory }
      var winner = versions.last!
      winner.shadowedBy = nil
      files.append(winner)
      for var loser in versions.dropLast() {
        loser.shadowedBy = winner.path
        shadowed.append(loser)
      }
    }
    return NetplanHierarchy(files: files, shadowed: shadowed)
  }
}
