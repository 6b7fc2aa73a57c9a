import Foundation

/// The real netplan generators the tests prove edits with: Debian's 0.106 and 1.1.2, built
/// from the tarball in Tests/Fixtures/netplan-1.1 into .build/netplan-1.1 the first time a
/// test needs it (`make test` builds it first). Test tooling only.
public enum NetplanGenerators {
  /// The versions, oldest first.
  public static let versions = ["0.106", "1.1"]

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The prefix of the 1.1 build (built when missing), or why it could not be built.
  static let build11: Result<String, GeneratorError> = {
    let prefix = repository.appendingPathComponent(".build/netplan-1.1").path
    if FileManager.default.isExecutableFile(atPath: prefix + "/libexec/netplan/generate") { return .success(prefix) }
    let script = repository.appendingPathComponent("Tests/Fixtures/netplan-1.1/build.sh").path
    let (status, output) = (try? run(script, [prefix], environment: [:])) ?? (-1, "cannot start \(script)")
    return status == 0 ? .success(prefix) : .failure(GeneratorError(message: "building netplan 1.1 failed: \(output)"))
  }()

  /// Runs `version`'s generator on `root` (`generate --root-dir ROOT`): its status and stderr.
  public static func generate(_ version: String, root: String) throws -> (status: Int32, stderr: String) {
    if version == "0.106" {
      let direct = "/usr/lib/netplan/generate"
      return FileManager.default.isExecutableFile(atPath: direct)
        ? try run(direct, ["--root-dir", root], environment: [:])
        : try run("/usr/sbin/netplan", ["generate", "--root-dir", root], environment: [:])
    }
    let prefix = try build11.get()
    let library = FileManager.default.enumerator(atPath: prefix + "/lib")?.compactMap { $0 as? String }
      .first { $0.hasSuffix("libnetplan.so.1") }.map { prefix + "/lib/" + ($0 as NSString).deletingLastPathComponent } ?? prefix + "/lib"
    return try run(prefix + "/libexec/netplan/generate", ["--root-dir", root], environment: ["LD_LIBRARY_PATH": library])
  }

  /// What `version` renders from `files` (path below the root → bytes, written 0600 in a
  /// scratch root): rendered path below the root (`/run/systemd/network/...`,
  /// `/run/NetworkManager/system-connections/...`) → text; a failure with netplan's stderr.
  public static func render(_ version: String, _ files: [(String, [UInt8])]) throws -> Result<[String: String], GeneratorError> {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-render-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    for (path, bytes) in files {
      let url = URL(fileURLWithPath: root + path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
    let (status, message) = try generate(version, root: root)
    guard status == 0 else { return .failure(GeneratorError(message: "netplan \(version): " + message)) }
    var out: [String: String] = [:]
    for dir in ["/run/systemd/network", "/run/NetworkManager/system-connections"] {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: root + dir)) ?? [] {
        out[dir + "/" + name] = try String(contentsOfFile: root + dir + "/" + name, encoding: .utf8)
      }
    }
    return .success(out)
  }

  /// The path of the `netplan` command of `version` (1.1: the built wrapper).
  public static func netplan(_ version: String) throws -> String {
    version == "0.106" ? "/usr/sbin/netplan" : try build11.get() + "/netplan"
  }

  static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
  }
}
