import Testing
@testable import NetCfgCore
import NetCfgYAML

@Suite struct NetplanExplainTests {
  func config() throws -> NetplanConfiguration {
    let files: [(String, NetplanDirectory, String)] = [
      ("/etc/netplan/50-cloud-init.yaml", .etc, "network:\n  ethernets:\n    ens3:\n      mtu: 1500\n      addresses: [192.0.2.1/24]\n"),
      ("/run/netplan/50-cloud-init.yaml", .run, "network:\n  ethernets:\n    ens3:\n      mtu: 1400\n"),
      ("/etc/netplan/60-a.yaml", .etc, "network:\n  ethernets:\n    ens3:\n      mtu: 9000\n      addresses: [192.0.2.2/24]\n"),
      ("/run/netplan/70-b.yaml", .run, "network:\n  ethernets:\n    ens3:\n      mtu: 1280\n"),
    ]
    let sources = files.map { NetplanSourceFile(path: $0.0, directory: $0.1, name: String($0.0.split(separator: "/").last!), bytes: Array($0.2.utf8), info: nil) }
    return NetplanConfiguration.load(
      NetplanHierarchy(files: [sources[1], sources[2], sources[3]], shadowed: [sources[0].shadowed(by: sources[1].path)]))
  }

  @Test func scalarInForceOverriddenAndShadowed() throws {
    let config = try config()
    let found = NetplanExplainer.explain(try NetplanPath.parse("ethernets.ens3.mtu"), in: config)
    #expect(found.map(\.location.description) == [
      "/etc/netplan/50-cloud-init.yaml:4:7", "/run/netplan/50-cloud-init.yaml:4:7",
      "/etc/netplan/60-a.yaml:4:7", "/run/netplan/70-b.yaml:4:7",
    ])
    #expect(found[0].status == .fileShadowed(by: "/run/netplan/50-cloud-init.yaml"))
    #expect(found[1].status == .overridden(by: found[2].location))
    #expect(found[2].status == .overridden(by: found[3].location))
    #expect(found[3].status == .inForce)
    #expect(config.merged?.node(at: try NetplanPath.parse("ethernets.ens3.mtu"))?.scalar == "1280")
  }

  @Test func listsAreMergedAcrossFiles() throws {
    let config = try config()
    let path = try NetplanPath.parse("ethernets.ens3.addresses")
    let found = NetplanExplainer.explain(path, in: config)
    #expect(found.map(\.status) == [.fileShadowed(by: "/run/netplan/50-cloud-init.yaml"), .inForce])
    let merged = try #require(config.merged?.node(at: path))
    #expect(merged.value == .sequence([.string("192.0.2.2/24")]))
    // The value in force knows its history: the mtu was set in three files in force.
    let mtu = try #require(config.merged?.node(at: try NetplanPath.parse("ethernets.ens3.mtu")))
    #expect(mtu.contributions.map(\.scalar) == ["1400", "9000", "1280"])
    #expect(mtu.contributions.map(\.overridden) == [true, true, false])
  }
}

extension NetplanSourceFile {
  func shadowed(by path: String) -> NetplanSourceFile {
    var copy = self
    copy.shadowedBy = path
    return copy
  }
}
