import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// The shortcuts of `NetplanConfiguration.load`: a scoped merge for one value (`get`), and the
/// grammar checks running beside merging on large configurations. Each must give what the
/// plain way gives.
@Suite struct NetplanLoadTests {
  /// Every path of a merged tree down to `depth` components (keys and list indexes).
  func paths(_ node: NetplanNode, _ prefix: [YAMLPath.Component] = [], depth: Int = 5) -> [YAMLPath] {
    var out = [YAMLPath(prefix)]
    guard prefix.count < depth else { return out }
    for entry in node.entries { out += paths(entry.value, prefix + [.key(entry.key)], depth: depth) }
    for (i, item) in node.items.enumerated() { out += paths(item, prefix + [.index(i)], depth: depth) }
    return out
  }

  func expectSame(_ scoped: NetplanNode?, _ full: NetplanNode?, _ what: String) {
    #expect(scoped?.value == full?.value, "\(what): value")
    #expect(scoped?.location == full?.location, "\(what): location")
    #expect(scoped?.contributions == full?.contributions, "\(what): contributions")
  }

  /// Every value of every corpus case netplan reads (several files, repeated keys, anchors)
  /// comes out of the scoped merge as out of the whole one, with its origin and history.
  @Test func scopedMergeGivesTheWholeMergesValues() {
    var compared = 0
    for (name, oracle) in NetplanCorpus.oracle.sorted(by: { $0.key < $1.key }) where oracle.rc == 0 {
      let hierarchy = NetplanCorpus.hierarchy(oracle)
      let full = NetplanConfiguration.load(hierarchy, validate: false)
      guard let merged = full.merged else { continue }
      for path in paths(merged) {
        let scoped = NetplanConfiguration.load(hierarchy, validate: false, scope: path)  // parsed anew: partial trees
        expectSame(scoped.merged?.node(at: path), merged.node(at: path), "\(name) \(path)")
        compared += 1
      }
      // A path nothing sets is absent from both.
      let missing = YAMLPath([.key("network"), .key("ethernets"), .key("no-such-device")])
      #expect(NetplanConfiguration.load(hierarchy, reusing: full.parsed, validate: false, scope: missing).merged?.node(at: missing) == nil)
    }
    #expect(compared > 5000)
  }

  /// An alias on the path to an anchor set in an entry the scoped merge skips; the same
  /// device in two files; a key repeated in one file.
  @Test func scopedMergeFollowsAnchorsInSkippedEntriesAndMergesFiles() throws {
    let first = """
      network:
        version: 2
        bridges:
          br0: &common {dhcp4: true, mtu: 1400}
        ethernets:
          eth0: *common
          eth1: {addresses: [192.0.2.1/24]}
          eth1: {dhcp6: true}

      """
    let second = """
      network:
        ethernets:
          eth1:
            addresses: [192.0.2.2/24]
            mtu: 9000

      """
    let hierarchy = NetplanHierarchy.arranging([
      NetplanSourceFile(path: "/etc/netplan/10-a.yaml", directory: .etc, name: "10-a.yaml", bytes: Array(first.utf8), info: nil),
      NetplanSourceFile(path: "/etc/netplan/20-b.yaml", directory: .etc, name: "20-b.yaml", bytes: Array(second.utf8), info: nil),
    ])
    let full = NetplanConfiguration.load(hierarchy, validate: false)
    for device in ["eth0", "eth1"] {
      for key in [nil, "mtu", "addresses", "dhcp4", "dhcp6"] as [String?] {
        var components: [YAMLPath.Component] = [.key("network"), .key("ethernets"), .key(device)]
        if let key { components.append(.key(key)) }
        let path = YAMLPath(components)
        let scoped = NetplanConfiguration.load(hierarchy, validate: false, scope: path)
        expectSame(scoped.merged?.node(at: path), full.merged?.node(at: path), "\(path)")
      }
    }
    let eth0 = NetplanConfiguration.load(hierarchy, validate: false, scope: try NetplanPath.parse("ethernets.eth0.mtu"))
    #expect(eth0.merged?.node(at: try NetplanPath.parse("ethernets.eth0.mtu"))?.scalar == "1400")
    // Only the path was merged: the bridge is not there.
    #expect(eth0.merged?.node(at: try NetplanPath.parse("bridges.br0")) == nil)
  }

  /// A configuration past the threshold, with grammar errors, errors between devices, a
  /// finding both would give, and warnings: the same diagnostics in the same order whether
  /// the grammar checks ran beside merging or after it.
  @Test func parallelChecksGiveTheSameDiagnosticsInTheSameOrder() {
    var text = "network:\n  version: 2\n  ethernets:\n"
    for i in 0..<700 {
      // eth600 repeats eth5's address: a warning across the parts the warnings' pass is cut into.
      let address = i == 600 ? "10.0.5.2/24" : "10.\(i / 250).\(i % 250).2/24"
      text += "    eth\(i):\n      addresses: [\(address)]\n"
      text += "      routes:\n        - to: 172.16.\(i % 250).0/24\n          via: 10.\(i / 250).\(i % 250).1\n"
      if i % 97 == 0 { text += "      mtu: lots\n" }                               // grammar
      if i % 89 == 0 { text += "      routes:\n        - to: default\n          via: 198.51.100.1\n" }  // repeated key, off-subnet
    }
    text += "  bonds:\n    bond0:\n      interfaces: [eth1, missing0]\n"            // a missing member
    text += "  vlans:\n    vlan5:\n      id: 5000\n      link: nowhere\n"           // grammar and reference
    let second = "network:\n  ethernets:\n    eth3:\n      dhcp4: maybe\n"
    let hierarchy = NetplanHierarchy.arranging([
      NetplanSourceFile(path: "/etc/netplan/10-big.yaml", directory: .etc, name: "10-big.yaml", bytes: Array(text.utf8), info: nil),
      NetplanSourceFile(path: "/etc/netplan/20-more.yaml", directory: .etc, name: "20-more.yaml", bytes: Array(second.utf8), info: nil),
    ])
    #expect(text.utf8.count >= NetplanConfiguration.parallelThreshold)
    for version in NetplanVersion.allCases {
      let sequential = NetplanConfiguration.load(hierarchy, version: version, parallel: false).diagnostics
      let parallel = NetplanConfiguration.load(hierarchy, version: version, parallel: true).diagnostics
      let byDefault = NetplanConfiguration.load(hierarchy, version: version).diagnostics
      #expect(sequential.count > 8)
      #expect(sequential.contains { $0.severity == .error && $0.message.contains("missing0") })
      #expect(sequential.contains { $0.severity == .warning })
      #expect(sequential.contains { $0.code == "duplicate-address" && $0.message.hasPrefix("eth600:") })
      #expect(sequential.contains { $0.code == "address-on-member" && $0.message.hasPrefix("eth1:") })
      #expect(parallel == sequential)
      #expect(byDefault == sequential)
    }
  }

  /// A device id under two types is reported at the later key, in one file or across files,
  /// in file order; ids under one type only (however many files) are not.
  @Test func deviceTypeChangesAreFoundInAndAcrossFiles() {
    func changes(_ texts: [String]) -> [String] {
      let files = texts.enumerated().map { i, text in
        NetplanSourceFile(path: "/etc/netplan/\(i)0-f.yaml", directory: .etc, name: "\(i)0-f.yaml", bytes: Array(text.utf8), info: nil)
      }
      return NetplanConfiguration.load(NetplanHierarchy.arranging(files), validate: false).diagnostics
        .filter { $0.code == "device-type-changed" }.map { "\($0.location!.file):\($0.location!.line)" }
    }
    let ethernets = "network:\n  ethernets:\n    eth0: {}\n    eth1: {}\n"
    #expect(changes([ethernets, ethernets, "network:\n  ethernets:\n    eth0: {mtu: 1400}\n"]).isEmpty)
    #expect(changes([ethernets + "  bonds:\n    eth1: {}\n"]) == ["/etc/netplan/00-f.yaml:6"])
    #expect(
      changes([ethernets, "network:\n  vlans:\n    v1: {id: 1, link: eth0}\n", "network:\n  bridges:\n    eth0: {}\n    v1: {}\n"])
        == ["/etc/netplan/20-f.yaml:3", "/etc/netplan/20-f.yaml:4"])
  }
}
