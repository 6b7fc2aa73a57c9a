import Testing
@testable import NetCfgCore
import NetCfgYAML

/// The checks across definitions (netplan's validation.c and generators), one rule per test.
@Suite struct NetplanSemanticTests {
  /// The semantic errors of files given as (name, yaml) in /etc/netplan, read in name order.
  static func errors(_ files: [(String, String)], version: NetplanVersion = .v1_1) -> [Diagnostic] {
    let sources = files.map {
      NetplanSourceFile(path: "/etc/netplan/\($0.0)", directory: .etc, name: $0.0, bytes: Array($0.1.utf8), info: nil)
    }
    var config = NetplanConfiguration.load(NetplanHierarchy(files: sources))
    config.diagnostics = []  // only what the semantic checks say, whatever the grammar says
    return NetplanVersionRules.semanticDiagnostics(NetplanSemanticChecks.check(config), version)
      .filter { $0.severity == .error }
  }

  static func errors(_ yaml: String) -> [Diagnostic] { errors([("a.yaml", yaml)]) }

  static func only(_ yaml: String) -> Diagnostic? {
    let found = errors(yaml)
    #expect(found.count == 1, "\(found.map(\.message))")
    return found.first
  }

  // MARK: References

  @Test func vlanLinkNotDefined() {
    let d = Self.only("network:\n  vlans:\n    vlan20:\n      id: 20\n      link: lan\n")
    #expect(d?.code == "undefined-interface")
    #expect(d?.message == "vlan20: interface 'lan' is not defined")
    #expect(d?.location?.line == 5)
    #expect(d?.location?.column == 13)
  }

  @Test func referenceFurtherDownTheSameFileIsFine() {
    #expect(Self.errors("network:\n  vlans:\n    v:\n      id: 1\n      link: eth0\n  ethernets:\n    eth0: {}\n").isEmpty)
  }

  @Test func referenceAcrossFilesFollowsReadingOrder() {
    let eth = "network:\n  ethernets:\n    eth0: {}\n"
    let vlan = "network:\n  vlans:\n    v:\n      id: 1\n      link: eth0\n"
    #expect(Self.errors([("a.yaml", eth), ("b.yaml", vlan)]).isEmpty)
    // netplan resolves a file's references when it finishes that file: a later file is too late.
    let late = Self.errors([("a.yaml", vlan), ("b.yaml", eth)])
    #expect(late.map(\.message) == ["v: interface 'eth0' is not defined"])
    #expect(late.first?.location?.file == "/etc/netplan/a.yaml")
  }

  @Test func networkManagerVLANMayLinkToUnknownParent() {
    let vlan = "network:\n  renderer: NetworkManager\n  vlans:\n    v:\n      id: 1\n      link: lan\n"
    #expect(Self.errors(vlan).isEmpty)
    // netplan 0.106 refuses it (measured).
    #expect(Self.errors([("a.yaml", vlan)], version: .v0_106).map(\.message) == ["v: interface 'lan' is not defined"])
    // ... but not bond members.
    let bond = Self.errors("network:\n  renderer: NetworkManager\n  bonds:\n    bond0:\n      interfaces: [eth9]\n")
    #expect(bond.map(\.message) == ["bond0: interface 'eth9' is not defined"])
  }

  @Test func bondMemberNotDefinedPointsAtTheMember() {
    let d = Self.only("network:\n  ethernets:\n    eno1: {}\n  bonds:\n    bond0:\n      interfaces:\n        - eno1\n        - eno2\n")
    #expect(d?.message == "bond0: interface 'eno2' is not defined")
    #expect(d?.location?.line == 8)
  }

  @Test func interfaceInTwoBonds() {
    let d = Self.only(
      "network:\n  ethernets:\n    eno1: {}\n  bonds:\n    bond0:\n      interfaces: [eno1]\n    bond1:\n      interfaces: [eno1]\n")
    #expect(d?.code == "already-assigned")
    #expect(d?.message == "bond1: interface 'eno1' is already assigned to bond bond0")
    #expect(d?.location?.line == 8)
  }

  @Test func claimsFollowNetplansPasses() {
    // bond0 names eth0 before it is defined: netplan resolves that in its second pass, after
    // br0 (below eth0) has taken it in the first.
    let d = Self.only(
      "network:\n  bonds:\n    bond0:\n      interfaces: [eth0]\n  ethernets:\n    eth0: {}\n  bridges:\n    br0:\n      interfaces: [eth0]\n")
    #expect(d?.message == "bond0: interface 'eth0' is already assigned to bridge br0")
  }

  @Test func vrfMembersAndSameBondAcrossFiles() {
    let vrfs = "network:\n  ethernets:\n    eno1: {}\n  vrfs:\n    vrf0:\n      table: 1\n      interfaces: [eno1]\n    vrf1:\n      table: 2\n      interfaces: [eno1]\n"
    #expect(Self.errors(vrfs).map(\.message) == ["vrf1: interface 'eno1' is already assigned to vrf vrf0"])
    let a = "network:\n  ethernets:\n    eno1: {}\n  bonds:\n    bond0:\n      interfaces: [eno1]\n"
    let b = "network:\n  bonds:\n    bond0:\n      interfaces: [eno1]\n"
    #expect(Self.errors([("a.yaml", a), ("b.yaml", b)]).isEmpty)
  }

  @Test func secondReadingOfAFileRefusesPortSettings() {
    // vlan5 names eno3 before its definition, so netplan reads the file twice; the second
    // reading finds the port priority set by the first.
    let yaml = "network:\n  vlans:\n    vlan5: {id: 5, link: eno3}\n  ethernets:\n    eno3: {}\n  bridges:\n    br0:\n      interfaces: [eno3]\n      parameters:\n        port-priority: {eno3: 5}\n"
    let d = Self.only(yaml)
    #expect(d?.message == "br0: interface 'eno3' already has a port priority of 5")
    #expect(d?.location?.line == 10)
    // Defined above its users, the file is read once.
    let once = "network:\n  ethernets:\n    eno3: {}\n  vlans:\n    vlan5: {id: 5, link: eno3}\n  bridges:\n    br0:\n      interfaces: [eno3]\n      parameters:\n        port-priority: {eno3: 5}\n"
    #expect(Self.errors(once).isEmpty)
  }

  @Test func vxlanSettingsStartAfreshInEachFile() {
    let a = "network:\n  tunnels:\n    vx0:\n      mode: vxlan\n      id: 5\n"
    let b = "network:\n  tunnels:\n    vx0:\n      mtu: 1400\n"
    let found = Self.errors([("a.yaml", a), ("b.yaml", b)])
    #expect(found.map(\.message) == ["vx0: missing 'id' property (VXLAN VNI)"])
    #expect(found.first?.location == SourceLocation(file: "/etc/netplan/b.yaml", line: 4, column: 7))
  }

  @Test func bondPrimaryOfTwoBonds() {
    let d = Self.only(
      "network:\n  ethernets:\n    eno1: {}\n  bonds:\n    bond0:\n      parameters:\n        primary: eno1\n    bond1:\n      parameters:\n        primary: eno1\n")
    #expect(d?.message == "bond1: interface 'eno1' is already a primary of bond0")
  }

  // MARK: Definitions

  @Test func vlanNeedsLinkAndIDInRange() {
    #expect(Self.only("network:\n  vlans:\n    v:\n      id: 1\n")?.message == "v: missing 'link' property")
    let noID = Self.only("network:\n  ethernets:\n    e: {}\n  vlans:\n    v:\n      link: e\n")
    #expect(noID?.message == "v: missing 'id' property")
    #expect(noID?.location?.line == 5)
    let big = Self.only("network:\n  ethernets:\n    e: {}\n  vlans:\n    v:\n      id: 4095\n      link: e\n")
    #expect(big?.message == "v: invalid id '4095' (allowed values are 0 to 4094)")
    #expect(big?.location?.line == 6)
  }

  @Test func propertyAddedByALaterFileIsTooLate() {
    // netplan checks a definition at the end of each file that defines it.
    let a = "network:\n  vrfs:\n    vrf0: {}\n"
    let b = "network:\n  vrfs:\n    vrf0:\n      table: 10\n"
    #expect(Self.errors([("a.yaml", a), ("b.yaml", b)]).map(\.message) == ["vrf0: missing 'table' property"])
    #expect(Self.errors([("a.yaml", b), ("b.yaml", a)]).isEmpty)
  }

  @Test func vrfTablesOfRoutesAndRules() {
    let yaml = """
      network:
        vrfs:
          vrf0:
            table: 42
            routes:
              - to: default
                via: 10.0.0.1
                table: 43
            routing-policy:
              - from: 10.0.0.0/8
                table: 42
      """
    let d = Self.only(yaml + "\n")
    #expect(d?.message == "vrf0: VRF routes table mismatch (42 != 43)")
    #expect(d?.location?.line == 8)
  }

  @Test func setNameNeedsMatch() {
    let d = Self.only("network:\n  ethernets:\n    def1:\n      set-name: lan0\n")
    #expect(d?.message == "def1: 'set-name:' requires 'match:' properties")
    #expect(Self.errors("network:\n  ethernets:\n    def1:\n      match: {macaddress: '00:11:22:33:44:55'}\n      set-name: lan0\n").isEmpty)
  }

  @Test func virtualEthernetPeers() {
    #expect(Self.only("network:\n  virtual-ethernets:\n    veth0: {}\n")?.message == "veth0: virtual-ethernet missing 'peer' property")
    let notVeth = Self.errors("network:\n  ethernets:\n    eth0: {}\n  virtual-ethernets:\n    veth0:\n      peer: eth0\n")
    #expect(notVeth.map(\.message) == ["veth0: virtual-ethernet peer 'eth0' is not a virtual-ethernet interface"])
    let taken = Self.errors(
      "network:\n  virtual-ethernets:\n    veth1:\n      peer: veth2\n    veth2:\n      peer: veth1\n    veth3:\n      peer: veth1\n")
    #expect(taken.map(\.message) == ["veth3: virtual-ethernet peer 'veth1' is another virtual-ethernet's (veth2) peer already"])
    #expect(Self.errors("network:\n  virtual-ethernets:\n    a:\n      peer: b\n    b:\n      peer: a\n").isEmpty)
  }

  @Test func nmDevicesNeedAConnectionType() {
    let d = Self.only("network:\n  nm-devices:\n    dev0:\n      networkmanager:\n        passthrough:\n          vpn.data: x\n")
    #expect(d?.message == "dev0: network type 'nm-devices:' needs to provide a 'connection.type' via passthrough")
  }

  @Test func networkManagerSettingsNeedTheNetworkManagerRenderer() {
    let yaml = "network:\n  ethernets:\n    eth0:\n      networkmanager:\n        uuid: 626dd384-8b3d-3690-9511-192b2c79b3fd\n"
    #expect(Self.only(yaml)?.message == "eth0: networkmanager backend settings found but renderer is not NetworkManager.")
    #expect(Self.errors(yaml.replacingOccurrences(of: "    eth0:\n", with: "    eth0:\n      renderer: NetworkManager\n")).isEmpty)
  }

  // MARK: Tunnels

  @Test func tunnelModeRemoteAndFamilies() {
    #expect(Self.only("network:\n  tunnels:\n    tun0:\n      remote: 1.2.3.4\n")?.message == "tun0: missing or invalid 'mode' property for tunnel")
    #expect(Self.only("network:\n  tunnels:\n    tun0:\n      mode: gre\n")?.message == "tun0: missing 'remote' property for tunnel")
    let v6 = Self.only("network:\n  tunnels:\n    tun0:\n      mode: ipip\n      remote: 2001:db8::1\n")
    #expect(v6?.message == "tun0: 'remote' must be a valid IPv4 address for this tunnel type")
    // Reported where netplan reports it (the definition's body), the value named in a note.
    #expect(v6?.location?.line == 4)
    #expect(v6?.notes.first == "the value at fault is at /etc/netplan/a.yaml:5:15")
    let vx = Self.errors("network:\n  tunnels:\n    vx0:\n      mode: vxlan\n      id: 5\n      local: 10.0.0.1\n      remote: 2001:db8::1\n")
    #expect(vx.map(\.message) == ["vx0: 'local' and 'remote' must be of same IP family type"])
    #expect(Self.only("network:\n  tunnels:\n    vx0:\n      mode: vxlan\n")?.message == "vx0: missing 'id' property (VXLAN VNI)")
  }

  @Test func tunnelKeysByRenderer() {
    let ipip = "network:\n  tunnels:\n    tun0:\n      mode: ipip\n      remote: 1.2.3.4\n      keys:\n        input: 1234\n"
    #expect(Self.only(ipip)?.message == "tun0: 'input-key' is not required for this tunnel type")
    #expect(Self.errors(ipip.replacingOccurrences(of: "ipip", with: "gre")).isEmpty)
    // vti takes keys with networkd, not with NetworkManager.
    let vti = ipip.replacingOccurrences(of: "mode: ipip", with: "mode: vti")
    #expect(Self.errors(vti).isEmpty)
    #expect(Self.errors("network:\n  renderer: NetworkManager\n" + vti.dropFirst("network:\n".count)).count == 1)
  }

  @Test func wireGuardKeysAndPeers() {
    let key = "4GgaQCy68nzNsUE5aJ9fuLzHhB65tAlwbmA72MWnOm8="
    let bad = Self.errors("network:\n  tunnels:\n    wg0:\n      mode: wireguard\n      key: notakey\n      peers:\n        - allowed-ips: [0.0.0.0/0]\n")
    #expect(bad.map(\.message) == ["wg0: invalid wireguard private key", "wg0: a public key is required."])
    let good = "network:\n  tunnels:\n    wg0:\n      mode: wireguard\n      key: /etc/wg.key\n      peers:\n        - keys: {public: \(key)}\n          allowed-ips: [0.0.0.0/0]\n"
    #expect(Self.errors(good).isEmpty)
    let nm = Self.errors(good.replacingOccurrences(of: "mode: wireguard", with: "mode: wireguard\n      renderer: NetworkManager"))
    #expect(nm.map(\.message) == ["wg0: private key needs to be base64 encoded when using the NM backend"])
  }

  // MARK: Renderers

  @Test func wifiNeedsAccessPointsAndNetworkdCannotMatch() {
    #expect(Self.only("network:\n  wifis:\n    wl0: {dhcp4: true}\n")?.message == "wl0: No access points defined")
    let match = "network:\n  wifis:\n    all:\n      match: {}\n      access-points:\n        home: {password: secret123}\n"
    #expect(Self.only(match)?.message == "all: networkd backend does not support wifi with match:, only by interface name")
    #expect(Self.errors("network:\n  renderer: NetworkManager\n" + match.dropFirst("network:\n".count)).isEmpty)
    let ap = Self.only("network:\n  wifis:\n    wl0:\n      access-points:\n        guest: {mode: ap}\n")
    #expect(ap?.message == "wl0: guest: networkd does not support this wifi mode")
    let short = Self.only("network:\n  wifis:\n    wl0:\n      access-points:\n        home: {password: abc}\n")
    #expect(short?.message == "home: ASCII passphrase must be between 8 and 63 characters (inclusive)")
  }

  @Test func deviceRendererOverridesGlobal() {
    let mac = "network:\n  renderer: NetworkManager\n  ethernets:\n    eth0:\n      macaddress: stable\n"
    #expect(Self.errors(mac).isEmpty)
    let networkd = mac.replacingOccurrences(of: "      macaddress", with: "      renderer: networkd\n      macaddress")
    let d = Self.only(networkd)
    #expect(d?.message == "eth0: networkd backend does not support the MAC address option 'stable'")
    #expect(d?.location?.line == 6)
  }

  @Test func networkManagerRoutes() {
    let rule = "network:\n  renderer: NetworkManager\n  ethernets:\n    engreen:\n      addresses: [10.0.0.2/24]\n      routing-policy:\n        - from: 10.0.0.0/24\n          table: 99\n"
    // A warning only: netplan 0.106 and 1.1 both accept the rule (measured on the corpus).
    #expect(Self.errors(rule).isEmpty)
    var config = NetplanConfiguration.load(NetplanHierarchy(files: [
      NetplanSourceFile(path: "/etc/netplan/a.yaml", directory: .etc, name: "a.yaml", bytes: Array(rule.utf8), info: nil)
    ]))
    config.diagnostics = []
    #expect(NetplanSemanticChecks.check(config).map(\.message) == ["engreen: The priority setting is mandatory for NetworkManager routing-policy"])
    #expect(Self.errors(rule.replacingOccurrences(of: "renderer: NetworkManager", with: "renderer: networkd")).isEmpty)
    let route = "network:\n  renderer: NetworkManager\n  ethernets:\n    engreen:\n      dhcp4: true\n      routes:\n        - to: 10.1.0.0/16\n          type: blackhole\n"
    #expect(Self.only(route)?.message == "engreen: NetworkManager only supports unicast routes")
  }

  @Test func networkdDHCPOverridesMustAgree() {
    let yaml = "network:\n  ethernets:\n    engreen:\n      dhcp4: true\n      dhcp6: true\n      dhcp4-overrides:\n        use-dns: false\n"
    #expect(Self.only(yaml)?.message == "engreen: networkd requires that use-dns has the same value in both dhcp4_overrides and dhcp6_overrides")
    #expect(Self.errors(yaml + "      dhcp6-overrides:\n        use-dns: no\n").isEmpty)
  }

  @Test func openVSwitchBonds() {
    let lone = "network:\n  ethernets:\n    eth0: {}\n    eth1: {}\n  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n      openvswitch: {}\n"
    #expect(Self.only(lone)?.message == "Bond bond0 needs to be a member of an OpenVSwitch bridge")
    let bridged = lone + "  bridges:\n    br0:\n      interfaces: [bond0]\n"
    #expect(Self.errors(bridged).isEmpty)
    let mode = bridged.replacingOccurrences(of: "openvswitch: {}", with: "openvswitch: {}\n      parameters: {mode: balance-rr}")
    #expect(Self.only(mode)?.message == "bond0: bond mode 'balance-rr' not supported by Open vSwitch")
  }

  // MARK: Wiring

  @Test func validatorReportsSemanticErrorsAndKnowsTypeRenderers() {
    let yaml = "network:\n  ethernets:\n    renderer: networkd\n    eth0: {}\n  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n"
    let sources = [NetplanSourceFile(path: "/etc/netplan/a.yaml", directory: .etc, name: "a.yaml", bytes: Array(yaml.utf8), info: nil)]
    let config = NetplanConfiguration.load(NetplanHierarchy(files: sources))
    let errors = config.diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.message) == ["bond0: interface 'eth1' is not defined"])
    #expect(errors.first?.sourceLine == "      interfaces: [eth0, eth1]")
  }

  @Test func realisticConfigurationHasNoErrors() {
    let yaml = """
      network:
        version: 2
        renderer: networkd
        ethernets:
          enp3s0: {}
          enp4s0: {}
          enp5s0:
            match: {macaddress: "52:54:00:12:34:56"}
            set-name: lan0
            dhcp4: true
        bonds:
          bond0:
            interfaces: [enp3s0, enp4s0]
            parameters: {mode: active-backup, primary: enp3s0}
        bridges:
          br0:
            interfaces: [bond0]
            addresses: [192.168.1.10/24]
            routes:
              - to: default
                via: 192.168.1.1
        vlans:
          vlan100:
            id: 100
            link: br0
        tunnels:
          gre1:
            mode: gre
            local: 192.168.1.10
            remote: 203.0.113.9
            keys: {input: 1234, output: 5678}

      """
    #expect(Self.errors(yaml).isEmpty)
  }
}
