import Foundation
import Testing
@testable import NetCfgCore

/// Issue 20: `status` reads the daemons (recorded `busctl --json` answers of systemd-resolved
/// and systemd-networkd, `nmcli -t` lines) and says which one manages each link and where each
/// DNS server came from.
@Suite struct StatusDaemonTests {
  static let yaml = """
    network:
      version: 2
      ethernets:
        veth0:
          dhcp4: true
          addresses: [192.0.2.10/24]
          nameservers:
            addresses: [192.0.2.1]
            search: [e2e.test]

    """

  /// `busctl --json=short get-property ... Manager DNS Domains`, as resolved 252 answered it:
  /// the link's server from netplan, one a DHCP lease gave, and a global IPv6 server.
  static let resolvedAnswer = """
    {"type":"a(iiay)","data":[[2,2,[192,0,2,1]],[2,2,[192,0,2,254]],[0,10,[32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,83]]]}
    {"type":"a(isb)","data":[[0,"example.test",false],[2,"e2e.test",false],[2,"corp.test",true]]}

    """

  /// `busctl --json=short call ... Manager Describe`: networkd's JSON inside a string.
  static func describe(state: String = "configured", file: String = "/run/systemd/network/10-netplan-veth0.network") -> String {
    let inner = """
      {"Interfaces":[{"Index":1,"Name":"lo","AdministrativeState":"unmanaged"},
      {"Index":2,"Name":"veth0","AdministrativeState":"\(state)","NetworkFile":"\(file)",
      "DNS":[{"Family":2,"Address":[192,0,2,1],"ConfigSource":"static"},{"Family":2,"Address":[192,0,2,254],"ConfigSource":"DHCPv4"}],
      "SearchDomains":[{"Domain":"e2e.test","ConfigSource":"static"}]}]}
      """
    return #"{"type":"s","data":["# + JSONValue.string(inner).serialized() + "]}"
  }

  static func live(
    resolved: String? = resolvedAnswer, networkd: DaemonAnswer<[NetworkdLink]>? = nil,
    networkManager: DaemonAnswer<[NetworkManagerDevice]> = .notRunning
  ) throws -> LiveState {
    let links = try JSONValue.parse("""
      [{"ifindex":2,"ifname":"veth0","flags":["UP","LOWER_UP"],"mtu":1500,"operstate":"UP","addr_info":[
       {"family":"inet","local":"192.0.2.10","prefixlen":24,"scope":"global","valid_life_time":4294967295}]}]
      """)
    return LiveState(
      links: LiveState.links(links), routes: [],
      resolved: resolved.flatMap(ResolvedState.parse).map { .answered($0) } ?? .notRunning,
      networkd: try networkd ?? .answered(#require(NetworkdLink.parse(describe: describe()))),
      networkManager: networkManager)
  }

  static func device(_ live: LiveState, yaml: String = yaml) throws -> DeviceStatus {
    let config = StatusTests.config(yaml)
    return DeviceStatus(try #require(config.device("veth0")), in: config, live: live)
  }

  @Test func recordedAnswersDecode() throws {
    let resolved = try #require(ResolvedState.parse(Self.resolvedAnswer))
    #expect(resolved.servers == [.init(ifindex: 2, address: "192.0.2.1"), .init(ifindex: 2, address: "192.0.2.254"), .init(ifindex: 0, address: "2001:db8::53")])
    #expect(resolved.domains.map(\.name) == ["example.test", "e2e.test", "corp.test"] && resolved.domains.map(\.routeOnly) == [false, false, true])
    #expect(ResolvedState.parse("{\"type\":\"a(iiay)\",\"data\":[]}") == nil, "one line of two is no answer")
    let links = try #require(NetworkdLink.parse(describe: Self.describe()))
    #expect(links.map(\.name) == ["lo", "veth0"] && links.map(\.manages) == [false, true])
    #expect(links[1].dns.map(\.source) == ["static", "DHCPv4"] && links[1].networkFile == "/run/systemd/network/10-netplan-veth0.network")
    #expect(NetworkdLink.parse(describe: "{\"type\":\"s\",\"data\":[\"not json\"]}") == nil)
    let nm = NetworkManagerDevice.parse("veth0:connected:netplan-veth0\nlo:connected (externally):lo\nwlan0:unavailable:\neth\\:1:disconnected:--\n")
    #expect(nm.map(\.name) == ["veth0", "lo", "wlan0", "eth:1"])
    #expect(nm.map(\.manages) == [true, true, false, false] && nm.map(\.connection) == ["netplan-veth0", "lo", nil, nil])
  }

  @Test func dnsOriginsAndManager() throws {
    let status = try Self.device(try Self.live())
    #expect(status.managedBy == "networkd")
    #expect(status.differences == [], "\(status.differences)")
    #expect(status.dns.map { "\($0.kind.rawValue) \($0.value) \($0.origin)" } == [
      "server 192.0.2.1 netplan", "server 192.0.2.254 dhcp", "domain e2e.test netplan",
    ])
    #expect(status.dns[0].location?.description == "/etc/netplan/01.yaml:8:21", "the netplan server carries its line")
  }

  @Test func dnsDifferences() throws {
    // resolved lacks the configured server and domain, and has one nobody configured.
    let answer = """
      {"type":"a(iiay)","data":[[2,2,[198,51,100,7]]]}
      {"type":"a(isb)","data":[]}
      """
    let status = try Self.device(try Self.live(resolved: answer))
    #expect(status.differences.map { "\($0.kind.rawValue) \($0.what)" } == [
      "unexpected DNS server 198.51.100.7", "missing DNS server 192.0.2.1", "missing search domain e2e.test",
    ])
    #expect(status.dns.map(\.origin) == ["run-time"])
    #expect(status.differences[1].location?.description == "/etc/netplan/01.yaml:8:21")
    // Without resolved, nothing to compare; without networkd's answer, a server in no file
    // has an unknown origin and is no difference.
    #expect(try Self.device(try Self.live(resolved: nil)).dns.isEmpty)
    let unasked = try Self.device(try Self.live(resolved: answer, networkd: .unknown("no Describe")))
    #expect(unasked.dns.map(\.origin) == ["unknown"] && !unasked.differences.contains { $0.kind == .unexpected })
  }

  @Test func whoManagesTheLink() throws {
    func backend(_ live: LiveState, yaml: String = Self.yaml) throws -> [String] {
      try Self.device(live, yaml: yaml).differences.filter { $0.what == "backend" }.map(\.detail)
    }
    let unmanaged = try #require(NetworkdLink.parse(describe: Self.describe(state: "unmanaged")))
    #expect(try backend(try Self.live(networkd: .answered(unmanaged))) == [
      "systemd-networkd leaves veth0 unmanaged: netplan's file for it is not in effect (`netcfg apply`)"
    ])
    #expect(try backend(try Self.live(networkd: .notRunning)) == ["systemd-networkd is not running: nothing applies this definition to veth0"])
    let foreign = try #require(NetworkdLink.parse(describe: Self.describe(file: "/etc/systemd/network/50-dhcp.network")))
    #expect(try backend(try Self.live(networkd: .answered(foreign))) == [
      "systemd-networkd applies /etc/systemd/network/50-dhcp.network to veth0, not netplan's file"
    ])
    let failed = try #require(NetworkdLink.parse(describe: Self.describe(state: "failed")))
    #expect(try backend(try Self.live(networkd: .answered(failed))).first?.hasPrefix("systemd-networkd failed to configure veth0") == true)
    // NetworkManager holds a link the files give to networkd.
    let held = try Self.live(networkd: .answered(unmanaged), networkManager: .answered(NetworkManagerDevice.parse("veth0:connected:Wired connection 1\n")))
    #expect(try Self.device(held).managedBy == "NetworkManager")
    #expect(try backend(held) == ["veth0 is managed by NetworkManager, but the files give it to networkd"])
    // Rendered for NetworkManager, held by its netplan connection: agrees; by another: named.
    let nmYAML = Self.yaml.replacingOccurrences(of: "  version: 2\n", with: "  version: 2\n  renderer: NetworkManager\n")
    let own = try Self.live(networkd: .answered(unmanaged), networkManager: .answered(NetworkManagerDevice.parse("veth0:connected:netplan-veth0\n")))
    #expect(try backend(own, yaml: nmYAML) == [])
    #expect(try backend(held, yaml: nmYAML) == ["NetworkManager applies its connection 'Wired connection 1' to veth0, not netplan's"])
    // Nobody could be asked: unknown, and no difference.
    let unknown = try Self.live(networkd: .unknown("no system bus"), networkManager: .unknown("nmcli failed"))
    #expect(try Self.device(unknown).managedBy == nil && (try backend(unknown)).isEmpty)
  }

  @Test func globalDNSAgainstResolvedConf() throws {
    let root = try TemporaryRoot()
    try root.write("/etc/systemd/resolved.conf", "[Resolve]\nDNS=2001:db8::53 192.0.2.53\nDomains=example.test ~corp.test\n")
    let fs = FileSystem(root: root.path)
    let live = try Self.live()
    let global = StatusReport.globalDNS(live, config: ResolvedConfig.load(fs), resolvConf: ResolvConf.load(fs))
    #expect(global.entries?.map { "\($0.value) \($0.origin) \($0.location?.description ?? "-")" } == [
      "2001:db8::53 resolved.conf /etc/systemd/resolved.conf:2:1", "example.test resolved.conf /etc/systemd/resolved.conf:3:1",
    ])
    #expect(global.differences.map { "\($0.kind.rawValue) \($0.what)" } == ["missing global DNS server 192.0.2.53"])
    #expect(global.differences[0].detail.contains("restart systemd-resolved"))
    // A server resolved took from a resolv.conf it does not own comes from that file.
    try root.write("/etc/systemd/resolved.conf", "[Resolve]\n")
    try root.write("/etc/resolv.conf", "nameserver 2001:db8::53\n")
    let imported = StatusReport.globalDNS(live, config: ResolvedConfig.load(fs), resolvConf: ResolvConf.load(fs))
    #expect(imported.entries?.first?.origin == "resolv.conf")
    #expect(imported.differences.map(\.what) == ["global search domain example.test"])
  }

  @Test func resolvConfLeadsElsewhere() throws {
    let root = try TemporaryRoot()
    let fs = FileSystem(root: root.path)
    let live = try Self.live()
    func reasons(_ text: String?, link: Bool = false, live: LiveState = live) throws -> [StatusReport.Reason] {
      try? FileManager.default.removeItem(atPath: root.path + "/etc/resolv.conf")
      if link {
        try FileManager.default.createDirectory(atPath: root.path + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/resolv.conf", withDestinationPath: "../run/systemd/resolve/stub-resolv.conf")
        try root.write("/run/systemd/resolve/stub-resolv.conf", "nameserver 127.0.0.53\n")
      } else if let text {
        try root.write("/etc/resolv.conf", text)
      }
      return StatusReport.resolvConfReasons(ResolvConf.load(fs), live: live, configured: ["192.0.2.1"])
    }
    let other = try reasons("# by hand\nnameserver 198.51.100.53\n")
    #expect(other.map(\.code) == ["resolv-conf"] && other[0].differs)
    #expect(other[0].text.contains("programs ask 198.51.100.53, not systemd-resolved"))
    #expect(try reasons("nameserver 192.0.2.1\n").map(\.differs) == [false], "the configured server: said, not a difference")
    #expect(try reasons("# Written by netcfg\nnameserver 198.51.100.53\n").map(\.differs) == [false], "netcfg's own file is on purpose")
    #expect(try reasons("nameserver 127.0.0.53\n").isEmpty, "a copy of the stub still leads to resolved")
    #expect(try reasons(nil, link: true).isEmpty)
    let stopped = try reasons(nil, link: true, live: try Self.live(resolved: nil))
    #expect(stopped.map(\.text) == ["/etc/resolv.conf leads to systemd-resolved (stub), which is not running: name lookups fail"])
  }
}
