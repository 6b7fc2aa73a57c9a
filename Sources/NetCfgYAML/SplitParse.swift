#if canImport(Glibc)
  import Glibc
#endif

// A large file parsed in two parts at once, on two threads: libyaml reads about 80 MB/s
// here, so the parse of a 10,000-device file was a third of `validate` and ran on one core.
//
// The middle part is a run of entries of one block mapping M: from a line S that opens one
// of its keys (indented I) to the first line E after it that is less indented (comments and
// blank lines aside). libyaml reads those lines the same alone as after the rest: in block
// context the scanner's state at the start of a line is its stack of indentations, and a key
// line at M's indentation closes everything deeper than M. So one thread parses the lines
// S..<E alone (a mapping indented I), the other the file without them; the middle's entries
// then join M's, and the marks of what follows move down by the lines taken out. Whatever
// does not show itself to be that case (a parse error in either part, M not open at S,
// a scalar or flow collection of the first part reaching past S, anchors, line breaks other
// than `\n`) gives nil, and the file is parsed whole: a split never changes a result, errors
// included. Tests compare the arenas record by record with the whole parse's, over the
// corpus at every line where a split can be made.

/// Where a file is split (see above): the lines `start..<end`.
struct SplitPoint: Equatable {
  /// The first byte of the line that opens the middle part: `indent` spaces, then a key.
  var start: Int
  var indent: Int
  /// The first line after it less indented than `indent`, or the end of the file.
  var end: Int
  /// The indentation of that line (0 at the end of the file).
  var endIndent: Int
  /// The 1-based number of the line at `start`.
  var startLine: Int
  /// The line breaks in `start..<end`.
  var middleLines: Int

  /// From this size on a file is split (below it, starting a thread costs more than it saves).
  static let threshold = 256 << 10
  /// How many lines from the middle of the file are looked at for the least indented key.
  static let window = 400

  /// A split at the least indented key line among the `window` lines from the middle of
  /// `source` (from `near` when given, at any size: for tests). Nil when the file is smaller
  /// than `threshold`, may hold anchors, has line breaks other than `\n` or none at its end,
  /// or a tab in the indentation of a line that would end the middle part.
  static func find(in source: SourceText, near: Int? = nil, window: Int = SplitPoint.window) -> SplitPoint? {
    let bytes = source.bytes
    guard near != nil || bytes.count >= threshold, bytes.count > 1, !source.hasAmpersand, bytes.last == 0x0A else { return nil }
    let hasCarriageReturn = bytes.withUnsafeBufferPointer { memchr($0.baseAddress!, 0x0D, $0.count) != nil }
    guard !hasCarriageReturn, source.isASCII || source.unsupportedLineBreak == nil else { return nil }
    return bytes.withUnsafeBufferPointer { b -> SplitPoint? in
      let count = b.count
      func nextLine(_ at: Int) -> Int {
        guard at < count, let found = memchr(b.baseAddress! + at, 0x0A, count - at) else { return count }
        return b.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
      }
      func spaces(_ at: Int) -> Int {
        var i = at
        while i < count, b[i] == 0x20 { i += 1 }
        return i - at
      }
      let from = near ?? count / 2
      var line = from == 0 ? 0 : nextLine(from - 1)
      var best: (start: Int, indent: Int)?
      for _ in 0..<window where line < count {
        let indent = spaces(line)
        let first = line + indent < count ? b[line + indent] : 0
        let isKeyStart = (first >= 0x30 && first <= 0x39) || (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) || first == 0x5F
        if indent > 0, isKeyStart, indent < (best?.indent ?? Int.max) { best = (line, indent) }
        line = nextLine(line)
      }
      guard let (start, indent) = best else { return nil }
      // The end: the first content line indented less than `indent`.
      var end = count, endIndent = 0
      line = nextLine(start)
      scan: while line < count {
        var k = 0
        while k < indent, line + k < count, b[line + k] == 0x20 { k += 1 }
        if k == indent {
          line = nextLine(line)
          continue
        }
        switch b[line + k] {
        case 0x0A, 0x23:  // blank, comment
          line = nextLine(line)
        case 0x21...0x7E:
          end = line
          endIndent = k
          break scan
        default:
          return nil  // a tab (or other byte) where the indentation ends
        }
      }
      let startLine = source.lineIndex(of: start)
      return SplitPoint(
        start: start, indent: indent, end: end, endIndent: endIndent, startLine: startLine + 1,
        middleLines: source.lineIndex(of: end) - startLine)
    }
  }
}

extension YAMLFile {
  /// The documents of `source` parsed in two parts at once, split at `point`; nil when the
  /// split does not give what the whole parse gives (the caller parses it whole then).
  static func parseSplit(_ source: SourceText, name: String, at point: SplitPoint) -> [YAMLDocumentNode]? {
    let bytes = source.bytes
    let outerBytes = [UInt8](unsafeUninitializedCapacity: point.start + bytes.count - point.end) { buffer, count in
      _ = buffer.initialize(fromContentsOf: bytes[..<point.start])
      _ = buffer[point.start...].initialize(fromContentsOf: bytes[point.end...])
      count = buffer.count
    }
    let middleBytes = Array(bytes[point.start..<point.end])
    let outer = Handoff<TreeBuilder.Parsed>(), middle = Handoff<TreeBuilder.Parsed>()
    // Room for the whole file's nodes: the middle's join the outer tree without growing it.
    let nodes = bytes.count / 11 + 16
    concurrently(2) { part in
      if part == 0 {
        var builder = TreeBuilder(source: SourceText(outerBytes), name: name)
        builder.reserveNodes = nodes
        outer.value = try? builder.parse()
      } else {
        middle.value = try? TreeBuilder(source: SourceText(middleBytes), name: name).parse()
      }
    }
    guard var parsed = outer.value, var inner = middle.value else { return nil }
    // The slots let go: the trees are changed in place below, not copied.
    outer.value = nil
    middle.value = nil
    guard parsed.join(&inner, at: point, source: bytes) else { return nil }
    return parsed.documentNodes
  }
}

extension TreeBuilder.Parsed {
  /// Puts the middle part's entries (`inner`, parsed alone) into the mapping they belong to,
  /// and every mark and index where the whole parse has it. False when the two parts are
  /// not what a split at `p` must give.
  mutating func join(_ inner: inout TreeBuilder.Parsed, at p: SplitPoint, source: [UInt8]) -> Bool {
    guard documents.count == 1, inner.documents.count == 1, let outerRoot = documents[0].root,
      let innerRoot = inner.documents[0].root, Int(innerRoot) == inner.tree.records.count - 1,
      aliases + inner.aliases <= TreeBuilder.maximumAliasExpansion
    else { return false }
    let s = p.start, indent = p.indent
    // In the outer part the line after S's is the first line of E: what closes there.
    let junction = s + p.endIndent
    let shift = p.end - s
    let innerLength = p.end - s
    let innerRecord = inner.tree.records[Int(innerRoot)]
    guard innerRecord.kind == .mapping, innerRecord.style == CollectionStyle.block.code, !innerRecord.hasProperties,
      innerRecord.start == YAMLMark(offset: indent, line: 1, column: indent + 1)
    else { return false }
    // M: the block mapping indented `indent` open at S, closed at the junction.
    guard
      let m = tree.records.firstIndex(where: {
        $0.kind == .mapping && $0.style == CollectionStyle.block.code && $0.start.column == indent + 1
          && $0.start.offset < s && Int($0.endOffset) >= s
      }), Int(tree.records[m].endOffset) == junction
    else { return false }
    let innerCount = inner.tree.records.count - 1  // the middle's records, its root left out
    let innerTexts = inner.tree.texts.count
    let (p0, mCount) = (Int(tree.records[m].payload), Int(tree.records[m].count))
    let (q, innerRootCount) = (Int(innerRecord.payload), Int(innerRecord.count))
    guard q + innerRootCount == inner.tree.slots.count else { return false }

    // The middle's marks: where the whole parse has them. What its end closed is closed in
    // the whole file by E's first token.
    let lastLine = p.startLine + p.middleLines
    let closedAtEnd = p.end < source.count ? YAMLMark(offset: p.end + p.endIndent, line: lastLine, column: p.endIndent + 1) : nil
    func middle(_ mark: YAMLMark) -> YAMLMark {
      if mark.offset >= innerLength, let closedAtEnd { return closedAtEnd }
      return YAMLMark(offset: mark.offset + s, line: mark.line + p.startLine - 1, column: mark.column)
    }
    func middle(_ offset: Int32) -> Int32 {
      if Int(offset) >= innerLength, let closedAtEnd { return Int32(closedAtEnd.offset) }
      return offset + Int32(s)
    }
    var textsBefore = 0
    let mContentEnd = middle(innerRecord.contentEnd)
    let oldMContentEnd = tree.records[m].contentEnd
    var ancestors = 0
    let ok = tree.records.withUnsafeMutableBufferPointer { records -> Bool in
      // Before M: the first part. What reached the junction reached S's first token.
      let atS = YAMLMark(offset: s + indent, line: p.startLine, column: indent + 1)
      for i in 0..<m {
        var r = records[i]
        if r.start.offset >= s {
          guard r.start.offset == junction else { return false }
          r.start = atS
        }
        // A block scalar ends at the start of the line that ends it (S), whatever its indentation.
        let isBlockScalar = r.kind == .scalar && (r.style == ScalarStyle.literal.code || r.style == ScalarStyle.folded.code)
        if isBlockScalar, Int(r.endOffset) >= s {
          guard Int(r.endOffset) == s, Int(r.contentEnd) <= s else { return false }
        }
        if Int(r.endOffset) >= s, !isBlockScalar {
          guard Int(r.endOffset) == junction else { return false }
          r.endOffset = Int32(s + indent)
        }
        if Int(r.contentEnd) >= s, !isBlockScalar {
          guard Int(r.contentEnd) == junction else { return false }
          r.contentEnd = Int32(s + indent)
        }
        if r.isText { textsBefore += 1 }
        if r.inSource, Int(r.payload) >= s {
          guard Int(r.payload) == junction else { return false }
          r.payload = Int32(s + indent)
        }
        records[i] = r
      }
      // M, its ancestors, and what follows E.
      for i in m..<records.count {
        var r = records[i]
        if r.start.offset >= s {
          r.start = YAMLMark(offset: r.start.offset + shift, line: r.start.line + p.middleLines, column: r.start.column)
        } else if i > m {
          ancestors += 1
        }
        guard Int(r.endOffset) >= s else { return false }
        r.endOffset += Int32(shift)
        if Int(r.contentEnd) >= s {
          r.contentEnd += Int32(shift)
        } else {
          guard r.contentEnd == oldMContentEnd else { return false }
          r.contentEnd = mContentEnd
        }
        if i == m {
          r.payload = Int32(p0 + q)
          r.count = Int32(mCount + innerRootCount)
        } else if r.kind == .mapping || r.kind == .sequence {
          guard Int(r.payload) >= p0 + mCount else { return false }
          r.payload += Int32(q + innerRootCount)
        } else if r.isText {
          r.payload += Int32(innerTexts)
        } else if r.inSource, Int(r.payload) >= s {
          r.payload += Int32(shift)
        }
        records[i] = r
      }
      return true
    }
    guard ok, ancestors + inner.deepestOpen < TreeBuilder.maximumDepth else { return false }
    inner.tree.records.withUnsafeMutableBufferPointer { records in
      for j in 0..<innerCount {
        var r = records[j]
        r.start = middle(r.start)
        r.endOffset = middle(r.endOffset)
        r.contentEnd = middle(r.contentEnd)
        if r.kind == .mapping || r.kind == .sequence {
          r.payload += Int32(p0)
        } else if r.isText {
          r.payload += Int32(textsBefore)
        } else if r.inSource {
          r.payload = middle(r.payload)
        }
        records[j] = r
      }
    }
    tree.slots.withUnsafeMutableBufferPointer { slots in
      for i in p0..<slots.count where Int(slots[i]) >= m { slots[i] += Int32(innerCount) }
    }
    inner.tree.slots.withUnsafeMutableBufferPointer { slots in
      for i in slots.indices { slots[i] += Int32(m) }
    }
    tree.records.insert(contentsOf: inner.tree.records[..<innerCount], at: m)
    tree.slots.insert(contentsOf: inner.tree.slots[q...], at: p0 + mCount)
    tree.slots.insert(contentsOf: inner.tree.slots[..<q], at: p0)
    tree.texts.insert(contentsOf: inner.tree.texts, at: textsBefore)
    if !tree.properties.isEmpty || !inner.tree.properties.isEmpty {
      var moved: [Int32: YAMLTree.Properties] = [:]
      for (index, properties) in tree.properties { moved[index >= m ? index + Int32(innerCount) : index] = properties }
      for (index, properties) in inner.tree.properties { moved[index + Int32(m)] = properties }
      tree.properties = moved
    }
    aliases += inner.aliases
    deepestOpen = max(deepestOpen, ancestors + inner.deepestOpen)
    inner = TreeBuilder.Parsed(tree: YAMLTree(source: []), documents: [], deepestOpen: 0, aliases: 0)
    tree.source = source
    var document = documents[0]
    document.root = outerRoot >= Int32(m) ? outerRoot + Int32(innerCount) : outerRoot
    func moved(_ mark: YAMLMark) -> YAMLMark {
      mark.offset < s ? mark : YAMLMark(offset: mark.offset + shift, line: mark.line + p.middleLines, column: mark.column)
    }
    document.start = moved(document.start)
    document.end = moved(document.end)
    documents = [document]
    return true
  }
}

extension YAMLTree.Record {
  /// True when the payload indexes `texts` (aliases and scalars not read in the source).
  var isText: Bool { kind == .alias || (kind == .scalar && !inSource) }
}
