import Foundation
import Testing
@testable import NetCfgYAML

/// A large file is parsed in two parts at once (`SplitParse.swift`): the result must be the
/// whole parse's, record by record, or no result (the file is then parsed whole).
@Suite struct SplitParseTests {
  /// Every line of every corpus file where a split can start: each accepted split gives the
  /// arena and document marks of the whole parse; files libyaml refuses are never accepted.
  @Test func everySplitOfTheCorpusIsTheWholeParse() throws {
    var accepted = 0, refused = 0
    for name in Corpus.files {
      let bytes = try Corpus.bytes(name)
      try check(name, bytes, accepted: &accepted, refused: &refused)
    }
    // About half the lines a split can start at are taken (measured: 1,876 of 3,525); the
    // others open a mapping's first key (no mapping is open at them) or leave a part that
    // does not parse alone.
    #expect(accepted > 1500, "only \(accepted) splits accepted (\(refused) refused)")
  }

  /// What `make fuzz` found (Tests/Fixtures/fuzz; split-after-empty-block-scalar.yaml: an
  /// empty block scalar's text placed at S's first token instead of the line's start;
  /// split-after-tagged-mapping.yaml: a mapping whose tag stood at S's column taken for the
  /// mapping S belongs to; split-before-block-scalar-at-end.yaml: the text of a block scalar
  /// that ends the middle part placed at its end; split-after-explicit-key.yaml: the mapping
  /// whose first part ends in an empty value made to end after E), split at every line.
  @Test func fuzzInputsSplitAsTheyParse() throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/fuzz")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(names.contains("split-after-empty-block-scalar.yaml") && names.contains("split-after-tagged-mapping.yaml")
      && names.contains("split-before-block-scalar-at-end.yaml") && names.contains("split-after-explicit-key.yaml"))
    var accepted = 0, refused = 0
    for name in names {
      try check(name, Array(try Data(contentsOf: directory.appendingPathComponent(name))), accepted: &accepted, refused: &refused)
    }
    #expect(accepted > 0)
  }

  /// Hand-made cases at the edges: what the first part leaves open at S, what closes at E,
  /// empty values, flow collections and quoted scalars across lines, tags, comments and
  /// blank lines, no less indented line after S, invalid YAML on either side.
  @Test(arguments: SplitParseTests.edgeCases)
  func edgeCase(_ text: String) throws {
    var accepted = 0, refused = 0
    try check(text, Array(text.utf8), accepted: &accepted, refused: &refused)
  }

  static let edgeCases: [String] = [
    "network:\n  ethernets:\n    a:\n      dhcp4: true\n    b:\n      dhcp4: false\n  bridges:\n    br0: {}\n",
    "network:\n  ethernets:\n    a:\n    b:\n    c:\n",
    "network:\n  ethernets:\n    a:\n      x:\n    b:\n      y:\n# tail\n\nnext:\n",
    "a:\n  b: {c: 1,\n  d: 2}\n  e: 3\n",
    "a:\n  b: \"one\n  two\"\n  c: 3\n",
    "a:\n  b: 'one\n\n  two'\n  c: 3\n",
    "a:\n  b: |\n    text\n\n  c: |+\n    kept\n\n\n  d: >-\n    folded\n    more\n\n\n",
    "a:\n  b: !!str 1\n  c: !!int \"2\"\n  d: [x, y]\n",
    "a:\n  b:\n  - 1\n  - 2\n  c:\n  - 3\n",
    "a:\n  b: 1\n    c: 2\n  d: 3\n",
    "a:\n  b: 1\n c: 2\n  d: 3\n",
    "a:\n  b: *x\n  c: *y\n",
    "a:\n  b: 1\n  c:\n\td: 2\n",
    "a:\n  b: 1\n  c: [\n  ]\n---\nd: 1\n",
    "a:\n  b: 1\n  c: 2\n...\n",
    "a:\n  b: 1\n  c: plain\n   continued\n  d: 4\n",
    "? a\n: b: 1\n  c: 2\n",
    // A mapping whose first key is explicit (`? b`): the key stands at a deeper column than
    // the mapping, where a split line may start a mapping of its own.
    "a:\n b:\n  ? c\n  d:\n    e: 1\n f: 2\n",
    "a:\n b:\n  ? c: 1\n    x: 2\n  d:\n    e: 1\n    g: 3\n f: 2\n",
    "a:\n  - b: 1\n    c: 2\n  - d: 3\n    e: 4\n",
    "a:\n  b: 1\n  \"c\": 2\n  d: 3\n",
    "a:\n  b: 1   # comment\n  # between\n  c: 2\n#\n  d: 3\n",
    "a:\n  b: 1\n  c: \u{e4}\u{f6}\n  d: \u{2192}\n",
    // make fuzz: an empty block scalar right before the split line.
    "network:\n  version: |\n  bridges:\n    br0:\n      openvswitch:\n        controller:\n          addresses: [ssl:73.10.10.1]\n  openvswitch:\n    ssl: {}\n",
    "a:\n  b: >\n  c: 1\n  d: |-\n\n  e: 2\n",
    "a:\n  b:\n    c: |\n      x\n  d: 1\n",
    "a:\n  b:\n    c: |\n    e: >\n\n  d: 1\n",
    "a:\n  b:\n    c: 1\n    e: |+\n      x\n\n  # note\n  d: 1\n",
    "a: !!map\n  b: 1\n  c:\n    d: 1\n",
    "a:      !!map\n  b: 1\n  c:\n        d: 1\n        e: 2\n",
    "a: &x\n  b: 1\n  c:\n    d: 1\n",
    "a:\n  b:\n    c: 1\n    d: >-\n      text\n  e: 1\n",
    "a:\n  b:\n    c: 1\n    d: |\n      text\n\n",
    "a:\n  b:\n    c:\n      ? k\n    d:\n      - 1\n",
    "a:\n  b:\n    c:\n    d: 1\n  e: 2\n",
    "a:\n  b:\n    c:\n      ? k\n    d: 1\n: x\n",
  ]

  /// The large-file path as it runs: a file over the threshold is split near its middle,
  /// and the parse is the whole one.
  @Test func aLargeFileIsSplitAndParsedTheSame() throws {
    var text = "network:\n  version: 2\n  ethernets:\n"
    var i = 0
    while text.utf8.count < SplitPoint.threshold + 1000 {
      text += "    eth\(i):\n      dhcp4: false\n      addresses: [10.0.\(i % 250).2/24]   # static\n"
      text += "      routes:\n        - to: 172.16.\(i % 250).0/24\n          via: \"10.0.\(i % 250).1\"\n"
      text += "      nameservers: {addresses: [192.0.2.53], search: [example.com]}\n"
      i += 1
    }
    text += "  bridges:\n    br0:\n      interfaces: [eth0]\n"
    let source = SourceText(text)
    let point = try #require(SplitPoint.find(in: source))
    #expect(point.indent == 4 && point.start >= source.bytes.count / 2)
    let split = try #require(YAMLFile.parseSplit(source, name: "big.yaml", at: point))
    let whole = try TreeBuilder(source: source, name: "big.yaml").run()
    #expect(same(split, whole))
    let file = try YAMLFile(name: "big.yaml", bytes: source.bytes)
    #expect(same(file.documents, whole))
  }

  /// Splits `bytes` at each line in turn; each accepted split must equal the whole parse.
  private func check(_ name: String, _ bytes: [UInt8], accepted: inout Int, refused: inout Int) throws {
    let source = SourceText(bytes)
    let whole = try? TreeBuilder(source: source, name: name).run()
    var seen: Set<Int> = []
    for lineStart in source.lineStarts where lineStart < bytes.count {
      guard let point = SplitPoint.find(in: source, near: lineStart, window: 1), seen.insert(point.start).inserted else { continue }
      guard let split = YAMLFile.parseSplit(source, name: name, at: point) else {
        refused += 1
        continue
      }
      accepted += 1
      guard let whole else {
        Issue.record("\(name): split at \(point) accepted, but the whole parse fails")
        continue
      }
      #expect(same(split, whole), "\(name): split at \(point)")
    }
  }

  private func same(_ a: [YAMLDocumentNode], _ b: [YAMLDocumentNode]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
      let differ = [
        ("root", x.rootIndex == y.rootIndex), ("document marks", x.start == y.start && x.end == y.end),
        ("document markers", x.hasExplicitStart == y.hasExplicitStart && x.hasExplicitEnd == y.hasExplicitEnd),
        ("source", x.tree.source == y.tree.source), ("slots", x.tree.slots == y.tree.slots), ("texts", x.tree.texts == y.tree.texts),
        ("properties", x.tree.properties.mapValues({ [$0.anchor, $0.tag] }) == y.tree.properties.mapValues({ [$0.anchor, $0.tag] })),
      ].filter { !$0.1 }.map(\.0)
      guard differ.isEmpty else {
        Issue.record("differ: \(differ); split \(x.start)-\(x.end) \(x.tree.properties) whole \(y.start)-\(y.end) \(y.tree.properties)")
        return false
      }
      guard x.tree.records == y.tree.records else {
        if let i = x.tree.records.indices.first(where: { $0 < y.tree.records.count && x.tree.records[$0] != y.tree.records[$0] }) {
          Issue.record("record \(i): split \(x.tree.records[i]) whole \(y.tree.records[i])")
        } else {
          Issue.record("record counts: split \(x.tree.records.count) whole \(y.tree.records.count)")
        }
        return false
      }
    }
    return true
  }
}
