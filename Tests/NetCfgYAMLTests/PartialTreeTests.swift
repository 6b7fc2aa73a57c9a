import Testing
@testable import NetCfgYAML

/// `YAMLFile(bytes:only:)` builds the tree along some keys only: the node at the end of them
/// must be the whole tree's node (content, styles, marks), the mappings on the way must hold
/// that key alone, and what the file does wrong must still be an error.
@Suite struct PartialTreeTests {
  /// Same content and places, recursively.
  func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
    guard a.start == b.start, a.endOffset == b.endOffset, a.contentEnd == b.contentEnd, a.anchor == b.anchor, a.tag == b.tag else { return false }
    switch (a.content, b.content) {
    case (.scalar(let x, let s), .scalar(let y, let t)): return x == y && s == t
    case (.alias(let x), .alias(let y)): return x == y
    case (.sequence(let x, let s), .sequence(let y, let t)):
      return s == t && x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case (.mapping(let x, let s), .mapping(let y, let t)):
      return s == t && x.count == y.count && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
    default: return false
    }
  }

  /// The key paths of a tree (through mappings only), down to `depth` keys.
  func keyPaths(_ node: YAMLNode, _ prefix: [String] = [], depth: Int = 5) -> [[String]] {
    guard prefix.count < depth else { return [] }
    var out: [[String]] = []
    for entry in node.entries {
      guard let key = entry.keyText else { continue }
      out.append(prefix + [key])
      out += keyPaths(entry.value, prefix + [key], depth: depth)
    }
    return out
  }

  @Test func theNodeAtTheKeysIsTheWholeTreesOnEveryCorpusFile() throws {
    var compared = 0
    for name in Corpus.files {
      let bytes = try Corpus.bytes(name)
      guard let full = try? YAMLFile(name: name, bytes: bytes), !full.mayHaveAnchors else { continue }
      for doc in full.documents.indices {
        guard let root = full.documents[doc].root else { continue }
        for keys in keyPaths(root) {
          let partial = try YAMLFile(name: name, bytes: bytes, only: keys)
          #expect(partial.documents.count == full.documents.count)
          guard let proot = partial.documents[doc].root else {
            Issue.record("\(name) \(keys): no root")
            continue
          }
          // A repeated key: every occurrence is kept, as in the whole tree, so the last one
          // decides as there (a key only in an earlier occurrence is found in neither).
          let path = YAMLPath(keys.map { .key($0) })
          let wanted = root.node(at: path)
          let got = proot.node(at: path)
          if let wanted, let got {
            #expect(same(wanted, got), "\(name) \(keys)")
          } else {
            #expect(wanted == nil && got == nil, "\(name) \(keys): found in only one")
          }
          // On the way, nothing but the keys.
          var node: YAMLNode? = proot
          for key in keys.dropLast() {
            guard let current = node else { break }
            #expect(current.entries.allSatisfy { $0.keyText == key }, "\(name) \(keys): other keys kept")
            node = current.node(at: YAMLPath([.key(key)]))
          }
          compared += 1
        }
      }
    }
    #expect(compared > 5000)
  }

  @Test func skipsComplexAndAliasKeysAndFlowMappingsAndStillRefusesBadYAML() throws {
    let text = """
      ? [a, b]
      : {x: 1}
      *undefined : 2
      network:
        other: {deep: {deeper: [1, 2, {k: v}]}}
        ethernets: {eth0: {mtu: 1500}, eth1: {mtu: 9000}}
        ethernets:
          eth0:
            dhcp4: true

      """
    let partial = try YAMLFile(bytes: Array(text.utf8), only: ["network", "ethernets", "eth0"])
    let root = try #require(partial.root)
    #expect(root.entries.map(\.keyText) == ["network"])
    let network = try #require(root.node(at: YAMLPath(keys: "network")))
    #expect(network.entries.map(\.keyText) == ["ethernets", "ethernets"])
    #expect(network.entries[0].value.entries.map(\.keyText) == ["eth0"])
    #expect(root.node(at: YAMLPath(keys: "network", "ethernets", "eth0", "dhcp4"))?.scalarText == "true")
    // Invalid YAML in a part left out is still an error, at its place.
    let bad = "network:\n  other: {a: [1, 2}\n  ethernets: {}\n"
    #expect(throws: YAMLError.self) { try YAMLFile(bytes: Array(bad.utf8), only: ["network", "ethernets"]) }
    // Anchors: the whole tree (an alias on the way may name a node left out).
    let anchored = "a: &x {k: v}\nb: *x\n"
    let whole = try YAMLFile(bytes: Array(anchored.utf8), only: ["b"])
    #expect(whole.root?.entries.count == 2)
  }
}
