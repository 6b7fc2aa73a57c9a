import Glibc
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// The warnings netcfg gives beyond netplan, each at the line that causes it.
@Suite struct NetplanWarningsTests {
  func load(_ files: [(String, String)], mode: mode_t = 0o600) -> NetplanConfiguration {
    let sources = files.map { path, text in
      let dir = NetplanDirectory.allCases.first { path.hasPrefix($0.rawValue) }!
      return NetplanSourceFile(
        path: path, directory: dir, name: String(path.split(separator: "/").last!), bytes: Array(text.utf8),
        info: FileInfo(mode: mode, owner: 0, group: 0, isRegular: true, isDirectory: false, isSymlink: false))
    }
    return NetplanConfiguration.load(NetplanHierarchy(files: sources.sorted { $0.name < $1.name }))
  }

  func codes(_ config: NetplanConfiguration) -> [String: [Int]] {
    var out: [String: [Int]] = [:]
    for d in config.diagnostics where d.severity == .warning { out[d.code, default: []].append(d.location?.line ?? 0) }
    return out
  }

  @Test func gatewayOffSubnetDeprecatedGatewayAndDHCPWithStatic() {
    let config = load([("/etc/netplan/a.yaml", """
      network:
        version: 2
        ethernets:
          eth0:
            dhcp4: true
            addresses: [192.0.2.10/24]
            gateway4: 198.51.100.1
          eth1:
            addresses: [203.0.113.5/24]
            routes:
              - to: default
                via: 203.0.113.1
              - to: default
                via: 198.51.100.1
                on-link: true
      """)])
    let found = codes(config)
    #expect(found["dhcp-and-static"] == [5])
    #expect(found["deprecated-gateway"] == [7])
    #expect(found["gateway-off-subnet"] == nil)  // eth0 has DHCP; eth1's second route is on-link
    // eth0 gateway4 comes first; both of eth1 default routes repeat it (same table and metric).
    #expect(found["two-default-routes"] == [11, 13])
  }

  @Test func gatewayNotOnAnySubnet() {
    let config = load([("/etc/netplan/a.yaml", """
      network:
        ethernets:
          eth0:
            addresses: [192.0.2.10/24]
            routes: [{to: default, via: 192.0.3.1}]
      """)])
    #expect(codes(config)["gateway-off-subnet"] == [5])
    #expect(config.diagnostics.first { $0.code == "gateway-off-subnet" }?.message
      == "eth0: gateway 192.0.3.1 is not on any subnet of the device's addresses")
  }

  @Test func duplicateAndOverlappingAddresses() {
    let config = load([("/etc/netplan/a.yaml", """
      network:
        ethernets:
          eth0:
            addresses: [192.0.2.10/24, 2001:db8::1/64]
          eth1:
            addresses:
              - 192.0.2.10/24
              - 192.0.2.200/25
          eth2:
            addresses: [2001:db8::2/64, 198.51.100.1/24]
      """)])
    let found = codes(config)
    #expect(found["duplicate-address"] == [7])
    #expect(found["overlapping-subnets"]?.sorted() == [7, 8, 10])
  }

  @Test func fileModeCloudInitAndRunShadowing() {
    let config = load([
      ("/etc/netplan/50-cloud-init.yaml", "network:\n  ethernets:\n    ens3:\n      dhcp4: true\n      mtu: 1500\n"),
      ("/run/netplan/90-override.yaml", "network:\n  ethernets:\n    ens3:\n      mtu: 9000\n"),
    ], mode: 0o644)
    let found = codes(config)
    #expect(found["file-mode"]?.count == 2)
    #expect(found["cloud-init-owned"] == [1])
    #expect(found["shadowed-by-run"] == [3])
    #expect(config.diagnostics.first { $0.code == "shadowed-by-run" }?.message.contains("mtu") == true)
  }

  /// cloud-init's header marks its file under any name (an installer may have renamed it);
  /// the same words further down, past the head, do not.
  @Test func cloudInitHeaderUnderAnotherName() {
    let header = "# This file is generated from information provided by the datasource.  Changes\n"
    let body = "network:\n  ethernets:\n    ens3:\n      dhcp4: true\n"
    let padding = String(repeating: "# padding\n", count: 50)
    let config = load([
      ("/etc/netplan/00-installer-config.yaml", header + body),
      ("/etc/netplan/60-later.yaml", padding + header + body),
    ])
    #expect(codes(config)["cloud-init-owned"] == [1])
    #expect(config.diagnostics.first { $0.code == "cloud-init-owned" }?.location?.file == "/etc/netplan/00-installer-config.yaml")
  }

  @Test func cleanConfigHasNoWarnings() {
    let config = load([("/etc/netplan/01-netcfg.yaml", """
      network:
        version: 2
        ethernets:
          ens33:
            dhcp4: false
            addresses: [192.0.2.140/24]
            routes: [{to: default, via: 192.0.2.1}]
            nameservers: {addresses: [192.0.2.53]}
      """)])
    #expect(config.diagnostics.isEmpty, Comment(rawValue: config.diagnostics.map(\.description).joined(separator: "\n")))
  }
}
