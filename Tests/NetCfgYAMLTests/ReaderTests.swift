import Testing

@testable import NetCfgYAML

/// A thread's own holds on the trees it reads (`YAMLReader`): a node made its own reads the
/// same as the one given, through one hold per tree that is not the hold it came with.
@Suite struct ReaderTests {
  @Test func ownedNodesReadTheSameThroughOneHoldPerTree() throws {
    let a = try YAMLFile(name: "a.yaml", text: "network:\n  ethernets:\n    eth0: {dhcp4: true, addresses: [192.0.2.1/24]}\n")
    let b = try YAMLFile(name: "b.yaml", text: "x: [1, 2]\n")
    let rootA = try #require(a.root), rootB = try #require(b.root)
    let eth0 = try #require(rootA.firstValue(forKey: "network")?.firstValue(forKey: "ethernets")?.firstValue(forKey: "eth0"))
    var reader = YAMLReader()
    let ownRoot = reader.own(rootA), ownEth0 = reader.own(eth0), ownB = reader.own(rootB)
    #expect(ownRoot.access !== rootA.access)
    #expect(ownEth0.access === ownRoot.access)  // one hold for every node of a tree
    #expect(ownB.access !== ownRoot.access && ownB.access !== rootB.access)
    #expect(ownRoot.index == rootA.index && ownEth0.index == eth0.index)
    #expect(ownEth0.firstValue(forKey: "dhcp4")?.scalarText == "true")
    #expect(ownEth0.firstValue(forKey: "addresses")?.items.map(\.scalarText) == ["192.0.2.1/24"])
    #expect(ownB.firstValue(forKey: "x")?.items.map(\.scalarText) == ["1", "2"])
    // A second reader (another thread's) has holds of its own.
    var other = YAMLReader()
    #expect(other.own(eth0).access !== ownEth0.access)
  }
}
