import Foundation
import Testing

/// DNS on a root like a stock Ubuntu server: stock resolved.conf with all its comments,
/// resolv.conf a link to resolved's stub file (dangling: /run is empty in an image).
@Suite struct DNSCommandTests {
  static let stub = "../run/systemd/resolve/stub-resolv.conf"

  func server() throws -> Root {
    let root = try NetplanRoots.copy("ubuntu-server")
    for file in ["/etc/systemd/resolved.conf", "/etc/cloud/cloud.cfg.d/90_dpkg.cfg"] {
      let text = try String(contentsOf: NetplanRoots.fixtures.appendingPathComponent("ubuntu-server" + file), encoding: .utf8)
      let url = URL(fileURLWithPath: root.path + file)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/resolv.conf", withDestinationPath: Self.stub)
    return root
  }

  func status(_ root: Root) throws -> [String: Any] {
    let result = try CLI.run(["dns", "status", "--json", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    return try json(result.stdout)
  }

  @Test func statusReportsTheStubLinkAndDHCPDNS() throws {
    let root = try server()
    let object = try status(root)
    let rc = try #require(object["resolv-conf"] as? [String: Any])
    #expect(rc["mode"] as? String == "stub")
    #expect(rc["owner"] as? String == "systemd-resolved")
    #expect(rc["target"] as? String == "/run/systemd/resolve/stub-resolv.conf")
    let interfaces = try #require(object["interfaces"] as? [[String: Any]])
    #expect(interfaces.first?["dhcp-dns"] as? Bool == true)
    let codes = (object["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    #expect(codes.contains("resolv-conf-managed") && codes.contains("dhcp-dns-in-parallel"))
  }

  @Test func globalDNSGoesToADropInAndTakesEffect() throws {
    let root = try server()
    let mainBefore = try root.read("/etc/systemd/resolved.conf")
    let result = try CLI.run(["dns", "set", "192.0.2.53", "198.51.100.53", "--global", "--search", "corp.example", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    let resolved = try #require(try status(root)["resolved"] as? [String: Any])
    #expect((resolved["dns"] as? [String: Any])?["values"] as? [String] == ["192.0.2.53", "198.51.100.53"])
    #expect((resolved["domains"] as? [String: Any])?["values"] as? [String] == ["corp.example"])
    #expect(try root.read("/etc/systemd/resolved.conf") == mainBefore)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/resolv.conf") == Self.stub)
    let again = try CLI.run(["dns", "set", "192.0.2.53", "198.51.100.53", "--global", "--search", "corp.example", "--root", root.path])
    #expect(again.stdout == "unchanged\n")
  }

  @Test func inPlaceUncommentsDNSAndKeepsEveryComment() throws {
    let root = try server()
    let before = try root.read("/etc/systemd/resolved.conf")
    let result = try CLI.run(["dns", "set", "192.0.2.53", "--global", "--in-place", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    let after = try root.read("/etc/systemd/resolved.conf")
    #expect(after == before.replacingOccurrences(of: "\n#DNS=\n", with: "\nDNS=192.0.2.53\n"))
    let resolved = try #require(try status(root)["resolved"] as? [String: Any])
    #expect((resolved["dns"] as? [String: Any])?["values"] as? [String] == ["192.0.2.53"])
    // A main-file value is replaced, not added to, by a later drop-in edit.
    _ = try CLI.run(["dns", "set", "198.51.100.1", "--global", "--root", root.path])
    let now = try #require(try status(root)["resolved"] as? [String: Any])
    #expect((now["dns"] as? [String: Any])?["values"] as? [String] == ["198.51.100.1"])
  }

  @Test func staticResolvConfNeedsForceAndRecordsTheLink() throws {
    let root = try server()
    let refused = try CLI.run(["dns", "set", "192.0.2.53", "--method", "resolv-conf", "--root", root.path])
    #expect(refused.status == 64 && refused.stderr.contains("--force"))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/resolv.conf") == Self.stub)
    let forced = try CLI.run(["dns", "set", "192.0.2.53", "192.0.2.54", "--method", "resolv-conf", "--force", "--search", "corp.example", "--root", root.path])
    #expect(forced.status == 0, "\(forced.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: root.path + "/etc/resolv.conf")
    #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    #expect(attributes[.posixPermissions] as? Int == 0o644)
    let text = try root.read("/etc/resolv.conf")
    #expect(text.contains("nameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example\n"))
    #expect(!FileManager.default.fileExists(atPath: root.path + "/run/systemd/resolve/stub-resolv.conf"))
    #expect(try root.read("/var/lib/netcfg/resolv.conf.link") == Self.stub + "\n")
    let rc = try #require(try status(root)["resolv-conf"] as? [String: Any])
    #expect(rc["mode"] as? String == "static")
    #expect(rc["nameservers"] as? [String] == ["192.0.2.53", "192.0.2.54"])
    let again = try CLI.run(["dns", "set", "192.0.2.53", "192.0.2.54", "--method", "resolv-conf", "--search", "corp.example", "--root", root.path])
    #expect(again.stdout == "unchanged\n")
  }

  @Test func interfaceDNSWithoutDHCPDNSRendersUseDNSFalse() throws {
    let root = try server()
    let result = try CLI.run(["dns", "set", "192.0.2.53", "--interface", "ens3", "--no-dhcp-dns", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    let network = try #require(try NetplanRoots.render(root)["10-netplan-ens3.network"])
    #expect(network.contains("DNS=192.0.2.53\n"))
    #expect(network.contains("UseDNS=false\n"))
    #expect(result.stderr.contains("written by cloud-init"))
  }

  @Test func cloudInitDisableNetworkIsIdempotentAndEndsTheWarning() throws {
    let root = try server()
    let first = try CLI.run(["cloud-init", "disable-network", "--root", root.path])
    #expect(first.status == 0 && first.stdout.contains("+network: {config: disabled}"))
    let path = root.path + "/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg"
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
    let second = try CLI.run(["cloud-init", "disable-network", "--root", root.path])
    #expect(second.stdout == "unchanged\n")
    let validate = try CLI.run(["validate", "--root", root.path])
    #expect(!validate.stderr.contains("written by cloud-init"))
  }
}
