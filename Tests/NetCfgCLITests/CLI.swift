import Foundation

/// Runs the built `netcfg` (.build/debug/netcfg, which `make test` builds first), or the one
/// NETCFG_TEST_BINARY names (`make asan` points it at the sanitized build).
struct CLI {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let binary = ProcessInfo.processInfo.environment["NETCFG_TEST_BINARY"]
    ?? repository.appendingPathComponent(".build/debug/netcfg").path

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The signal that ended it, if one did.
    var signal: Int32? = nil
  }

  static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
    let process = Process()
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
  }
}

/// A scratch root with netplan files, removed at the end.
final class Root {
  let path: String

  init(_ files: [String: String], mode: Int = 0o600) throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (inside, text) in files {
      let url = URL(fileURLWithPath: path + inside)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
      try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func read(_ inside: String) throws -> String { try String(contentsOfFile: path + inside, encoding: .utf8) }
}

func json(_ text: String) throws -> [String: Any] {
  try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
}
