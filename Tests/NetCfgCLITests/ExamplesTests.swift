import Foundation
import Testing

/// The example roots and the node provisioning script.
@Suite struct ExamplesTests {
  @Test(arguments: ["examples/vm", "examples/k8s-node", "examples/nm-desktop"])
  func exampleRootsAreValidAndRender(_ example: String) throws {
    let root = try NetplanRoots.copy(example)
    let result = try CLI.run(["validate", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try !NetplanRoots.render(root).isEmpty)
  }

  @Test func provisionNodeIsIdempotentAndRendersTheNode() throws {
    let root = try NetplanRoots.copy("examples/k8s-node")
    let script = CLI.repository.appendingPathComponent("examples/provision-node.sh").path
    func provision() throws -> Int32 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/bash")
      p.arguments = [script, "vlan10", "10.10.0.21/24", "10.10.0.1", "10.10.0.53", "cluster.local", "--root", root.path]
      p.environment = ProcessInfo.processInfo.environment.merging(["NETCFG": CLI.binary]) { _, new in new }
      p.standardOutput = Pipe()
      p.standardError = Pipe()
      try p.run()
      p.waitUntilExit()
      return p.terminationStatus
    }
    #expect(try provision() == 0)
    let first = NetplanRoots.snapshot(root)
    let cloud = try root.read("/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg")
    #expect(cloud.contains("network: {config: disabled}"))
    #expect(try root.read("/etc/systemd/resolved.conf.d/90-netcfg.conf").contains("DNS=10.10.0.53"))
    #expect(try provision() == 0)
    #expect(NetplanRoots.snapshot(root) == first, "the second run changed something")
    let network = NetworkFile(try #require(try NetplanRoots.render(root)["10-netplan-vlan10.network"]))
    #expect(network.addresses == ["10.10.0.21/24"] && network.gateways == ["10.10.0.1"] && network.dns == ["10.10.0.53"])
  }
}
