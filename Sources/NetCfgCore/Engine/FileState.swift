#if canImport(Glibc)
  import Glibc
#endif

/// Everything needed to put one path back exactly as it was: its bytes, mode and owner, the
/// target of a link, or its absence.
public enum FileState: Sendable, Equatable {
  case absent
  case file(bytes: [UInt8], mode: mode_t, owner: uid_t, group: gid_t)
  case symlink(target: String)

  /// The state of `path` now (a link is recorded as a link, never followed).
  public static func capture(_ path: String, _ fs: FileSystem) throws(FileSystemError) -> FileState {
    guard fs.exists(path) else { return .absent }
    if let target = fs.linkTarget(path) { return .symlink(target: target) }
    guard let bytes = try fs.read(path), let mode = fs.mode(path), let (uid, gid) = fs.owner(path) else {
      return .absent
    }
    return .file(bytes: bytes, mode: mode, owner: uid, group: gid)
  }

  /// The mode a file goes back with: its own, except that a netplan file (which may hold
  /// wifi and VPN secrets) is never made readable by others again (netplan itself warns
  /// about such files, and netcfg writes them 0600).
  static func restoredMode(_ path: String, _ mode: mode_t) -> mode_t {
    NetplanDirectory.allCases.contains { path.hasPrefix($0.rawValue + "/") } ? mode & ~0o077 : mode
  }

  /// Puts `path` back in this state (atomically for files and links).
  public func restore(_ path: String, _ fs: FileSystem) throws(FileSystemError) {
    switch self {
    case .absent:
      try fs.remove(path)
    case .symlink(let target):
      try fs.symlink(path, to: target)
    case .file(let bytes, let mode, let uid, let gid):
      if fs.linkTarget(path) != nil { try fs.remove(path) }
      try fs.writeAtomically(path, bytes, mode: FileState.restoredMode(path, mode), owner: (uid, gid))
    }
  }
}

/// A set of paths with their states: what a transaction journals before it writes, and what a
/// generation of the history holds. Stored as plain files below a directory: `manifest` (one
/// line a path), `content/N` (the bytes of the N-th file), `info` (KEY=VALUE lines).
public struct Snapshot: Sendable, Equatable {
  public var states: [(path: String, state: FileState)]
  public var info: [String: String]

  public init(states: [(path: String, state: FileState)], info: [String: String] = [:]) {
    self.states = states
    self.info = info
  }

  public static func == (a: Snapshot, b: Snapshot) -> Bool {
    a.info == b.info && a.states.count == b.states.count
      && zip(a.states, b.states).allSatisfy { $0.path == $1.path && $0.state == $1.state }
  }

  /// Captures the current state of `paths`.
  public static func capture(_ paths: [String], _ fs: FileSystem, info: [String: String] = [:]) throws(FileSystemError) -> Snapshot {
    var states: [(String, FileState)] = []
    for path in paths { states.append((path, try FileState.capture(path, fs))) }
    return Snapshot(states: states, info: info)
  }

  /// Writes the snapshot below `directory` (created 0700), each file fsynced; the manifest
  /// last, so a snapshot without one was never complete.
  public func save(to directory: String, _ fs: FileSystem) throws(FileSystemError) {
    try fs.createDirectories(directory + "/content")
    try fs.chmod(directory, 0o700)
    var manifest = ""
    for (i, entry) in states.enumerated() {
      switch entry.state {
      case .absent:
        manifest += "absent\t-\t-\t-\t\(Snapshot.escape(entry.path))\n"
      case .symlink(let target):
        manifest += "link\t-\t-\t-\t\(Snapshot.escape(entry.path))\t\(Snapshot.escape(target))\n"
      case .file(let bytes, let mode, let uid, let gid):
        try fs.writeAtomically("\(directory)/content/\(i)", bytes, mode: 0o600)
        manifest += "file\t\(String(mode, radix: 8))\t\(uid)\t\(gid)\t\(Snapshot.escape(entry.path))\n"
      }
    }
    try Snapshot.saveInfo(info, to: directory, fs)
    try fs.writeAtomically(directory + "/manifest", Array(manifest.utf8), mode: 0o600)
  }

  /// Writes only the `info` of a snapshot below `directory` (atomically, fsynced).
  static func saveInfo(_ info: [String: String], to directory: String, _ fs: FileSystem) throws(FileSystemError) {
    let text = info.sorted { $0.key < $1.key }.map { "\($0.key)=\(Snapshot.escape($0.value))\n" }.joined()
    try fs.writeAtomically(directory + "/info", Array(text.utf8), mode: 0o600)
  }

  /// Removes a snapshot saved below `directory`: the manifest first, so that what a crash
  /// leaves is no snapshot at all.
  static func discard(_ directory: String, _ fs: FileSystem) {
    try? fs.remove(directory + "/manifest")
    fs.removeTree(directory)
  }

  /// Reads a snapshot saved by `save`; nil when there is none (or it was never completed).
  public static func load(from directory: String, _ fs: FileSystem) throws(FileSystemError) -> Snapshot? {
    guard let manifest = try fs.read(directory + "/manifest") else { return nil }
    var states: [(String, FileState)] = []
    for (i, line) in String(decoding: manifest, as: UTF8.self).split(separator: "\n").enumerated() {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 5 else { continue }
      let path = unescape(f[4])
      switch f[0] {
      case "absent": states.append((path, .absent))
      case "link": states.append((path, .symlink(target: unescape(f.count > 5 ? f[5] : ""))))
      default:
        let bytes = try fs.read("\(directory)/content/\(i)") ?? []
        states.append((path, .file(bytes: bytes, mode: mode_t(f[1], radix: 8) ?? 0o600, owner: uid_t(f[2]) ?? 0, group: gid_t(f[3]) ?? 0)))
      }
    }
    var info: [String: String] = [:]
    for line in String(decoding: try fs.read(directory + "/info") ?? [], as: UTF8.self).split(separator: "\n") {
      guard let eq = line.firstIndex(of: "=") else { continue }
      info[String(line[..<eq])] = unescape(String(line[line.index(after: eq)...]))
    }
    return Snapshot(states: states, info: info)
  }

  /// Restores every path (in order) whose state differs now; unchanged ones are not touched.
  public func restore(_ fs: FileSystem) throws(FileSystemError) {
    for entry in states where try FileState.capture(entry.path, fs) != entry.state {
      try entry.state.restore(entry.path, fs)
    }
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for ch in text {
      switch ch {
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      default: out.append(ch)
      }
    }
    return out
  }

  static func unescape(_ text: String) -> String {
    var out = ""
    var escaping = false
    for ch in text {
      if escaping {
        out.append(ch == "t" ? "\t" : ch == "n" ? "\n" : ch)
        escaping = false
      } else if ch == "\\" {
        escaping = true
      } else {
        out.append(ch)
      }
    }
    return out
  }
}
