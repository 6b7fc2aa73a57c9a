import Testing
@testable import NetCfgYAML

/// Random edits at random paths of corpus files: each result must re-parse to exactly the
/// value an independent model of the edit predicts, and the lines outside the edited
/// collection must stay byte-identical.
@Suite struct RandomEditTests {
  static let editsPerFile = 10

  @Test func randomEditsOverTheCorpus() throws {
    var edited = 0, refused = 0
    for name in Corpus.files {
      let bytes = try Corpus.bytes(name)
      guard let file = try? YAMLFile(name: name, bytes: bytes), file.documents.count == 1,
        let root = file.root, !root.containsAnchorOrAlias, file.source.unsupportedLineBreak == nil,
        let before = try? file.meaning()
      else { continue }
      var rng = SplitMix64(seed: stableHash(name))
      let all = Spots(source: file.source).collect(root)
      for _ in 0..<Self.editsPerFile {
        guard let (edit, span) = RandomEdit.make(all, &rng) else { continue }
        let result: YAMLFile
        do {
          result = try file.edited([edit])
        } catch {
          // Refusing is allowed (odd layouts, tags); failing the proof is a bug.
          if error.message.contains("could not prove") {
            Issue.record("\(name): \(edit): \(error)")
          }
          refused += 1
          continue
        }
        edited += 1
        let reparsed = try YAMLFile(name: name, bytes: result.source.bytes)
        let expected = Model.apply(edit, to: before)
        #expect(
          try reparsed.meaning().isEquivalent(to: expected),
          "\(name): \(edit)\n\(result.source.text)")
        #expect(
          untouched(bytes, result.source.bytes, outside: span),
          "\(name): \(edit) changed lines outside \(span)\n\(result.source.text)")
      }
    }
    #expect(edited > 2000, "only \(edited) edits ran (\(refused) refused)")
    #expect(refused * 50 < edited, "\(refused) of \(edited + refused) edits refused")
  }

  /// The original's lines before `span` start the result, and those after `span` end it.
  func untouched(_ a: [UInt8], _ b: [UInt8], outside span: ClosedRange<Int>) -> Bool {
    let old = a.split(separator: 0x0A, omittingEmptySubsequences: false)
    let new = b.split(separator: 0x0A, omittingEmptySubsequences: false)
    let headCount = span.lowerBound
    let tailCount = max(0, old.count - span.upperBound - 1)
    guard headCount + tailCount <= new.count else { return false }
    return old.prefix(headCount).elementsEqual(new.prefix(headCount))
      && old.suffix(tailCount).elementsEqual(new.suffix(tailCount))
  }
}

/// Every node of a document with its path and the lines its entry occupies.
struct Spots {
  struct Spot {
    var path: YAMLPath
    var node: YAMLNode
    /// 0-based lines from the head of the node's entry (its key or its `-`) to its end.
    var lines: ClosedRange<Int>
    /// The same for the collection holding it (the whole file for the root).
    var parentLines: ClosedRange<Int>
  }

  let source: SourceText

  func collect(_ root: YAMLNode) -> [Spot] {
    let whole = 0...max(0, source.lineStarts.count - 1)
    return walk(root, YAMLPath([]), whole, whole)
  }

  private func walk(
    _ node: YAMLNode, _ path: YAMLPath, _ lines: ClosedRange<Int>, _ parent: ClosedRange<Int>
  ) -> [Spot] {
    var out = [Spot(path: path, node: node, lines: lines, parentLines: parent)]
    switch node.content {
    case .mapping(let entries, _):
      for entry in entries {
        guard let key = entry.keyText else { continue }
        let head = source.lineIndex(of: entry.key.start.offset)
        let end = max(head, source.lineIndex(of: entry.value.contentEnd))
        out += walk(entry.value, path.appending(.key(key)), head...end, lines)
      }
    case .sequence(let items, _):
      for (i, item) in items.enumerated() {
        let head = source.lineIndex(of: item.start.offset)
        let end = max(head, source.lineIndex(of: item.contentEnd))
        out += walk(item, path.appending(.index(i)), head...end, lines)
      }
    default: break
    }
    return out
  }
}

/// Random edits of the kinds the editor offers, with the lines each may touch.
enum RandomEdit {
  static let scalars: [YAMLValue] = [
    .string("eth9"), .string("192.0.2.7/24"), .string("yes"), .bool(true), .int(1500),
    .string("1500"), .string("a: b"), .string("# not a comment"), .string("中文 值"), .string(""),
    .null, .string("-dash"), .string("it's"), .string("say \"hi\""), .string("tab\there"),
    .string("line\nbreak"), .string("2001:db8::1/64"), .string("12:34:56:12:34:56"),
    .string("[not, a, list]"), .string("{x}"), .string("trailing "), .string("@at"),
  ]

  static func value(_ rng: inout SplitMix64, depth: Int = 0) -> YAMLValue {
    switch Int.random(in: 0..<(depth > 1 ? 1 : 5), using: &rng) {
    case 1: return .mapping([YAMLPair("to", .string("default")), YAMLPair("via", scalars.randomElement(using: &rng)!)])
    case 2: return .sequence([scalars.randomElement(using: &rng)!, value(&rng, depth: depth + 1)])
    case 3: return .mapping([YAMLPair("nested", value(&rng, depth: depth + 1))])
    case 4: return .sequence([])
    default: return scalars.randomElement(using: &rng)!
    }
  }

  static func make(_ spots: [Spots.Spot], _ rng: inout SplitMix64) -> (YAMLEdit, ClosedRange<Int>)? {
    guard let spot = spots.randomElement(using: &rng) else { return nil }
    let node = spot.node
    switch Int.random(in: 0..<6, using: &rng) {
    case 0 where node.isScalar && !spot.path.isEmpty:
      return (.set(spot.path, scalars.randomElement(using: &rng)!), spot.parentLines)
    case 1 where !spot.path.isEmpty:
      return (.remove(spot.path), spot.parentLines)
    case 2 where node.collectionStyle != nil && !node.entries.isEmpty:
      let key = "netcfg-\(Int.random(in: 0..<1000, using: &rng))"
      return (.set(spot.path.appending(.key(key)), value(&rng)), spot.lines)
    case 3 where node.collectionStyle != nil && !node.items.isEmpty:
      return (.append(spot.path, value(&rng)), spot.lines)
    case 4 where node.collectionStyle != nil && !spot.path.isEmpty:
      return (.set(spot.path, value(&rng)), spot.parentLines)
    case 5 where node.collectionStyle != nil && !node.entries.isEmpty:
      let path = spot.path.appending(.key("new-parent")).appending(.key("child"))
      return (.set(path, value(&rng)), spot.lines)
    default:
      return nil
    }
  }
}

/// An independent model of what each edit means, written separately from the editor's own.
enum Model {
  static func apply(_ edit: YAMLEdit, to value: YAMLValue) -> YAMLValue {
    switch edit {
    case .set(let path, let new): return update(value, path.components[...]) { _ in new } ?? .null
    case .remove(let path): return update(value, path.components[...]) { _ in nil } ?? .null
    case .append(let path, let new):
      return update(value, path.components[...]) { old in
        if case .sequence(let items)? = old { return .sequence(items + [new]) }
        return .sequence([new])
      } ?? .null
    default: return value
    }
  }

  static func update(
    _ value: YAMLValue?, _ path: ArraySlice<YAMLPath.Component>, _ change: (YAMLValue?) -> YAMLValue?
  ) -> YAMLValue? {
    guard let first = path.first else { return change(value) }
    switch (first, value) {
    case (.key(let key), .mapping(let pairs)?):
      var map = pairs
      let index = map.lastIndex { $0.key == key }
      let child = update(index.map { map[$0].value }, path.dropFirst(), change)
      if let child {
        if let index { map[index].value = child } else { map.append(YAMLPair(key, child)) }
      } else {
        map.removeAll { $0.key == key }
      }
      return .mapping(map)
    case (.key(let key), _):
      return update(.mapping([]), [.key(key)] + path.dropFirst(), change)
    case (.index(let i), .sequence(var items)?):
      if let child = update(items[i], path.dropFirst(), change) { items[i] = child } else { items.remove(at: i) }
      return .sequence(items)
    default:
      return value
    }
  }
}


/// Edits below one entry are made in that entry's lines alone (`EditWindow`): the result must
/// be byte for byte what editing the whole file gives, for single edits and for batches.
@Suite struct EditWindowTests {
  @Test func windowedEditsEqualWholeFileEdits() throws {
    var windowed = 0, batches = 0, declined = 0
    for name in Corpus.files {
      let bytes = try Corpus.bytes(name)
      guard let file = try? YAMLFile(name: name, bytes: bytes), file.documents.count == 1,
        let root = file.root, file.source.unsupportedLineBreak == nil
      else { continue }
      var rng = SplitMix64(seed: stableHash(name) &+ 7)
      let all = Spots(source: file.source).collect(root)
      for round in 0..<20 {
        // A batch: more edits near the first one (below the same device, say).
        guard let (first, _) = RandomEdit.make(all, &rng) else { continue }
        var edits = [first]
        let near = YAMLPath(Array(first.path.components.prefix(3)))
        let nearby = all.filter { $0.path.components.starts(with: near.components) }
        for _ in 0..<(round % 3) {
          if let (edit, _) = RandomEdit.make(nearby, &rng) { edits.append(edit) }
        }
        guard let window = EditWindow(for: edits, in: file) else { continue }
        let whole = try? file.edited(edits, tamper: nil, window: false)
        let inWindow = file.editedInWindow(window, edits, tamper: nil)
        guard let whole else {
          #expect(inWindow == nil, "\(name): \(edits): the window accepted what the whole file refuses")
          continue
        }
        guard let inWindow else { declined += 1; continue }
        windowed += 1
        if edits.count > 1 { batches += 1 }
        #expect(inWindow.source.bytes == whole.source.bytes, "\(name): \(edits)\n\(inWindow.source.text)\n---\n\(whole.source.text)")
        // The spliced tree is the tree a parse of the result gives, mark by mark.
        let parsed = try YAMLFile(name: name, bytes: inWindow.source.bytes)
        let same = sameTree(inWindow, parsed)
        #expect(same, "\(name): \(edits): the spliced tree differs from the parse\n\(inWindow.source.text)")
        #expect(sameArena(inWindow, parsed), "\(name): \(edits): the spliced arena differs from the parse's")
      }
    }
    #expect(windowed > 1000, "only \(windowed) windowed edits")
    #expect(batches > 300, "only \(batches) windowed batches")
    #expect(declined * 20 < windowed, "the window declined \(declined) of \(windowed + declined)")
  }

  /// The layout measures read off the arena are those a walk of the tree from the root sees,
  /// in document order (the walk below is the reference: values, items, never keys).
  @Test func layoutScanSeesWhatATreeWalkSees() throws {
    var files = 0
    var texts = Corpus.files.compactMap { try? Corpus.bytes($0) }
    // A complex key holding block collections: not looked into.
    texts.append(Array("a:\n  ? - x\n    - y\n  : - z\nb:\n    c: 1\n".utf8))
    for bytes in texts {
      guard let file = try? YAMLFile(bytes: bytes), let root = file.root else { continue }
      files += 1
      var walked: [YAMLLayout.Observation] = []
      walk(root, file.source, &walked)
      #expect(YAMLLayout.observations(of: file) == walked, "\(file.source.text)")
    }
    #expect(files > 700)
  }

  private func walk(_ node: YAMLNode, _ source: SourceText, _ seen: inout [YAMLLayout.Observation]) {
    switch node.content {
    case .mapping(let entries, .block):
      for entry in entries {
        let keyColumn = entry.key.start.column
        let value = entry.value
        if case .mapping(let children, .block) = value.content, let first = children.first, first.key.start.column > keyColumn {
          seen.append(.init(measure: .step, offset: value.start.offset, value: first.key.start.column - keyColumn))
        }
        if case .sequence(_, .block) = value.content, value.start.line > entry.key.start.line {
          seen.append(.init(measure: .sequenceIndent, offset: value.start.offset, value: value.start.column - keyColumn))
        }
        walk(value, source, &seen)
      }
    case .mapping(let entries, .flow):
      for entry in entries { walk(entry.value, source, &seen) }
    case .sequence(let items, let style):
      for item in items {
        if style == .block, let dash = source.dashOffset(before: item), !item.isEmptyPlainScalar {
          let gap = item.start.offset - dash - 1
          if case .mapping(_, .block) = item.content {
            seen.append(.init(measure: .mappingDashGap, offset: item.start.offset, value: gap))
          } else {
            seen.append(.init(measure: .dashGap, offset: item.start.offset, value: gap))
          }
        }
        walk(item, source, &seen)
      }
    default:
      break
    }
  }

  /// The window keeps only the layout observations around it that can be nearest to an
  /// edit in it: for every point of every window, the same layout as from all of them.
  @Test func windowObservationsGiveTheLayoutOfAll() throws {
    var windows = 0
    for name in Corpus.files {
      guard let file = try? YAMLFile(name: name, bytes: try Corpus.bytes(name)), file.documents.count == 1,
        let root = file.root, case .mapping(let top, _) = root.content
      else { continue }
      let all = YAMLLayout.observations(of: file)
      for section in top {
        guard case .mapping(let types, .block) = section.value.content else { continue }
        for type in types {
          guard case .mapping(let devices, .block) = type.value.content else { continue }
          for device in devices {
            let path = YAMLPath(keys: section.keyText ?? "", type.keyText ?? "", device.keyText ?? "", "mtu")
            guard let window = EditWindow(for: [.set(path, .int(1500))], in: file) else { continue }
            windows += 1
            let key = device.key.start.offset
            let outside = all.filter { !window.range.contains($0.offset) || $0.offset == key }
            for target in window.range.lowerBound...window.range.upperBound {
              let kept = YAMLLayout.nearest(window.observationsBefore + window.observationsAfter, to: target)
              #expect(kept == YAMLLayout.nearest(outside, to: target), "\(name) \(path) at \(target)")
            }
          }
        }
      }
    }
    #expect(windows > 200, "only \(windows) windows")
  }

  /// The walk towards a window finds exactly what a filter over every measure of the file
  /// keeps (per measure the last before the window and the first after it, and all made at
  /// the key), for windows and keys at node starts and at random offsets of the corpus files.
  @Test func nearestSearchKeepsWhatTheFullScanKeeps() throws {
    var cases = 0
    var texts = Corpus.files.compactMap { try? Corpus.bytes($0) }
    texts.append(Array("a:\n  ? - x\n    - y\n  : - z\nb:\n    c: 1\n    d:\n    - 1\n    -   e: 2\n".utf8))
    for bytes in texts {
      guard let file = try? YAMLFile(bytes: bytes), let document = file.documents.first, document.rootIndex != nil else { continue }
      let all = YAMLLayout.observations(of: file)
      let tree = document.tree
      // Node starts (where keys and windows begin) and random offsets.
      var offsets = Array(Set(tree.records.map { Int($0.start.offset) })).sorted()
      var rng = SplitMix64(seed: stableHash(String(decoding: bytes, as: UTF8.self)))
      for _ in 0..<8 { offsets.append(Int(rng.next() % UInt64(bytes.count + 1))) }
      for _ in 0..<24 {
        let a = offsets[Int(rng.next() % UInt64(offsets.count))], b = offsets[Int(rng.next() % UInt64(offsets.count))]
        let window = min(a, b)..<max(a, b)
        let key = rng.next() % 2 == 0 ? window.lowerBound : offsets[Int(rng.next() % UInt64(offsets.count))]
        var lastBefore = [YAMLLayout.Observation?](repeating: nil, count: 4), firstAfter = lastBefore
        var atKey: [YAMLLayout.Observation] = []
        for o in all {
          let m = o.measure.rawValue
          if o.offset == key {
            atKey.append(o)
          } else if o.offset < window.lowerBound {
            if o.offset > lastBefore[m]?.offset ?? -1 { lastBefore[m] = o }
          } else if o.offset >= window.upperBound, firstAfter[m] == nil {
            firstAfter[m] = o
          }
        }
        let found = YAMLLayout.observations(of: file, around: window, key: key)
        #expect(found.before == (lastBefore.compactMap { $0 } + atKey).sorted { $0.offset < $1.offset }, "\(window) \(key)")
        #expect(found.after == firstAfter.compactMap { $0 }.sorted { $0.offset < $1.offset }, "\(window) \(key)")
        cases += 1
      }
    }
    #expect(cases > 15_000)
  }

  @Test func windowBoundaries() throws {
    let text = """
      network:
        ethernets:
          eth0:
            dhcp4: true   # first
          # about eth1
          eth1:
            addresses: [192.0.2.1/24]

      # a comment at the margin
            # and a deeper one
          eth2: {dhcp4: true}

      """
    let file = try YAMLFile(text: text)
    let edit = YAMLEdit.set(YAMLPath(keys: "network", "ethernets", "eth1", "dhcp4"), .bool(false))
    let window = try #require(EditWindow(for: [edit], in: file))
    let windowText = String(decoding: file.source.bytes[window.range], as: UTF8.self)
    #expect(windowText == "    eth1:\n      addresses: [192.0.2.1/24]\n\n# a comment at the margin\n      # and a deeper one\n")
    #expect(window.entryPath == YAMLPath(keys: "network", "ethernets", "eth1"))
    // A set of the entry itself keeps its key line: windowed too.
    let whole = YAMLEdit.set(YAMLPath(keys: "network", "ethernets", "eth1"), .mapping([YAMLPair("dhcp4", .bool(true))]))
    #expect(EditWindow(for: [whole], in: file)?.entryPath == YAMLPath(keys: "network", "ethernets", "eth1"))
    // A flow entry, a top-level key, edits in two devices (a window of most of the file), or
    // removing the entry itself: no window.
    #expect(EditWindow(for: [.set(YAMLPath(keys: "network", "ethernets", "eth2", "mtu"), .int(9000))], in: file) == nil)
    #expect(EditWindow(for: [.set(YAMLPath(keys: "network", "version"), .int(2))], in: file) == nil)
    #expect(EditWindow(for: [edit, .set(YAMLPath(keys: "network", "ethernets", "eth0", "mtu"), .int(1500))], in: file) == nil)
    #expect(EditWindow(for: [.remove(YAMLPath(keys: "network", "ethernets", "eth1"))], in: file) == nil)
    // Anchors anywhere: the whole file is edited.
    let anchored = try YAMLFile(text: text.replacing("dhcp4: true   # first", with: "dhcp4: &t true"))
    #expect(EditWindow(for: [edit], in: anchored) == nil)
  }

  /// The windowed path on a large generated file: the device edited first, in the middle,
  /// last (the window then ends the file), each result identical to a whole-file edit and
  /// its spliced tree identical to a parse.
  /// Also with CRLF line breaks, a byte order mark and non-ASCII text before the window
  /// (columns count characters, offsets bytes).
  @Test(arguments: ["plain", "crlf", "bom-and-umlauts"])
  func devicesOfALargeFile(_ variant: String) throws {
    var text = "# generated\nnetwork:\n  version: 2\n  ethernets:\n"
    for i in 0..<300 {
      let note = variant == "bom-and-umlauts" ? "Gerät № \(i)" : "device \(i)"
      text += "    # \(note)\n    eth\(i):\n      dhcp4: false\n      addresses: [10.0.\(i % 250).2/24]   # static\n"
      text += "      routes:\n        - to: 172.16.\(i % 250).0/24\n          via: 10.0.\(i % 250).1\n"
      text += "      nameservers:\n        addresses: [192.0.2.53]\n        search: [\"\(note)\"]\n"
    }
    if variant == "crlf" { text = text.replacing("\n", with: "\r\n") }
    var bytes = Array(text.utf8)
    if variant == "bom-and-umlauts" { bytes = [0xEF, 0xBB, 0xBF] + bytes }
    let file = try YAMLFile(name: "big.yaml", bytes: bytes)
    for device in ["eth0", "eth150", "eth299"] {
      let path = YAMLPath(keys: "network", "ethernets", device)
      let edits: [YAMLEdit] = [
        .set(path.appending(.key("addresses")), .sequence([.string("192.0.2.9/24")])),
        .set(path.appending(.key("routes")), .sequence([.mapping([YAMLPair("to", .string("default")), YAMLPair("via", .string("192.0.2.1"))])])),
        .remove(path.appending(.key("nameservers"))),
        .set(path.appending(.key("mtu")), .int(9000)),
      ]
      let window = try #require(EditWindow(for: edits, in: file))
      let inWindow = try #require(file.editedInWindow(window, edits, tamper: nil))
      let whole = try file.edited(edits, tamper: nil, window: false)
      #expect(inWindow.source.bytes == whole.source.bytes, "\(variant) \(device)")
      let parsed = try YAMLFile(name: "big.yaml", bytes: inWindow.source.bytes)
      #expect(sameTree(inWindow, parsed), "\(variant) \(device)")
      #expect(sameArena(inWindow, parsed), "\(variant) \(device)")
      // In place when the file holds its tree alone: the same result.
      var alone = try YAMLFile(name: "big.yaml", bytes: bytes)
      try alone.edit(edits)
      #expect(alone.source.bytes == whole.source.bytes && sameArena(alone, parsed), "\(variant) \(device) in place")
    }
  }

  func sameTree(_ a: YAMLFile, _ b: YAMLFile) -> Bool {
    guard a.documents.count == b.documents.count else { return false }
    for (x, y) in zip(a.documents, b.documents) {
      guard x.start == y.start, x.end == y.end, x.hasExplicitStart == y.hasExplicitStart,
        x.hasExplicitEnd == y.hasExplicitEnd
      else { return false }
      switch (x.root, y.root) {
      case (nil, nil): continue
      case (let p?, let q?): if !sameNode(p, q) { return false }
      default: return false
      }
    }
    return true
  }

  /// The splice keeps the arena as a parse lays it out (post-order, each subtree one run of
  /// records, slots and texts): record by record the same, indices included.
  func sameArena(_ a: YAMLFile, _ b: YAMLFile) -> Bool {
    guard a.documents.count == 1, b.documents.count == 1 else { return false }
    let (x, y) = (a.documents[0], b.documents[0])
    return x.rootIndex == y.rootIndex && x.tree.records == y.tree.records && x.tree.slots == y.tree.slots
      && x.tree.texts == y.tree.texts && x.tree.source == y.tree.source
      && x.tree.properties.mapValues { [$0.anchor, $0.tag] } == y.tree.properties.mapValues { [$0.anchor, $0.tag] }
  }

  func sameNode(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
    guard a.start == b.start, a.endOffset == b.endOffset, a.contentEnd == b.contentEnd, a.anchor == b.anchor, a.tag == b.tag
    else {
      Issue.record("node at \(a.start) / \(b.start): end \(a.endOffset) / \(b.endOffset), contentEnd \(a.contentEnd) / \(b.contentEnd)")
      return false
    }
    switch (a.content, b.content) {
    case (.scalar(let s, let t), .scalar(let u, let v)): return s == u && t == v
    case (.alias(let s), .alias(let u)): return s == u
    case (.mapping(let p, let s), .mapping(let q, let t)):
      return s == t && p.count == q.count && zip(p, q).allSatisfy { sameNode($0.key, $1.key) && sameNode($0.value, $1.value) }
    case (.sequence(let p, let s), .sequence(let q, let t)):
      return s == t && p.count == q.count && zip(p, q).allSatisfy { sameNode($0, $1) }
    default: return false
    }
  }
}
