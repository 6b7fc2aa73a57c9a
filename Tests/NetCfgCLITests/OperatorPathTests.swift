import Foundation
import Testing

/// The operator's path through the built binary: typos, argument habits, idempotent adds.
@Suite struct OperatorPathTests {
  static let vm = """
    network:
      version: 2
      ethernets:
        ens33:
          dhcp4: true

    """

  @Test(arguments: [
    ["set-ip", "ens3", "192.168.100.140/24", "--gateway", "192.168.100.1"],
    ["set-ip", "ENS33", "192.168.100.140/24"],
    ["set", "ethernets.ens3.mtu=9000"],
    ["dhcp", "ens3"],
    ["gateway", "ens3", "192.168.100.1"],
    ["dns", "set", "192.0.2.53", "--interface", "ens3"],
  ])
  func aTypoIsRefusedWithTheCloseNames(_ arguments: [String]) throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(arguments + ["--root", root.path])
    #expect(run.status == 64, "\(run.stdout)")
    #expect(run.stderr.contains("did you mean ens33?"), "\(run.stderr)")
    #expect(run.stderr.contains("--new"))
    #expect(!FileManager.default.fileExists(atPath: root.path + "/etc/netplan/90-netcfg.yaml"))
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml") == Self.vm)
  }

  @Test(arguments: [["--new"], ["--file", "60-lab.yaml"]])
  func aNewDefinitionOnPurpose(_ how: [String]) throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(["set-ip", "ens3", "192.168.100.140/24", "--root", root.path] + how)
    #expect(run.status == 0, "\(run.stderr)")
    let file = how.count == 2 ? "/etc/netplan/60-lab.yaml" : "/etc/netplan/90-netcfg.yaml"
    #expect(try root.read(file).contains("ens3:"))
    #expect(try CLI.run(["show", "ens3", "--root", root.path]).status == 0)
  }
}
