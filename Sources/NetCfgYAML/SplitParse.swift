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
      // The end: the first content line indented less than `indent` (read off the line
      // starts the source already has: no search for line breaks again).
      let startLine = source.lineIndex(of: start)
      let lineStarts = source.lineStarts
      var end = count, endIndent = 0, endLine = lineStarts.count - 1
      scan: for index in (startLine + 1)..<lineStarts.count {
        let line = lineStarts[index]
        guard line < count else { break }
        var k = 0
        while k < indent, line + k < count, b[line + k] == 0x20 { k += 1 }
        if k == indent { continue }
        switch b[line + k] {
        case 0x0A, 0x23:  // blank, comment
          continue
        case 0x21...0x7E:
          (end, endIndent, endLine) = (line, k, index)
          break scan
        default:
          return nil  // a tab (or other byte) where the indentation ends
        }
      }
      return SplitPoint(
        start: start, indent: indent, end: end, endIndent: endIndent, startLine: startLine + 1,
        middleLines: endLine - startLine)
    }
  }
}

extension YAMLFile {
  /// The documents of `source` parsed in two parts at once, split at `point`; nil when the
  /// split does not give what the whole parse gives (the caller parses it whole then).
  static func parseSplit(_ source: SourceText, name: String, at point: SplitPoint) -> [YAMLDocumentNode]? {
    let bytes = source.bytes
    let outer = Handoff<TreeBuilder.Parsed>(), middle = Handoff<TreeBuilder.Parsed>()
    // Room for the whole file's nodes: the middle's join the outer tree without growing it.
    let nodes = bytes.count / 11 + 16
    // An ASCII file's parts are read in place, their marks made the file's as they are read
    // (`TreeBuilder.range`); the outer part only when it is the lines before S (E at the end
    // of the file). Otherwise each part's bytes are copied, on its own thread, and parsed as
    // a text of their own.
    concurrently(2) { part in
      if part == 0 {
        var builder: TreeBuilder
        if source.isASCII && point.end == bytes.count {
          builder = TreeBuilder(source: source, name: name)
          builder.range = 0..<point.start
        } else {
          let outerBytes = [UInt8](unsafeUninitializedCapacity: point.start + bytes.count - point.end) { buffer, count in
            _ = buffer.initialize(fromContentsOf: bytes[..<point.start])
            _ = buffer[point.start...].initialize(fromContentsOf: bytes[point.end...])
            count = buffer.count
          }
          builder = TreeBuilder(source: SourceText(outerBytes), name: name)
        }
        builder.reserveNodes = nodes
        outer.value = try? builder.parse()
      } else {
        var builder: TreeBuilder
        let inPlace = source.isASCII
        if inPlace {
          builder = TreeBuilder(source: source, name: name)
          builder.range = point.start..<point.end
          builder.linesBefore = point.startLine - 1
        } else {
          builder = TreeBuilder(source: SourceText(Array(bytes[point.start..<point.end])), name: name)
        }
        guard var parsed = try? builder.parse(), parsed.placeMarks(asMiddleOf: point, fileSize: bytes.count, read: inPlace ? .inPlace : .copied)
        else { return }
        middle.value = parsed
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
  /// How the middle part was read: in place (its marks are the file's already) or copied
  /// (its marks count from its own start).
  enum PartReading { case inPlace, copied }

  /// Gives the middle part's records (parsed alone) the marks the whole parse gives them:
  /// moved down to S (when copied; read in place, they are there already), and the block
  /// collections its end closed closed by E's first token.
  /// On the middle's thread, while the other part is still parsed. False when anything else
  /// reaches the middle's end before E (an empty value, a block scalar: their marks depend
  /// on what follows; such a split is not made).
  mutating func placeMarks(asMiddleOf p: SplitPoint, fileSize: Int, read: PartReading) -> Bool {
    let inPlace = read == .inPlace
    // Offsets and lines to add (none for a part read in place), and where the part ends as
    // its marks say.
    let (s, lines) = inPlace ? (0, 0) : (p.start, p.startLine - 1)
    let length = inPlace ? p.end : p.end - p.start
    let closedAtEnd =
      p.end < fileSize ? YAMLMark(offset: p.end + p.endIndent, line: p.startLine + p.middleLines, column: p.endIndent + 1) : nil
    return tree.records.withUnsafeMutableBufferPointer { records -> Bool in
      for j in records.indices {
        var r = records[j]
        if Int(r.endOffset) >= length, let closedAtEnd {
          guard r.isBlockCollection, r.start.offset < length, Int(r.contentEnd) < length else { return false }
          r.endOffset = Int32(closedAtEnd.offset)
        } else if inPlace {
          continue  // nothing moves
        } else {
          r.endOffset += Int32(s)
        }
        r.start = YAMLMark(offset: r.start.offset + s, line: r.start.line + lines, column: r.start.column)
        r.contentEnd += Int32(s)
        if r.inSource { r.payload += Int32(s) }
        records[j] = r
      }
      return true
    }
  }

  /// True when the last character before `offset` on its line, spaces passed over, is `?`.
  static func followsExplicitKeyIndicator(_ offset: Int, in source: [UInt8]) -> Bool {
    var i = offset - 1
    while i >= 0, source[i] == UInt8(ascii: " ") { i -= 1 }
    return i >= 0 && source[i] == UInt8(ascii: "?")
  }

  /// Puts the middle part's entries (`inner`, parsed alone, its marks placed) into the
  /// mapping they belong to, every index and mark where the whole parse has it. False when
  /// the two parts are not what a split at `p` must give.
  mutating func join(_ inner: inout TreeBuilder.Parsed, at p: SplitPoint, source: [UInt8]) -> Bool {
    guard documents.count == 1, inner.documents.count == 1, let outerRoot = documents[0].root,
      let innerRoot = inner.documents[0].root, Int(innerRoot) == inner.tree.records.count - 1,
      aliases + inner.aliases <= TreeBuilder.maximumAliasExpansion
    else { return false }
    let s = p.start, indent = p.indent
    // In the outer part the line after S's is E's: what closes there closes at its first token.
    let junction = s + p.endIndent
    let shift = p.end - s
    let innerRecord = inner.tree.records[Int(innerRoot)]
    guard innerRecord.kind == .mapping, innerRecord.style == CollectionStyle.block.code, !innerRecord.hasProperties,
      innerRecord.start == YAMLMark(offset: s + indent, line: p.startLine, column: indent + 1)
    else { return false }
    let innerCount = inner.tree.records.count - 1  // the middle's records, its root left out
    let (q, innerRootCount) = (Int(innerRecord.payload), Int(innerRecord.count))
    guard q + innerRootCount == inner.tree.slots.count else { return false }

    // The first part, up to M (the block mapping indented `indent` open at S, closed at the
    // junction): what reached the junction reached S's first token in the whole file.
    var textsBefore = 0
    let slots = tree.slots
    let found = tree.records.withUnsafeMutableBufferPointer { records -> Int? in
      for i in records.indices {
        var r = records[i]
        guard Int(r.endOffset) >= s else {
          if r.isText { textsBefore += 1 }
          continue
        }
        // Its first key's column, not its own: a tag or anchor before a block mapping is
        // where the mapping starts. Not a key written after `? ` (an explicit key): the
        // mapping is then at the `?`'s column, and the key's may be another's (a mapping
        // whose first key is itself a mapping at S's column).
        if r.kind == .mapping && r.style == CollectionStyle.block.code && r.count >= 2 && r.start.offset < s
          && records[Int(slots[Int(r.payload)])].start.column == indent + 1
          && !Self.followsExplicitKeyIndicator(records[Int(slots[Int(r.payload)])].start.offset, in: source)
        {
          return Int(r.endOffset) == junction ? i : nil
        }
        // Closed at the junction: in the whole file by S's first token. Only block
        // collections (an empty value or a block scalar there: no split).
        guard r.isBlockCollection, r.start.offset < s, Int(r.contentEnd) < s, Int(r.endOffset) == junction else { return nil }
        r.endOffset = Int32(s + indent)
        records[i] = r
      }
      return nil
    }
    guard let m = found else { return false }
    let (p0, mCount) = (Int(tree.records[m].payload), Int(tree.records[m].count))
    let innerTexts = inner.tree.texts.count
    let mContentEnd = innerRecord.contentEnd
    let oldMContentEnd = tree.records[m].contentEnd
    guard Int(oldMContentEnd) < s else { return false }
    var ancestors = 0
    // M, its ancestors, and what follows E.
    let ok = tree.records.withUnsafeMutableBufferPointer { records -> Bool in
      for i in m..<records.count {
        var r = records[i]
        guard Int(r.endOffset) >= s else { return false }
        r.endOffset += Int32(shift)
        if r.start.offset >= s {
          // After E.
          r.start = YAMLMark(offset: r.start.offset + shift, line: r.start.line + p.middleLines, column: r.start.column)
          r.contentEnd += Int32(shift)
        } else if i == m || Int(r.contentEnd) < s {
          // M, and the ancestors whose last descendant it is.
          guard r.contentEnd == oldMContentEnd else { return false }
          if i > m { ancestors += 1 }
          r.contentEnd = mContentEnd
        } else {
          // An ancestor that goes on after E.
          ancestors += 1
          r.contentEnd += Int32(shift)
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
    // The middle's indices: its slots' runs go before M's, its texts after the first part's.
    inner.tree.records.withUnsafeMutableBufferPointer { records in
      for j in 0..<innerCount where records[j].kind != .scalar || !records[j].inSource {
        if records[j].kind == .mapping || records[j].kind == .sequence {
          records[j].payload += Int32(p0)
        } else {
          records[j].payload += Int32(textsBefore)
        }
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
  /// True for mappings and sequences written with indentation.
  var isBlockCollection: Bool { (kind == .mapping || kind == .sequence) && style == CollectionStyle.block.code }
}

extension YAMLFile {
  /// For the fuzzer: `bytes` split at the first line from `near` on where a key starts
  /// (whatever the size) and parsed whole. Nil when no split is made there; else whether
  /// the split gives exactly the whole parse (arena, documents; no split of a file that
  /// does not parse).
  @_spi(Fuzzing) public static func splitParseAgrees(_ bytes: [UInt8], near: Int) -> Bool? {
    let source = SourceText(bytes)
    guard let point = SplitPoint.find(in: source, near: min(max(near, 0), bytes.count), window: 1),
      let split = parseSplit(source, name: "<fuzz>", at: point)
    else { return nil }
    guard let whole = try? TreeBuilder(source: source, name: "<fuzz>").run(), whole.count == split.count else { return false }
    return zip(split, whole).allSatisfy { x, y in
      x.rootIndex == y.rootIndex && x.start == y.start && x.end == y.end && x.hasExplicitStart == y.hasExplicitStart
        && x.hasExplicitEnd == y.hasExplicitEnd && x.tree.source == y.tree.source && x.tree.records == y.tree.records
        && x.tree.slots == y.tree.slots && x.tree.texts == y.tree.texts
        && x.tree.properties.mapValues { [$0.anchor, $0.tag] } == y.tree.properties.mapValues { [$0.anchor, $0.tag] }
    }
  }
}
