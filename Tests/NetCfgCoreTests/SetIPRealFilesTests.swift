import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// set-ip on the shapes real files have (routes in other tables, NetworkManager's own files,
/// a type's renderer, bridge members, `dhcp4: no`, the loopback): the exact text written,
/// and what the real netplan renders from it.
@Suite struct SetIPRealFilesTests {
  struct Outcome {
    var config: NetplanConfiguration
    var changes: ChangeSet
    var text: String
    var rendered: [String: String]
  }

  /// The configuration of one netplan file (in /etc/netplan unless `directory` says).
  func config(_ yaml: String, name: String = "01-net.yaml", directory: NetplanDirectory = .etc) -> NetplanConfiguration {
    let source = NetplanSourceFile(
      path: directory.rawValue + "/" + name, directory: directory, name: name, bytes: Array(yaml.utf8), info: nil)
    return NetplanConfiguration.load(NetplanHierarchy.arranging([source]))
  }

  /// Runs `request` on one /etc/netplan file; the result must render.
  func edit(_ yaml: String, name: String = "01-net.yaml", _ request: SetIPRequest) throws -> Outcome {
    let path = "/etc/netplan/" + name
    let config = config(yaml, name: name)
    #expect(!config.diagnostics.hasErrors, "\(config.diagnostics)")
    var editor = try NetplanEditor(config)
    let target = try request.plan(&editor)
    let changes = try editor.finish { request.verify($0, target) }
    let after = changes.files.first { $0.path == path }?.after ?? Array(yaml.utf8)
    let rendered = try NetplanRender.renderWithBoth([(path, after)])
    // Again: nothing to do.
    var again = try NetplanEditor(config.replacing([path: after]))
    let target2 = try request.plan(&again)
    #expect(try !again.finish { request.verify($0, target2) }.changed)
    return Outcome(config: config, changes: changes, text: String(decoding: after, as: UTF8.self), rendered: rendered)
  }

  func request(
    _ interface: String, _ address: String = "10.0.0.5/24", gateway: String? = "10.0.0.1", dns: [String]? = nil,
    force: Bool = false
  ) -> SetIPRequest {
    SetIPRequest(
      interface: interface, addresses: [InterfaceAddress(address)!], gateways: gateway.map { [IPAddress($0)!] } ?? [],
      dns: dns?.map { IPAddress($0)! }, force: force)
  }

  // MARK: 1. Routing tables

  @Test func aDefaultRouteInAnotherTableStaysAndTheMainOneIsAdded() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          enp1s0:
            dhcp4: true
            routes:
              - to: 0.0.0.0/0
                via: 192.168.0.1
                table: 100
              - to: 0.0.0.0/0
                type: blackhole
                metric: 500
            routing-policy:
              - from: 192.168.0.0/24
                table: 100

      """
    let out = try edit(yaml, request("enp1s0", dns: ["10.0.0.53"]))
    #expect(out.text == """
      network:
        version: 2
        ethernets:
          enp1s0:
            dhcp4: false
            routes:
              - to: 0.0.0.0/0
                via: 192.168.0.1
                table: 100
              - to: 0.0.0.0/0
                type: blackhole
                metric: 500
              - to: default
                via: 10.0.0.1
            routing-policy:
              - from: 192.168.0.0/24
                table: 100
            addresses:
              - 10.0.0.5/24
            nameservers:
              addresses:
                - 10.0.0.53

      """)
    let unit = try #require(out.rendered["/run/systemd/network/10-netplan-enp1s0.network"])
    #expect(NetplanRender.device("enp1s0", in: out.rendered) == .init(addresses: ["10.0.0.5/24"], gateways: ["10.0.0.1"], dns: ["10.0.0.53"]))
    #expect(unit.contains("[Route]\nDestination=0.0.0.0/0\nGateway=192.168.0.1\nTable=100\n"))
  }

  @Test func theMainTableDefaultRouteIsRewrittenInPlaceBesideATableOne() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          eth0:
            addresses: [192.168.0.10/24]
            routes:
              - {to: default, via: 192.168.0.1, table: 200}
              - {to: default, via: 192.168.0.1, table: 254}
              - {to: 10.9.0.0/16, via: 192.168.0.2, from: 192.168.0.10}

      """
    let out = try edit(yaml, request("eth0", "192.168.0.11/24", gateway: "192.168.0.254"))
    #expect(out.text == yaml.replacingOccurrences(of: "[192.168.0.10/24]", with: "[192.168.0.11/24]")
      .replacingOccurrences(of: "via: 192.168.0.1, table: 254", with: "via: 192.168.0.254, table: 254"))
    #expect(NetplanRender.device("eth0", in: out.rendered)?.gateways == ["192.168.0.254"])
  }

  // MARK: 2. NetworkManager's own files

  static let nmFile = """
    network:
      version: 2
      ethernets:
        NM-4a9b1c2d-1111-2222-3333-444455556666:
          renderer: NetworkManager
          match:
            name: "enp1s0"
          addresses:
          - "192.168.2.44/24"
          nameservers:
            addresses:
            - 192.168.2.1
          dhcp6: true
          networkmanager:
            uuid: "4a9b1c2d-1111-2222-3333-444455556666"
            name: "Wired connection 1"
            passthrough:
              ethernet._: ""
              ipv4.address1: "192.168.2.44/24,192.168.2.1"
              ipv4.dns: "192.168.2.1;"
              ipv4.method: "manual"
              ipv6.addr-gen-mode: "default"
              proxy._: ""

    """

  @Test(arguments: ["NM-4a9b1c2d-1111-2222-3333-444455556666", "enp1s0"])
  func aNetworkManagerFileGetsWhatWasAskedPassthroughIncluded(_ name: String) throws {
    let out = try edit(Self.nmFile, name: "90-NM-4a9b1c2d-1111-2222-3333-444455556666.yaml", request(name, dns: ["10.0.0.53"]))
    #expect(out.text == """
      network:
        version: 2
        ethernets:
          NM-4a9b1c2d-1111-2222-3333-444455556666:
            renderer: NetworkManager
            match:
              name: "enp1s0"
            addresses:
            - "10.0.0.5/24"
            nameservers:
              addresses:
              - 10.0.0.53
            dhcp6: true
            networkmanager:
              uuid: "4a9b1c2d-1111-2222-3333-444455556666"
              name: "Wired connection 1"
              passthrough:
                ethernet._: ""
                ipv4.method: "manual"
                ipv6.addr-gen-mode: "default"
                proxy._: ""
            routes:
            - to: default
              via: 10.0.0.1

      """)
    #expect(NetplanRender.device("NM-4a9b1c2d-1111-2222-3333-444455556666", in: out.rendered)
      == .init(addresses: ["10.0.0.5/24"], gateways: ["10.0.0.1"], dns: ["10.0.0.53"]))
    #expect(out.changes.diagnostics.contains { $0.code == "networkmanager-owned" })
  }

  @Test func aGatewayThePassthroughAddressCarriedStaysAsARoute() throws {
    let out = try edit(
      Self.nmFile, name: "90-NM-4a9b1c2d-1111-2222-3333-444455556666.yaml", request("enp1s0", "192.168.2.50/24", gateway: nil))
    #expect(out.text.contains("      routes:\n      - to: default\n        via: 192.168.2.1\n"))
    #expect(!out.text.contains("ipv4.address1"))
    #expect(out.text.contains("ipv4.dns: \"192.168.2.1;\""))
    #expect(NetplanRender.device("NM-4a9b1c2d-1111-2222-3333-444455556666", in: out.rendered)
      == .init(addresses: ["192.168.2.50/24"], gateways: ["192.168.2.1"], dns: ["192.168.2.1"]))
  }

  @Test func passthroughInAFileNetcfgDoesNotWriteMakesTheEditRefused() throws {
    var editor = try NetplanEditor(config(Self.nmFile, name: "90-NM-x.yaml", directory: .lib))
    let request = request("enp1s0", gateway: nil)
    let target = try request.plan(&editor)
    do {
      _ = try editor.finish { request.verify($0, target) }
      Issue.record("an edit that passthrough overrides went through")
    } catch {
      #expect(error.message.contains("passthrough ipv4.address1 (/lib/netplan/90-NM-x.yaml:19:11) overrides it"))
    }
  }

  @Test func passthroughThatDisagreesIsReportedAtItsKey() throws {
    let yaml = Self.nmFile.replacingOccurrences(of: "- \"192.168.2.44/24\"", with: "- \"192.168.2.45/24\"")
    let found = config(yaml, name: "90-NM-x.yaml").diagnostics.filter { $0.code == "passthrough-shadows" }
    #expect(found.count == 1)
    #expect(found.first?.location?.line == 19)
    #expect(found.first?.message.contains("ipv4.address1") == true)
    // The file as NetworkManager wrote it (values agree): nothing to say but who owns it.
    let clean = config(Self.nmFile, name: "90-NM-x.yaml")
    #expect(clean.diagnostics.map(\.code) == ["networkmanager-owned"])
  }

  // MARK: 3. A type's renderer

  @Test func aTypeRendererIsNoDeviceAndRendersItsDevices() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          renderer: NetworkManager
          eth0:
            dhcp4: yes

      """
    let out = try edit(yaml, request("eth0"))
    #expect(out.config.devices.map(\.id) == ["eth0"])
    #expect(DeviceSummary(out.config.devices[0], network: out.config.network).renderer.value == "NetworkManager")
    #expect(out.text == """
      network:
        version: 2
        ethernets:
          renderer: NetworkManager
          eth0:
            dhcp4: no
            addresses:
              - 10.0.0.5/24
            routes:
              - to: default
                via: 10.0.0.1

      """)
    #expect(NetplanRender.device("eth0", in: out.rendered) == .init(addresses: ["10.0.0.5/24"], gateways: ["10.0.0.1"]))
    #expect(out.rendered["/run/systemd/network/10-netplan-eth0.network"] == nil)
  }

  // MARK: 4. Bridge and bond members

  static let kvmHost = """
    network:
      version: 2
      ethernets:
        eno1: {}
        eno2:
          dhcp4: no
      bonds:
        bond0:
          interfaces: [eno2]
      bridges:
        br0:
          interfaces: [eno1]
          addresses: [192.168.1.10/24]
          routes:
            - to: default
              via: 192.168.1.1

    """

  @Test(arguments: [("eno1", "bridge br0"), ("eno2", "bond bond0")])
  func aMemberIsRefusedNamingItsBridgeOrBond(_ member: String, _ parent: String) throws {
    var editor = try NetplanEditor(config(Self.kvmHost))
    do {
      _ = try request(member, "192.168.1.11/24").plan(&editor)
      Issue.record("set-ip on a member went through")
    } catch {
      #expect(error.kind == .usage)
      #expect(error.message.contains("member of \(parent)"))
      #expect(error.message.contains("--force"))
    }
  }

  @Test func forceSetsTheMemberAndValidateWarns() throws {
    let out = try edit(Self.kvmHost, request("eno1", "192.168.1.11/24", gateway: nil, force: true))
    #expect(out.changes.diagnostics.contains { $0.code == "address-on-member" && $0.message.hasPrefix("eno1: addresses") })
    #expect(NetplanRender.device("eno1", in: out.rendered)?.addresses == ["192.168.1.11/24"])
  }

  // MARK: 5. No needless rewrites

  @Test func dhcpThatIsAlreadyOffIsLeftAsWritten() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          eth0:
            dhcp4: no
            addresses: [192.168.0.10/24]
          eth1:
            addresses: [192.168.1.10/24]

      """
    let out = try edit(yaml, request("eth0", "192.168.0.11/24", gateway: nil))
    #expect(out.text == yaml.replacingOccurrences(of: "192.168.0.10/24", with: "192.168.0.11/24"))
    let out1 = try edit(yaml, request("eth1", "192.168.1.11/24", gateway: nil))
    #expect(out1.text == yaml.replacingOccurrences(of: "192.168.1.10/24", with: "192.168.1.11/24"))
  }

  @Test func dhcpThatIsOnIsTurnedOffInItsOwnSpelling() throws {
    for (on, off) in [("yes", "no"), ("True", "False"), ("ON", "OFF"), ("true", "false")] {
      let yaml = "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: \(on)\n"
      let out = try edit(yaml, request("eth0", gateway: nil))
      #expect(out.text == "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: \(off)\n      addresses:\n        - 10.0.0.5/24\n")
    }
  }

  // MARK: 6. Loose ends

  @Test func aStaticRouteLeftOffTheNewSubnetIsReportedAtItsLine() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          eth0:
            addresses: [192.168.0.10/24]
            routes:
              - to: 10.20.0.0/16
                via: 192.168.0.254

      """
    let out = try edit(yaml, request("eth0", gateway: nil))
    let warning = try #require(out.changes.diagnostics.first { $0.code == "gateway-off-subnet" })
    #expect(warning.location?.line == 8)
    #expect(warning.message.contains("10.20.0.0/16"))
  }

  @Test func theLoopbackKeepsItsAddressUnlessForced() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          lo:
            match: {name: lo}
            addresses: [127.0.0.1/8, 192.0.2.200/32]

      """
    var editor = try NetplanEditor(config(yaml))
    #expect(throws: EditError.self) { try request("lo", "192.0.2.201/32", gateway: nil).plan(&editor) }
    #expect(throws: EditError.self) { try request("lo", "127.0.0.1/8", gateway: "127.0.0.2").plan(&editor) }
    let out = try edit(yaml, request("lo", "192.0.2.201/32", gateway: nil, force: true))
    #expect(out.text.contains("addresses: [192.0.2.201/32]"))
    let kept = try edit(yaml, SetIPRequest(
      interface: "lo", addresses: [InterfaceAddress("127.0.0.1/8")!, InterfaceAddress("192.0.2.201/32")!]))
    #expect(kept.text.contains("addresses: [127.0.0.1/8, 192.0.2.201/32]"))
  }
}
