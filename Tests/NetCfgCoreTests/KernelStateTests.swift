import Foundation
import Testing

@testable import NetCfgCore

/// The kernel's state as `ip -j` prints it (recorded from a pair of network namespaces: veth0
/// with 192.0.2.10/24 and 2001:db8::10/64, default routes in the main table and in table 100,
/// an on-link route, and neighbours after pinging 192.0.2.1, 2001:db8::1 and the absent
/// 192.0.2.254), decoded by the JSON parser; the checks are pure functions of it.
@Suite struct KernelStateTests {
  static func recorded(_ name: String) throws -> JSONValue {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/ip-json/\(name)")
    return try JSONValue.parse(Array(try Data(contentsOf: url)))
  }

  @Test func parserReadsJSONAndLocatesErrors() throws {
    let value = try JSONValue.parse(#" {"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#)
    #expect(value["a"] == .array([.int(1), .double(-2500), .bool(true), .null, .string("xé😀\n")]))
    #expect(value["b"] == .object([]))
    let bad: [(String, Int)] = [
      ("", 0), ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 0), ("[1] x", 4), ("\"a\u{01}\"", 2), ("\"\\ud800\"", 7),
      ("[1.]", 3), ("tru", 3), ("{\"a\":1,}", 7),
    ]
    for (text, offset) in bad {
      #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
      do { _ = try JSONValue.parse(text) } catch { #expect(error.offset == offset, "\(text): \(error)") }
    }
    #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 600)) }
  }

  @Test func decodesRecordedAddressesRoutesAndNeighbours() throws {
    let addresses = KernelJSON.addresses(try Self.recorded("addr-veth0.json"))
    #expect(addresses.map(\.text) == ["192.0.2.10/24", "2001:db8::10/64", "fe80::e87e:c7ff:fe67:5da9/64"])
    #expect(addresses.allSatisfy { $0.interface == "veth0" && !$0.dynamic })
    let routes = KernelJSON.routes(try Self.recorded("route-all.json"))
    let defaults = routes.filter(\.isDefault)
    #expect(defaults.map(\.summary) == [
      "default via 192.0.2.1 dev veth0 table 100", "default via 192.0.2.1 dev veth0 metric 100",
      "default via 2001:db8::1 dev veth0 metric 1024",
    ])
    #expect(routes.first { $0.destination == "198.51.100.0/24" }?.flags == ["onlink"])
    #expect(routes.filter { $0.type == "local" }.allSatisfy { $0.table == "local" })
    let neighbours = KernelJSON.neighbours(try Self.recorded("neigh-veth0.json"), device: "veth0")
    #expect(neighbours.map(\.address) == ["192.0.2.1", "192.0.2.254", "2001:db8::1"])
    #expect(neighbours.map(\.resolved) == [true, false, true])
  }

  @Test func checksAreFunctionsOfTheState() throws {
    let addresses = KernelJSON.addresses(try Self.recorded("addr-veth0.json"))
    #expect(Check.evaluateAddress("veth0", "192.0.2.10/24", addresses).0)
    #expect(Check.evaluateAddress("veth0", "2001:0db8:0::10/64", addresses).0, "IPv6 compared by value")
    let missing = Check.evaluateAddress("veth0", "192.0.2.11/24", addresses)
    #expect(!missing.0 && missing.1.contains("it has 192.0.2.10/24"), "\(missing.1)")
    #expect(!Check.evaluateAddress("eth1", "192.0.2.10/24", addresses).0)

    let routes = KernelJSON.routes(try Self.recorded("route-all.json"))
    #expect(Check.evaluateDefaultRoute("veth0", "192.0.2.1", "main", routes).0)
    #expect(Check.evaluateDefaultRoute("veth0", "192.0.2.1", "100", routes).0)
    #expect(Check.evaluateDefaultRoute("veth0", "2001:db8::1", "main", routes).0)
    let other = Check.evaluateDefaultRoute("veth0", "192.0.2.254", "main", routes)
    #expect(!other.0 && other.1.contains("there: default via 192.0.2.1 dev veth0 metric 100"), "\(other.1)")
    #expect(!Check.evaluateDefaultRoute("veth0", "192.0.2.1", "200", routes).0, "a route in another table does not count")
    // Only table 100 has it: the main table's check fails.
    let only100 = routes.filter { !($0.isDefault && $0.table == "main" && $0.gateway == "192.0.2.1") }
    #expect(!Check.evaluateDefaultRoute("veth0", "192.0.2.1", "main", only100).0)

    let neighbours = KernelJSON.neighbours(try Self.recorded("neigh-veth0.json"), device: "veth0")
    let silent = Check.evaluateGateway("veth0", "192.0.2.1", neighbours, echoed: false)
    #expect(silent.0 && silent.1.contains("ARP resolved it"), "a gateway that ignores ping but answers ARP: \(silent.1)")
    #expect(Check.evaluateGateway("veth0", "2001:db8::1", neighbours, echoed: false).0)
    let dead = Check.evaluateGateway("veth0", "192.0.2.254", neighbours, echoed: false)
    #expect(!dead.0 && dead.1 == "192.0.2.254 on veth0: no ARP reply (neighbour INCOMPLETE), no echo reply", "\(dead.1)")
    #expect(Check.evaluateGateway("veth0", "192.0.2.254", neighbours, echoed: true).0, "an echo reply is enough")
    #expect(!Check.evaluateGateway("eth1", "192.0.2.1", neighbours, echoed: false).0, "resolved on another interface")
    let noNDP = Check.evaluateGateway("veth0", "2001:db8::99", neighbours, echoed: false)
    #expect(!noNDP.0 && noNDP.1 == "2001:db8::99 on veth0: no NDP reply, no echo reply", "\(noNDP.1)")
    for state in ["FAILED", "INCOMPLETE", "NONE"] {
      let entry = KernelNeighbour(address: "192.0.2.1", device: "veth0", linkLayer: "b6:69:59:e6:5c:2c", states: [state])
      #expect(!Check.evaluateGateway("veth0", "192.0.2.1", [entry], echoed: false).0, "\(state)")
    }
  }

  /// The checks a configuration yields: the main table unless the route names another, gateways
  /// checked by resolution or echo, deprecated gateway4 too, and no check for routes of other
  /// types or with a source.
  @Test func checksFollowTheRoutesTable() throws {
    let yaml = """
      network:
        version: 2
        ethernets:
          eth0:
            addresses: [192.0.2.10/24]
            routes:
              - {to: default, via: 192.0.2.1}
              - {to: default, via: 192.0.2.2, table: 100}
              - {to: 0.0.0.0/0, via: 192.0.2.3, from: 192.0.2.10}
              - {to: default, type: blackhole}
          eth1:
            addresses: [198.51.100.5/24]
            gateway4: 198.51.100.1
      """
    let source = NetplanSourceFile(path: "/etc/netplan/a.yaml", directory: .etc, name: "a.yaml", bytes: Array(yaml.utf8), info: nil)
    let config = NetplanConfiguration.load(NetplanHierarchy.arranging([source]), cloudInitNetworkDisabled: false)
    let checks = Verifier.checks(devices: ["eth0", "eth1"], in: config, hosts: [], names: [], sshClient: nil)
    #expect(checks == [
      .managed(interface: "eth0", by: "networkd"), .address(interface: "eth0", address: "192.0.2.10/24"),
      .defaultRoute(interface: "eth0", gateway: "192.0.2.1", table: "main"), .gateway(interface: "eth0", address: "192.0.2.1"),
      .defaultRoute(interface: "eth0", gateway: "192.0.2.2", table: "100"), .gateway(interface: "eth0", address: "192.0.2.2"),
      .managed(interface: "eth1", by: "networkd"), .address(interface: "eth1", address: "198.51.100.5/24"),
      .defaultRoute(interface: "eth1", gateway: "198.51.100.1", table: "main"), .gateway(interface: "eth1", address: "198.51.100.1"),
    ])
  }
}
