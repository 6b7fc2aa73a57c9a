import Glibc
import Testing
@testable import NetCfgCore

/// Checks that need no namespace: a TCP connect on loopback, and the list of checks a
/// configuration yields.
@Suite struct VerifierTests {
  @Test func tcpCheckConnectsOnlyWhereSomethingListens() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    listen(fd, 1)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    let port = Int(UInt16(bigEndian: addr.sin_port))
    #expect(Check.tcp(host: "127.0.0.1", port: port).holds(ProcessRunner()))
    close(fd)
    #expect(!Check.tcp(host: "127.0.0.1", port: port).holds(ProcessRunner()))
  }

  @Test func checksFollowTheConfiguration() {
    let yaml = """
      network:
        ethernets:
          eth0:
            addresses: [192.0.2.10/24]
            routes: [{to: default, via: 192.0.2.1}, {to: 198.51.100.0/24, via: 192.0.2.2}]
          id0:
            match: {macaddress: "00:11:22:33:44:55"}
            addresses: [192.0.2.20/24]
      """
    let config = NetplanConfiguration.load(NetplanHierarchy(files: [
      NetplanSourceFile(path: "/etc/netplan/a.yaml", directory: .etc, name: "a.yaml", bytes: Array(yaml.utf8), info: nil),
    ]))
    let checks = Verifier.checks(devices: ["eth0", "id0"], in: config, hosts: ["192.0.2.99"], names: ["www.example"], sshClient: "198.51.100.7")
    #expect(checks == [
      .managed(interface: "eth0", by: "networkd"),
      .address(interface: "eth0", address: "192.0.2.10/24"), .defaultRoute(interface: "eth0", gateway: "192.0.2.1", table: "main"),
      .gateway(interface: "eth0", address: "192.0.2.1"), .reachable(host: "192.0.2.99"), .resolves(name: "www.example"),
      .routable(address: "198.51.100.7"),
    ])
  }

  /// Recovery verifies with the checks a transaction noted in its journal: every kind survives
  /// the trip, and a line that names no check is dropped, not guessed at.
  @Test func checksSurviveTheJournal() {
    let checks: [Check] = [
      .address(interface: "veth0", address: "192.0.2.10/24"), .address(interface: "eth0", address: "2001:db8::5/64"),
      .defaultRoute(interface: "veth0", gateway: "192.0.2.1", table: "main"),
      .defaultRoute(interface: "veth0", gateway: "192.0.2.1", table: "100"), .gateway(interface: "veth0", address: "fe80::1"),
      .reachable(host: "192.0.2.1"),
      .resolves(name: "www.e2e.test"), .routable(address: "198.51.100.7"), .tcp(host: "2001:db8::1", port: 22),
      .answers(server: "192.0.2.53", name: "www.e2e.test"), .managed(interface: "veth2", by: "NetworkManager"),
    ]
    for check in checks { #expect(Check(encoded: check.encoded) == check, "\(check.encoded)") }
    // A journal written before routes had tables: the main table.
    #expect(Check(encoded: "default-route\tveth0\t192.0.2.1") == .defaultRoute(interface: "veth0", gateway: "192.0.2.1", table: "main"))
    for line in ["", "address\tveth0", "tcp\t192.0.2.1\tssh", "ping\t192.0.2.1", "reachable\t192.0.2.1\textra"] {
      #expect(Check(encoded: line) == nil, "\(line)")
    }
  }

  /// Verification through each device's own daemon: the one the files give it must manage it;
  /// one that cannot be asked is not held against the change.
  @Test func theDevicesDaemonMustManageIt() throws {
    let networkd = try #require(NetworkdLink.parse(describe: StatusDaemonTests.describe()))
    let unmanaged = try #require(NetworkdLink.parse(describe: StatusDaemonTests.describe(state: "unmanaged")))
    let nm = NetworkManagerDevice.parse("veth0:connected:netplan-veth0\nveth2:unmanaged:\n")
    func evaluate(_ i: String, _ d: String, _ n: DaemonAnswer<[NetworkdLink]>, _ m: DaemonAnswer<[NetworkManagerDevice]>) -> String {
      let (ok, detail) = Check.evaluateManager(i, d, networkd: n, networkManager: m)
      return (ok ? "ok: " : "FAILED: ") + detail
    }
    #expect(evaluate("veth0", "networkd", .answered(networkd), .notRunning) == "ok: systemd-networkd manages veth0 (configured)")
    #expect(evaluate("veth0", "networkd", .answered(unmanaged), .answered(nm))
      == "FAILED: systemd-networkd has veth0 unmanaged (NetworkManager holds it)")
    #expect(evaluate("veth0", "networkd", .notRunning, .notRunning) == "FAILED: networkd is not running: nothing manages veth0 as the files say")
    #expect(evaluate("veth0", "networkd", .unknown("no system bus"), .notRunning)
      == "ok: veth0: networkd could not be asked (no system bus); not checked")
    #expect(evaluate("veth0", "NetworkManager", .answered(unmanaged), .answered(nm))
      == "ok: NetworkManager manages veth0 (connected, netplan-veth0)")
    #expect(evaluate("veth2", "NetworkManager", .answered(networkd), .answered(nm)) == "FAILED: NetworkManager has veth2 unmanaged")
    #expect(evaluate("veth9", "NetworkManager", .answered(networkd), .answered(nm)) == "FAILED: NetworkManager has veth9 not at all")
    #expect(evaluate("veth2", "NetworkManager", .answered(networkd), .unknown("nmcli failed")).hasPrefix("ok: "))
  }
}
