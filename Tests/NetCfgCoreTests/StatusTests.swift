import Foundation
import Testing
@testable import NetCfgCore

/// Issue 20: `status` compares the configuration with recorded live state (`ip -j` output).
@Suite struct StatusTests {
  static let yaml = """
    network:
      version: 2
      ethernets:
        veth0:
          dhcp4: false
          mtu: 9000
          addresses: [192.0.2.10/24, 192.0.2.11/24]
          routes:
            - to: default
              via: 192.0.2.1
            - to: 198.51.100.0/24
              via: 192.0.2.1
              table: 100

    """

  static func config(_ yaml: String = yaml) -> NetplanConfiguration {
    let source = NetplanSourceFile(path: "/etc/netplan/01.yaml", directory: .etc, name: "01.yaml", bytes: Array(yaml.utf8), info: nil)
    return NetplanConfiguration.load(NetplanHierarchy.arranging([source]))
  }

  static func live(addresses: String, mtu: Int = 9000, flags: String = #""UP","LOWER_UP""#, routes: String) throws -> LiveState {
    let links = try JSONValue.parse(Array("""
      [{"ifindex":2,"ifname":"veth0","flags":["BROADCAST",\(flags)],"mtu":\(mtu),"operstate":"UP","addr_info":[\(addresses)]}]
      """.utf8))
    return LiveState(links: LiveState.links(links), routes: KernelJSON.routes(try JSONValue.parse(Array(routes.utf8))))
  }

  static let cleanAddresses = """
    {"family":"inet","local":"192.0.2.10","prefixlen":24,"scope":"global","valid_life_time":4294967295},
    {"family":"inet","local":"192.0.2.11","prefixlen":24,"scope":"global","valid_life_time":4294967295},
    {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link","valid_life_time":4294967295}
    """
  static let cleanRoutes = """
    [{"dst":"default","gateway":"192.0.2.1","dev":"veth0","protocol":"static","flags":[]},
     {"dst":"198.51.100.0/24","gateway":"192.0.2.1","dev":"veth0","table":"100","protocol":"static","flags":[]}]
    """

  @Test func aCleanStateHasNoDifferences() throws {
    let config = Self.config()
    let status = DeviceStatus(try #require(config.device("veth0")), in: config, live: try Self.live(addresses: Self.cleanAddresses, routes: Self.cleanRoutes))
    #expect(status.differences == [], "\(status.differences)")
    #expect(status.addresses.map(\.origin) == ["static", "static", "link-local"])
    #expect(status.backend == "networkd")
  }

  @Test func everyKindOfDifferenceIsNamed() throws {
    let addresses = """
      {"family":"inet","local":"192.0.2.10","prefixlen":24,"scope":"global","valid_life_time":4294967295},
      {"family":"inet","local":"192.0.2.99","prefixlen":24,"scope":"global","valid_life_time":4294967295},
      {"family":"inet","local":"10.0.0.5","prefixlen":24,"scope":"global","dynamic":true,"valid_life_time":3500}
      """
    let routes = """
      [{"dst":"default","gateway":"10.0.0.1","dev":"veth0","protocol":"dhcp","flags":[]}]
      """
    let config = Self.config()
    let live = try Self.live(addresses: addresses, mtu: 1500, routes: routes)
    let status = DeviceStatus(try #require(config.device("veth0")), in: config, live: live)
    let found = status.differences.map { "\($0.kind.rawValue) \($0.what)" }
    #expect(found == [
      "different mtu", "unexpected address 192.0.2.99/24", "unexpected address 10.0.0.5/24", "missing address 192.0.2.11/24",
      "missing default route via 192.0.2.1", "unexpected default route via 10.0.0.1", "missing route 198.51.100.0/24 via 192.0.2.1",
    ])
    #expect(status.addresses.map(\.origin) == ["static", "manual", "dhcp"])
    #expect(status.addresses[2].validLifetime == 3500)
    #expect(status.differences[0].location?.line == 6)
    #expect(status.differences[3].location?.line == 7)
    #expect(status.differences[2].detail.contains("while dhcp4 is off and a fixed address is configured"))
  }

  /// With DHCP on, a lease and its default route are expected; no carrier is a difference.
  @Test func leasesAreExpectedWithDHCP() throws {
    let config = Self.config("network:\n  version: 2\n  ethernets:\n    veth0:\n      dhcp4: true\n")
    let addresses = #"{"family":"inet","local":"10.0.0.5","prefixlen":24,"scope":"global","dynamic":true,"valid_life_time":3500}"#
    let routes = #"[{"dst":"default","gateway":"10.0.0.1","dev":"veth0","protocol":"dhcp","flags":[]}]"#
    let up = DeviceStatus(try #require(config.device("veth0")), in: config, live: try Self.live(addresses: addresses, routes: routes))
    #expect(up.differences == [])
    let down = DeviceStatus(
      try #require(config.device("veth0")), in: config, live: try Self.live(addresses: addresses, flags: #""UP""#, routes: routes))
    #expect(down.differences.map(\.what) == ["link"])
  }

  @Test func aMissingLinkIsOneDifference() throws {
    let config = Self.config()
    let status = DeviceStatus(try #require(config.device("veth0")), in: config, live: LiveState(links: [], routes: []))
    #expect(status.differences.map { "\($0.kind.rawValue) \($0.what)" } == ["missing link"])
  }

  /// The reasons, each from a root set up for it.
  @Test func reasonsInPlainWords() throws {
    let root = try TemporaryRoot()
    try root.write("/etc/netplan/50-cloud-init.yaml", Self.yaml)
    try root.write("/etc/netplan/90-NM-1234.yaml", "network:\n  version: 2\n")
    try root.write("/etc/netplan/60-x.yaml", "network:\n  version: 2\n")
    try root.write("/run/netplan/60-x.yaml", "network:\n  version: 2\n")
    try root.write("/etc/cloud/cloud.cfg", "")
    let fs = FileSystem(root: root.path)
    var codes = StatusReport.reasons(try NetplanConfiguration.load(fs), fs: fs).map(\.code)
    #expect(codes == ["cloud-init", "networkmanager-file", "run-overrides", "never-applied"])
    // Applied, then edited: the files differ from the generation.
    let paths = StateStore(fs).managedPaths()
    _ = try StateStore(fs).record(try Snapshot.capture(paths, fs, info: ["command": "netcfg apply"]))
    codes = StatusReport.reasons(try NetplanConfiguration.load(fs), fs: fs).map(\.code)
    #expect(!codes.contains("edited-since-apply") && !codes.contains("never-applied"))
    try root.write("/etc/netplan/50-cloud-init.yaml", Self.yaml + "# edited\n")
    let reasons = StatusReport.reasons(try NetplanConfiguration.load(fs), fs: fs)
    let edited = try #require(reasons.first { $0.code == "edited-since-apply" })
    #expect(edited.differs && edited.text.contains("/etc/netplan/50-cloud-init.yaml changed since generation 0"))
    // A try waiting for confirmation.
    var journal = try Snapshot.capture(paths, fs, info: ["command": "netcfg try", "state": "awaiting-confirmation"])
    Deadline.after(90).note(in: &journal.info)
    try StateStore(fs).savePending(journal)
    let pending = try #require(StatusReport.reasons(try NetplanConfiguration.load(fs), fs: fs).first { $0.code == "try-pending" })
    #expect(pending.text.contains("`netcfg try` waits for confirmation: rolled back in 8") || pending.text.contains("rolled back in 9"))
  }
}
