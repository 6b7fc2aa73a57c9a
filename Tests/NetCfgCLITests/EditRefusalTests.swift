import Foundation
import Testing

/// Bad arguments and edits that could not take effect: refused with a message naming the
/// problem, every file byte-identical.
@Suite struct EditRefusalTests {
  struct Bad: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var status: Int32 = 64
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let bad: [Bad] = [
    Bad(arguments: ["set-ip", "ens33", "192.168.100.300/24"], message: "malformed address '192.168.100.300/24'"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140"], message: "is missing /prefixlength"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/33"], message: "invalid prefix length"),
    Bad(arguments: ["set-ip", "ens33", "2001:db8::1/129"], message: "invalid prefix length"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/24", "--gateway", "192.168.100.0"], message: "network address"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/24", "--gateway", "192.168.100.255"], message: "broadcast address"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/24", "--gateway", "10.0.0.1"], message: "not on any subnet of ens33"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/24", "--dns", "8.8.8"], message: "DNS server '8.8.8'"),
    Bad(arguments: ["set-ip", "ens33", "192.168.100.140/24", "--gateway", "192.168.100.1.1"], message: "is not an IP address"),
    Bad(arguments: ["set-ip", "an-interface-name-too-long", "192.0.2.1/24"], message: "longer than 15 bytes"),
    Bad(arguments: ["set-ip", "eth/0", "192.0.2.1/24"], message: "contains '/'"),
    Bad(arguments: ["set-ip", "eth 0", "192.0.2.1/24"], message: "contains whitespace"),
    Bad(arguments: ["gateway", "ens33", "300.1.1.1"], message: "is not an IP address"),
    Bad(arguments: ["dns", "set", "1.1.1.1"], message: "say where: --interface IFACE"),
    Bad(arguments: ["set", "ethernets.ens33.mtu"], message: "expected KEY=VALUE"),
    Bad(arguments: ["set-ip", "ens33", "192.0.2.1/24", "--file", "../evil.yaml"], message: "--file must name a .yaml file in /etc/netplan"),
    Bad(arguments: ["set-ip", "ens33", "192.0.2.1/24", "--file", "/run/netplan/x.yaml"], message: "netcfg never writes /lib or /run"),
    Bad(arguments: ["set", "ethernets.ens33.mtu=abc"], message: "would be invalid", status: 65),
  ]

  @Test(arguments: bad)
  func refusedAndNothingWritten(_ b: Bad) throws {
    let root = try NetplanRoots.copy("examples/vm")
    let before = NetplanRoots.snapshot(root)
    let result = try CLI.run(b.arguments + ["--root", root.path])
    #expect(result.status == b.status, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains(b.message), "\(result.stderr)")
    #expect(NetplanRoots.snapshot(root) == before)
  }

  @Test func onLinkAllowsAGatewayOutsideTheSubnet() throws {
    let root = try NetplanRoots.copy("examples/vm")
    let result = try CLI.run(["set-ip", "ens33", "192.168.100.140/24", "--gateway", "10.0.0.1", "--on-link", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml").contains("on-link: true"))
  }

  @Test func anEditShadowedByRunIsRefusedUnlessAFileIsNamed() throws {
    let root = try NetplanRoots.copy("layered")
    let before = NetplanRoots.snapshot(root)
    let shadowed = try CLI.run(["set", "ethernets.ens3.mtu=1400", "--root", root.path])
    #expect(shadowed.status == 1)
    #expect(shadowed.stderr.contains("would not take effect"))
    #expect(NetplanRoots.snapshot(root) == before)
    let forced = try CLI.run(["set", "ethernets.ens3.mtu=1400", "--file", "50-cloud-init.yaml", "--root", root.path])
    #expect(forced.status == 0)
    #expect(forced.stderr.contains("warning: this edit would not take effect"))
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml").contains("mtu: 1400"))
  }

  @Test func migrateKeepsTheRenderedRoutesAndFixesModes() throws {
    for fixture in ["examples/vm", "commented", "flow"] {
      let root = try NetplanRoots.copy(fixture)
      for path in NetplanRoots.snapshot(root).keys where path.hasPrefix("/etc/") {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root.path + path)
      }
      let rendered = try NetplanRoots.render(root)
      let result = try CLI.run(["migrate", "--root", root.path])
      #expect(result.status == 0, "\(fixture): \(result.stderr)")
      let text = NetplanRoots.snapshot(root).values.map { String(decoding: $0, as: UTF8.self) }.joined()
      #expect(!text.contains("gateway4") && !text.contains("gateway6"), "\(fixture)")
      let after = try NetplanRoots.render(root)
      #expect(after.keys.sorted() == rendered.keys.sorted())
      for (name, file) in rendered where name.hasSuffix(".network") {
        let old = NetworkFile(file), new = NetworkFile(after[name] ?? "")
        #expect(old.gateways == new.gateways && old.routes == new.routes && old.addresses == new.addresses, "\(fixture) \(name)")
      }
      for path in NetplanRoots.snapshot(root).keys where path.hasPrefix("/etc/") {
        let mode = try FileManager.default.attributesOfItem(atPath: root.path + path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "\(path)")
      }
      #expect(try CLI.run(["migrate", "--root", root.path]).stdout == "unchanged\n")
    }
  }
}
