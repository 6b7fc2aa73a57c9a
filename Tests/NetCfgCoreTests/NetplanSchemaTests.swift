import NetCfgYAML
import Testing

@testable import NetCfgCore

/// netplan's grammar: each snippet gives netplan's message at netplan's line:col.
@Suite struct NetplanSchemaTests {
  /// `line:col: message` of every error (and `warning: ...` for warnings).
  func diagnose(_ yaml: String, warnings: Bool = false) throws -> [String] {
    let file = try YAMLFile(name: "a.yaml", text: yaml)
    var context = SchemaContext(file: file)
    if let root = file.root { context.validate(root, NetplanSchema.root) }
    return context.diagnostics.filter { warnings || $0.severity == .error }.map {
      let where_ = "\($0.location!.line):\($0.location!.column): "
      return where_ + ($0.severity == .warning ? "warning: " : "") + $0.message
    }
  }

  /// A device definition under `network: TYPE: ID:` (the definition starts at line 4, column 7).
  func device(_ type: String = "ethernets", _ id: String = "eth0", body: String) throws -> [String] {
    let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }
    return try diagnose("network:\n  \(type):\n    \(id):\n" + indented.joined(separator: "\n") + "\n")
  }

  @Test func validConfigurationHasNoDiagnostics() throws {
    #expect(
      try diagnose(
        """
        network:
          version: 2
          renderer: networkd
          ethernets:
            eth0:
              match: {macaddress: "00:11:22:33:44:55", driver: [e1000*, ixgbe]}
              set-name: lan0
              dhcp4: yes
              dhcp6: Off
              addresses: [192.0.2.10/24, "2001:db8::10/64", 10.0.0.1/8: {lifetime: 0, label: "lan0:1"}]
              routes:
                - {to: default, via: 192.0.2.1, metric: 100}
                - {to: 198.51.100.0/24, scope: link}
                - {to: 203.0.113.0/24, type: blackhole}
              routing-policy: [{from: 192.0.2.0/24, table: 100, type-of-service: 255}]
              nameservers: {addresses: [192.0.2.53, "2001:db8::53"], search: [example.com]}
              dhcp4-overrides: {use-dns: false, route-metric: 200, use-domains: route}
              ra-overrides: {use-domains: route, table: 5}
              link-local: [ipv4, IPv6]
              optional-addresses: [ipv4-ll, DHCP4]
              wakeonwlan: []
              macaddress: permanent
              mtu: 9000
              receive-checksum-offload: Y
          bonds:
            bond0:
              interfaces: [eth0]
              parameters: {mode: 802.3ad, lacp-rate: fast, arp-ip-targets: [192.0.2.1], primary: eth0}
          vlans:
            vlan10: {id: 10, link: eth0, renderer: sriov}
        """) == [])
  }

  @Test func rootAndNetworkShape() throws {
    #expect(try diagnose("network:\n  version: 3\n") == ["2:12: Only version 2 is supported"])
    #expect(try diagnose("network:\n  version: 2.0\n") == [])
    #expect(try diagnose("network:\n  renderer: bogus\n") == ["2:13: unknown renderer 'bogus'"])
    #expect(try diagnose("network:\n  bogus: 1\n") == ["2:3: unknown key 'bogus'"])
    #expect(try diagnose("networks:\n  version: 2\n") == ["1:1: unknown key 'networks'"])
    #expect(try diagnose("network:\n  version\n") == ["2:3: expected mapping (check indentation)"])
    #expect(try diagnose("network:\n  ethernets:\n    eth0:\n") == ["3:10: expected mapping (check indentation)"])
  }

  @Test func deviceIDs() throws {
    #expect(try device("ethernets", "\"eth 0\"", body: "dhcp4: true") == ["3:5: Invalid name 'eth 0'"])
    #expect(try device("ethernets", "en*", body: "dhcp4: true") == ["3:5: Definition ID 'en*' must not use globbing"])
    #expect(try diagnose("network:\n  ethernets:\n    renderer: bogus\n") == ["3:15: unknown renderer 'bogus'"])
    #expect(try diagnose("network:\n  ethernets:\n    renderer: NetworkManager\n") == [])
  }

  @Test func unknownKeysDependOnTheDeviceType() throws {
    #expect(try device("bridges", "br0", body: "match: {name: eth0}") == ["4:7: unknown key 'match'"])
    #expect(try device("ethernets", "eth0", body: "interfaces: [eth1]") == ["4:7: unknown key 'interfaces'"])
    #expect(try device("modems", "m0", body: "apn: internet\npin: 1234\nwakeonlan: true") == [])
    #expect(try device("dummy-devices", "dm0", body: "addresses: [10.0.0.1/32]") == [])
    #expect(try device("nm-devices", "nm0", body: "networkmanager: {passthrough: {connection.type: vpn}}") == [])
  }

  @Test func booleansAndUnsignedInts() throws {
    #expect(try device(body: "dhcp4: wut") == ["4:14: invalid boolean value 'wut'"])
    #expect(try device(body: "mtu: -1") == ["4:12: invalid unsigned int value '-1'"])
    #expect(try device(body: "mtu: 4294967296") == ["4:12: invalid unsigned int value '4294967296'"])
    // strtoull quirks netplan inherits: an empty value is 0, a sign and leading blanks pass.
    #expect(try device(body: "mtu: \"\"\nipv6-mtu: +1280\ndhcp4-overrides: {route-metric: \" 5\"}") == [])
    #expect(try device(body: "mtu: [1]") == ["4:12: expected scalar"])
  }

  @Test func addressErrorsAreReportedAtTheSequence() throws {
    #expect(try device(body: "addresses:\n  - 10.0.0.1") == ["5:9: address '10.0.0.1' is missing /prefixlength"])
    #expect(try device(body: "addresses: [10.0.0.1/24, 10.0.0.2/33]") == [
      "4:18: invalid prefix length in address '10.0.0.2/33'"
    ])
    #expect(try device(body: "addresses: [\"2001::1/0\"]") == ["4:18: invalid prefix length in address '2001::1/0'"])
    #expect(try device(body: "addresses: [192.168.14/24]") == [
      "4:18: malformed address '192.168.14/24', must be X.X.X.X/NN or X:X:X:X:X:X:X:X/NN"
    ])
    #expect(try device(body: "addresses:\n  - [10.0.0.1/24]") == [
      "5:11: expected either scalar or mapping (check indentation)"
    ])
    #expect(try device(body: "addresses: 10.0.0.1/24") == ["4:18: expected sequence"])
  }

  @Test func addressOptions() throws {
    #expect(try device(body: "addresses:\n  - 10.0.0.1/24:\n      lifetime: 1") == ["6:23: invalid lifetime value '1'"])
    #expect(try device(body: "addresses:\n  - 10.0.0.1/24:\n      bogus: 1") == ["6:13: unknown key 'bogus'"])
    // With options, netplan does not check the prefix length.
    #expect(try device(body: "addresses:\n  - 10.0.0.1/99: {lifetime: FOREVER}") == [])
    #expect(try device(body: "addresses:\n  - 0.0.0.0.0/24: {lifetime: 0}") == [
      "5:9: malformed address '0.0.0.0.0/24', must be X.X.X.X/NN or X:X:X:X:X:X:X:X/NN"
    ])
  }

  @Test func gatewaysAndNameservers() throws {
    #expect(try device(body: "gateway4: 192.0.2.1").isEmpty)
    let warned = try diagnose("network:\n  ethernets:\n    eth0: {gateway6: \"2001:db8::1\"}\n", warnings: true)
    #expect(warned == ["3:22: warning: `gateway6` has been deprecated, use default routes instead."])
    #expect(try device(body: "gateway4: 1.2.3") == ["4:17: invalid IPv4 address '1.2.3'"])
    #expect(try device(body: "nameservers:\n  addresses: [1.1.1.1, 1:::c]") == [
      "5:20: malformed address '1:::c', must be X.X.X.X or X:X:X:X:X:X:X:X"
    ])
    #expect(try device(body: "nameservers: {search: [a, {b: c}]}") == ["4:33: expected scalar"])
  }

  @Test func routeFields() throws {
    #expect(try device(body: "routes:\n  - to: 10.0.0.0/8\n    via: bogus") == ["6:16: invalid IP family '-1'"])
    #expect(try device(body: "routes:\n  - to: 10.0.0.0/8\n    via: \"2001::1\"") == [
      "6:16: IP family mismatch in route to 2001::1"
    ])
    #expect(try device(body: "routes:\n  - {to: 10.0.0.0/8, via: 10.0.0.1, scope: linky}") == [
      "5:50: invalid route scope 'linky'"
    ])
    #expect(try device(body: "routes:\n  - {to: 10.0.0.0/8, type: bogus}") == ["5:34: invalid route type 'bogus'"])
    #expect(try device(body: "routes:\n  - {to: 10.0.0.0/8, via: 10.0.0.1, table: x}") == [
      "5:50: invalid unsigned int value 'x'"
    ])
  }

  @Test func routeRequirementsAreReportedAtTheSequence() throws {
    #expect(try device(body: "routes:\n  - via: 10.0.0.1") == [
      "5:9: global unicast route must include both a 'to' and 'via' IP"
    ])
    #expect(try device(body: "routes:\n  - {via: 10.0.0.1, scope: link}") == [
      "5:9: link and host routes must specify a 'to' IP"
    ])
    #expect(try device(body: "routes:\n  - {type: unreachable, via: 10.0.0.1}") == [
      "5:9: non-unicast routes must specify a 'to' IP"
    ])
    #expect(try device(body: "routes:\n  - {to: 10.0.0.0/8}\n  - {to: default, via: 10.0.0.1, type: Unicast}") == [])
    #expect(try device(body: "routes:\n  - 10.0.0.0/8") == ["5:11: expected mapping (check indentation)"])
    // netplan generate aborts on these (0.106 and 1.1): no field says IPv4 or IPv6.
    for extra in ["type: blackhole", "scope: link", "type: unreachable, table: 5"] {
      #expect(try device(body: "routes:\n  - {to: default, \(extra)}") == [
        "5:11: route to 'default' without 'via' or 'from': its IP family is unknown"
      ])
    }
    #expect(try device(body: "routes:\n  - {to: default, from: 10.0.0.5}\n  - {to: 0.0.0.0/0, type: blackhole}") == [])
  }

  @Test func routingPolicy() throws {
    #expect(try device(body: "routing-policy:\n  - {table: 100}") == [
      "5:9: IP routing policy must include either a 'from' or 'to' IP"
    ])
    #expect(try device(body: "routing-policy:\n  - {from: 10.0.0.1, type-of-service: 256}") == [
      "5:45: invalid ToS (must be between 0 and 255): 256"
    ])
    #expect(try device(body: "routing-policy:\n  - {from: 10.0.0.1, to: \"2001::/64\"}") == [
      "5:32: IP family mismatch in route to 2001::/64"
    ])
  }

  @Test func enumerations() throws {
    #expect(try device(body: "activation-mode: on") == ["4:24: Value of 'activation-mode' needs to be 'manual' or 'off'"])
    #expect(try device(body: "dhcp-identifier: MAC") == [])
    #expect(try device(body: "dhcp-identifier: invalid") == ["4:24: invalid DHCP client identifier type 'invalid'"])
    #expect(try device(body: "ipv6-address-generation: 0") == ["4:32: unknown ipv6-address-generation '0'"])
    #expect(try device(body: "ipv6-address-token: INVALID") == ["4:27: invalid ipv6-address-token 'INVALID'"])
    #expect(try device(body: "infiniband-mode: x") == ["4:24: Value of 'infiniband-mode' needs to be 'datagram' or 'connected'"])
    #expect(try device(body: "embedded-switch-mode: x") == ["4:29: Value of 'embedded-switch-mode' needs to be 'switchdev' or 'legacy'"])
    #expect(try device(body: "ra-overrides: {use-domains: maybe}") == [
      "4:35: Invalid use-domains options 'maybe', must be a boolean, or the special value 'route'."
    ])
    #expect(try device(body: "link-local: [ipv4, invalid]") == ["4:19: invalid value for link-local: 'invalid'"])
    #expect(try device(body: "optional-addresses: [invalid]") == ["4:27: invalid value for optional-addresses: 'invalid'"])
  }

  @Test func rendererSriovOnlyForVLANs() throws {
    #expect(try device("vlans", "vlan1", body: "renderer: sriov") == [])
    #expect(try device(body: "renderer: sriov") == ["4:17: unknown renderer 'sriov'"])
  }

  @Test func macAddresses() throws {
    #expect(try device(body: "match: {macaddress: \"00:11:ZZ\"}") == [
      "4:27: Invalid MAC address '00:11:ZZ', must be XX:XX:XX:XX:XX:XX or XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX"
    ])
    let stable = try device(body: "macaddress: stable-ssid")
    #expect(stable.count == 1 && stable[0].hasPrefix("4:19: Invalid MAC address 'stable-ssid', must be XX"))
    #expect(try device("wifis", "wl0", body: "macaddress: stable-ssid\naccess-points: {x: {}}") == [])
  }

  @Test func matchDriverAndName() throws {
    #expect(try device(body: "match: {driver: \"e1000 x\"}") == ["4:23: A 'driver' glob cannot contain whitespace"])
    #expect(try device(body: "match:\n  driver: [a, \"b c\"]") == ["5:17: A 'driver' glob cannot contain whitespace"])
    #expect(try device(body: "match:\n  driver: []") == ["5:17: invalid sequence for 'driver'"])
    #expect(try device(body: "match:\n  driver: {a: b}") == [
      "5:17: invalid type for 'driver': must be a scalar or a sequence of scalars"
    ])
    #expect(try device(body: "match: {name: \"fo o\"}") == ["4:21: Invalid name 'fo o'"])
  }

  @Test func wakeOnWLAN() throws {
    #expect(try device("wifis", "wl0", body: "wakeonwlan: [any, bogus]") == ["4:19: invalid value for wakeonwlan: 'bogus'"])
    #expect(try device("wifis", "wl0", body: "wakeonwlan: [default, magic_pkt]") == [
      "4:19: 'default' is an exclusive flag for wakeonwlan"
    ])
    #expect(try device("wifis", "wl0", body: "wakeonwlan: [DEFAULT]") == [])
  }

  @Test func accessPointsAndAuth() throws {
    #expect(try device("wifis", "wl0", body: "access-points:\n  home: {}\n  home: {}") == [
      "6:9: wl0: Duplicate access point SSID 'home'"
    ])
    #expect(try device("wifis", "wl0", body: "access-points:\n  home: {band: 6GHz, mode: mesh}") == [
      "5:22: unknown wifi band '6GHz'", "5:34: unknown wifi mode 'mesh'",
    ])
    #expect(try device("wifis", "wl0", body: "access-points:\n  home:\n    auth: {key-management: bogus, method: tls}") == [
      "6:34: unknown key management type 'bogus'"
    ])
    #expect(try device("wifis", "wl0", body: "access-points:\n  home: open") == ["5:15: expected mapping (check indentation)"])
    #expect(try device(body: "auth: {key-management: 802.1x, method: bogus}") == ["4:46: unknown EAP method 'bogus'"])
  }

  @Test func bondAndBridgeParameters() throws {
    #expect(try device("bonds", "bond0", body: "parameters: {mode: lacp}") == ["4:26: unknown bond mode 'lacp'"])
    #expect(try device("bonds", "bond0", body: "parameters: {lacp-rate: abcd}") == [
      "4:31: unknown lacp-rate value 'abcd' (expected 'fast' or 'slow')"
    ])
    #expect(try device("bonds", "bond0", body: "parameters:\n  arp-ip-targets: [\"2001::1\"]") == [
      "5:25: malformed address '2001::1', must be X.X.X.X or X:X:X:X:X:X:X:X"
    ])
    #expect(try device("bonds", "bond0", body: "parameters:\n  primary: eno1\n  primary: eno2") == [
      "6:18: bond0: bond already has a primary member: eno1"
    ])
    #expect(try device("bridges", "br0", body: "parameters:\n  path-cost:\n    eth0: aa") == [
      "6:11: invalid unsigned int value 'aa'"
    ])
    #expect(try device("bridges", "br0", body: "parameters:\n  port-priority: {eth0: 64}") == [
      "5:24: invalid port priority value (must be between 0 and 63): 64"
    ])
    #expect(try device("bridges", "br0", body: "parameters:\n  path-cost: {eno1: 50, eno1: 70}") == [
      "5:20: br0: interface 'eno1' already has a path cost of 50"
    ])
  }

  @Test func tunnels() throws {
    #expect(try device("tunnels", "tun0", body: "mode: invalid") == ["4:13: tun0: tunnel mode 'invalid' is not supported"])
    #expect(try device("tunnels", "tun0", body: "local: 10.10.10.10/21") == [
      "4:14: address '10.10.10.10/21' should not include /prefixlength"
    ])
    #expect(try device("tunnels", "tun0", body: "remote: 10.10.1invalid") == [
      "4:15: malformed address '10.10.1invalid', must be X.X.X.X or X:X:X:X:X:X:X:X"
    ])
    #expect(try device("tunnels", "tun0", body: "keys:\n  - 1234") == ["5:9: invalid type for 'key[s]': must be a scalar or mapping"])
    #expect(try device("tunnels", "tun0", body: "key: 1234") == [])
    #expect(try device("tunnels", "wg0", body: "keys: {private-key-flags: [Agent-Owned, bogus]}") == [
      "4:33: Key flag 'bogus' is not supported. Valid values are \"agent-owned\", \"not-saved\" and \"not-required\""
    ])
  }

  @Test func wireguardPeers() throws {
    func peer(_ endpoint: String) throws -> [String] {
      try device("tunnels", "wg0", body: "mode: wireguard\npeers:\n  - endpoint: \"\(endpoint)\"")
    }
    #expect(try peer("1.2.3.4:51820") == [])
    #expect(try peer("[2001:db8::1]:51820") == [])
    #expect(try peer("vpn.example.com:51820") == [])
    #expect(try peer("") == [])
    #expect(try peer("ab") == ["6:21: invalid endpoint address or hostname 'ab'"])
    #expect(try peer("1.2.3.4") == ["6:21: endpoint '1.2.3.4' is missing :port"])
    #expect(try peer("1.2.3.4:100500") == ["6:21: invalid port in endpoint '1.2.3.4:100500'"])
    #expect(try peer("[2001:db8::1:11") == ["6:21: invalid address in endpoint '[2001:db8::1:11'"])
    #expect(try peer("[2001:db8::1]") == ["6:21: endpoint '[2001:db8::1]' is missing :port"])
    #expect(try peer("bad_host:1") == ["6:21: invalid endpoint address or hostname 'bad_host:1'"])
    #expect(try device("tunnels", "wg0", body: "peers:\n  - allowed-ips: [0.0.0.0/0, 10.0.0.1]") == [
      "5:24: address '10.0.0.1' is missing /prefixlength"
    ])
    #expect(try device("tunnels", "wg0", body: "peers:\n  - keepalive: bogus") == ["5:22: invalid unsigned int value 'bogus'"])
  }

  @Test func vxlan() throws {
    #expect(try device("tunnels", "vx0", body: "notifications: [l2-miss, INVALID]") == [
      "4:22: invalid value for notifications: 'INVALID'"
    ])
    #expect(try device("tunnels", "vx0", body: "port-range: [1, 2, 3]") == ["4:19: vx0: Expected exactly two values for port-range"])
    #expect(try device("tunnels", "vx0", body: "port-range: [a, 2]") == ["4:20: invalid unsigned int value 'a'"])
    #expect(try device("tunnels", "vx0", body: "checksums: [UDP]\nextensions: [group-policy]\nmac-learning: on") == [])
  }

  @Test func virtualEthernetPeerCannotBeItself() throws {
    #expect(try device("virtual-ethernets", "veth0", body: "peer: veth0") == ["4:13: veth0: virtual-ethernet peer cannot be itself"])
    #expect(try device("virtual-ethernets", "veth0", body: "peer: veth1") == [])
  }

  @Test func openVSwitchPerDevice() throws {
    #expect(try device(body: "openvswitch: {lacp: active}") == [
      "4:27: Key 'lacp' is only valid for interface type 'Open vSwitch bond'"
    ])
    #expect(try device("bonds", "bond0", body: "openvswitch: {lacp: on}") == [
      "4:27: Value of 'lacp' needs to be 'active', 'passive' or 'off"
    ])
    #expect(try device(body: "openvswitch: {rstp: true}") == [
      "4:27: Key is only valid for interface type 'Open vSwitch bridge'"
    ])
    #expect(try device(body: "openvswitch:\n  protocols: [OpenFlow13]") == [
      "5:20: Key 'protocols' is only valid for interface type 'Open vSwitch bridge'"
    ])
    #expect(try device("bridges", "br0", body: "openvswitch:\n  protocols: [OpenFlow13, OpenFooBar13]") == [
      "5:20: Unsupported OVS 'protocol' value: OpenFooBar13"
    ])
    #expect(
      try device("bridges", "br0", body: "openvswitch:\n  fail-mode: secure\n  controller:\n    addresses: [\"tcp:127.0.0.1:6653\", \"ssl:[::1]\", \"ptcp:\", \"pssl:6653:[::1]\", \"unix:/run/x\"]\n    connection-mode: in-band"
      ) == [])
    #expect(try device("bridges", "br0", body: "openvswitch:\n  controller:\n    addresses: [\"tcp:host.example\"]") == [
      "6:22: Unsupported OVS controller target: tcp:host.example"
    ])
  }

  @Test func openVSwitchGlobal() throws {
    #expect(try diagnose("network:\n  openvswitch:\n    external-ids:\n      iface-id: a\n      iface-id: b\n") == [
      "4:7: duplicate map entry 'iface-id'"
    ])
    #expect(try diagnose("network:\n  openvswitch:\n    ports:\n      - [patchx, patchy]\n      - [patchx, patchz]\n") == [
      "5:10: Open vSwitch port 'patchx' is already assigned to peer 'patchy'"
    ])
    #expect(try diagnose("network:\n  openvswitch:\n    ports:\n      - [patchx, patchy, patchz]\n") == [
      "4:9: An Open vSwitch peer port sequence must have exactly two entries"
    ])
    #expect(try diagnose("network:\n  openvswitch:\n    ports: [[a, a]]\n") == [
      "3:17: Open vSwitch patch ports must be of different name"
    ])
    #expect(try diagnose("network:\n  openvswitch:\n    ssl: {ca-cert: /a, certificate: /b, private-key: /c}\n") == [])
  }

  @Test func aliasesAreCheckedAsWhatTheyStandFor() throws {
    let yaml = """
      network:
        ethernets:
          eth0: &base
            dhcp4: maybe
          eth1: *base
      """
    // netplan reports problems in an aliased node at the anchored node.
    #expect(try diagnose(yaml) == ["4:14: invalid boolean value 'maybe'", "4:14: invalid boolean value 'maybe'"])
  }
}
