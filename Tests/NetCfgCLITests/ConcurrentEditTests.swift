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
  }
}
