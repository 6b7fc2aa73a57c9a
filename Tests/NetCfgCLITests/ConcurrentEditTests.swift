import Foundation
import Testing

/// Edits started at once on the same file: each waits for the one before it, so none is lost.
@Suite struct ConcurrentEditTests {
  @Test func twentyProcessesAddingNameserversLoseNothing() throws {
    let root = try Root([
      "/etc/netplan/50-a.yaml": "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true  # keep\n"
    ])
    // All twenty started before any is waited for.
    var running: [(Int, Process)] = []
    for i in 1...20 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.binary)
      process.arguments = ["set", "ethernets.eth0.nameservers.addresses+=192.0.2.\(i)", "--root", root.path, "-q"]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      running.append((i, process))
    }
    for (i, process) in running {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "process \(i) exited \(process.terminationStatus)")
    }
    let text = try root.read("/etc/netplan/50-a.yaml")
    #expect(text.contains("dhcp4: true  # keep"))
    let get = try CLI.run(["get", "ethernets.eth0.nameservers.addresses", "--root", root.path, "--json"])
    let value = try json(get.stdout)["value"] as? [String] ?? []
    #expect(Set(value) == Set((1...20).map { "192.0.2.\($0)" }), "\(text)")
    print("concurrency: 20 processes added 20 nameservers at once; \(value.count) of them are in the file")
  }

  /// A transaction held in progress (paused while its backend runs, by the test-only fault
  /// hook): a second one is refused at once with a clear message, and one that waits runs
  /// after it.
  @Test func aTransactionInProgressBlocksASecondOne() throws {
    let root = try Root([
      "/etc/netplan/50-a.yaml": "network:\n  version: 2\n  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24]\n"
    ])
    let trace = root.path + "/trace"
    let first = Process()
    first.executableURL = URL(fileURLWithPath: CLI.binary)
    first.arguments = ["apply", "--root", root.path, "-q"]
    var environment = ProcessInfo.processInfo.environment
    environment["NETCFG_TEST_FAULT"] = "backend-started#1"
    environment["NETCFG_TEST_FAULT_PAUSE"] = "3"
    environment["NETCFG_TEST_FAULT_TRACE"] = trace
    first.environment = environment
    first.standardInput = FileHandle.nullDevice
    try first.run()
    for _ in 0..<500 where !((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").contains("backend-started#1") {
      usleep(10_000)
    }
    let second = try CLI.run(["apply", "--root", root.path])
    #expect(second.status == 1)
    #expect(second.stderr.contains("another netcfg command (a transaction or an edit) is changing the files under"), "\(second.stderr)")
    #expect(second.stderr.contains("pass --wait SECONDS"), "\(second.stderr)")
    let rollback = try CLI.run(["rollback", "--to", "0", "--root", root.path])
    #expect(rollback.status == 1 && rollback.stderr.contains("another netcfg command"), "\(rollback.stderr)")
    let waiting = try CLI.run(["apply", "--root", root.path, "--wait", "30", "-q"])
    #expect(waiting.status == 0, "\(waiting.stderr)")
    #expect(waiting.stdout.isEmpty, "-q says only what went wrong: \(waiting.stdout)")
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    let history = try CLI.run(["history", "--root", root.path])
    #expect(history.stdout.split(separator: "\n").count == 2, "\(history.stdout)")
    print("concurrency: a transaction in progress refused a second apply and a rollback; one with --wait ran after it")
  }
}
