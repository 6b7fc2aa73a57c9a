internal import YAMLBridge

/// A parsed YAML file: its source and its documents, every node carrying its source range.
public struct YAMLFile: Sendable {
  public let name: String
  public let source: SourceText
  public internal(set) var documents: [YAMLDocumentNode]

  /// Parses `bytes` with libyaml. Throws a located `YAMLError` for invalid YAML.
  /// `only`: build the tree only along these keys (from the root down) and in full below
  /// them; every other entry of the mappings on the way is left out (still parsed, so invalid
  /// YAML anywhere is still an error). A partial tree, for reading one value out of a large
  /// file: not for editing or checking. Ignored when the file may hold anchors (an alias on
  /// the path may name a node elsewhere).
  public init(name: String = "<input>", bytes: [UInt8], only keys: [String]? = nil) throws(YAMLError) {
    self.name = name
    let source = SourceText(bytes)
    self.source = source
    if bytes.count >= Int(Int32.max) {
      throw YAMLError(file: name, line: 1, column: 1, message: "the file is too large (2 GiB or more) to be a netplan file")
    }
    if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
      throw YAMLError(
        file: name, line: 1, column: 1, message: "UTF-16 files are not supported; use UTF-8")
    }
    if keys?.isEmpty ?? true, let point = SplitPoint.find(in: source), let documents = YAMLFile.parseSplit(source, name: name, at: point) {
      self.documents = documents
      return
    }
    var builder = TreeBuilder(source: source, name: name)
    if let keys, !keys.isEmpty, !source.hasAmpersand { builder.keys = keys }
    documents = try builder.run()
  }

  public init(name: String = "<input>", text: String) throws(YAMLError) {
    try self.init(name: name, bytes: Array(text.utf8))
  }

  /// False when no node can carry an anchor (the file has no `&` at all): lets walkers skip
  /// looking for anchors.
  public var mayHaveAnchors: Bool { source.hasAmpersand }

  /// The only document's root; nil when the file holds no document or an empty one.
  public var root: YAMLNode? { documents.first?.root }

  /// A located error at byte `offset`, with the source line for the caret display.
  public func error(at offset: Int, _ message: String, notes: [String] = []) -> YAMLError {
    let line = source.lineIndex(of: offset)
    let lineStart = source.lineStarts[line]
    let prefix = source.bytes[lineStart..<min(offset, source.bytes.count)]
    let column = String(decoding: prefix, as: UTF8.self).count + 1
    return YAMLError(
      file: name, line: line + 1, column: column, message: message,
      sourceLine: source.lineText(line), notes: notes)
  }
}

/// Turns libyaml's event stream into a `YAMLTree`. Owns the parser and frees it.
struct TreeBuilder {
  let source: SourceText
  let name: String
  /// The keys to build along (see `YAMLFile.init(name:bytes:only:)`); empty: the whole tree.
  var keys: [String] = []
  /// The nodes to make room for; nil: an estimate from the size of `source`.
  var reserveNodes: Int?
  /// The bytes of `source` parsed: a part of an ASCII file read in place (`parseSplit`),
  /// starting at a line start; nil: all of it. libyaml counts characters and lines from the
  /// start of what it reads: the part's marks are made the file's, offsets and lines alike.
  var range: Range<Int>?
  /// The lines of `source` before `range`.
  var linesBefore = 0

  /// A parse: the tree, its documents, and how deep collections were opened.
  struct Parsed {
    var tree: YAMLTree
    var documents: [Document]
    /// The most collections open when one was opened (for the depth limit of a part parsed
    /// alone, `YAMLFile.parseSplit`).
    var deepestOpen: Int
    /// The number of alias nodes.
    var aliases: Int

    /// A document's root and marks.
    struct Document {
      var root: Int32?
      var start: YAMLMark
      var end: YAMLMark
      var explicitStart: Bool
      var explicitEnd: Bool
    }

    var documentNodes: [YAMLDocumentNode] {
      documents.map {
        YAMLDocumentNode(
          tree: tree, rootIndex: $0.root, start: $0.start, end: $0.end, hasExplicitStart: $0.explicitStart,
          hasExplicitEnd: $0.explicitEnd)
      }
    }
  }

  /// A collection being built: its start event data and the children seen so far.
  private struct Open {
    var isMapping: Bool
    var style: CollectionStyle
    var start: YAMLMark
    var anchor: String?
    var tag: String?
    /// Where its children start in the shared stack of children (`readEvents`' `children`):
    /// every open collection's children sit there in order, and closing one takes its own off
    /// the top into an array of exactly their number (no array per collection growing
    /// child by child).
    var firstChild: Int
    /// For a mapping on the way along `keys`: the index of the key its entries must have
    /// (the others are skipped); nil: everything below is built.
    var filter: Int?
    /// Nodes below it with every alias expanded (capped), for the alias-bomb limit.
    var expanded = 1
  }

  /// Deeper nesting is refused (netplan files nest about ten levels; each level costs stack
  /// in every walk of the tree).
  static let maximumDepth = 256
  /// More nodes than this reached through aliases is refused (an alias bomb: a few lines
  /// that expand to billions of nodes).
  static let maximumAliasExpansion = 1_000_000

  init(source: SourceText, name: String) {
    self.source = source
    self.name = name
  }

  func run() throws(YAMLError) -> [YAMLDocumentNode] {
    try parse().documentNodes
  }

  func parse() throws(YAMLError) -> Parsed {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw YAMLError(file: name, line: 0, column: 0, message: "libyaml could not start")
    }
    defer { yaml_parser_delete(&parser) }
    let result: Result<Parsed, YAMLError> = source.bytes.withUnsafeBufferPointer { buf in
      if let range {
        precondition(range.lowerBound >= 0 && range.upperBound <= buf.count && (range.lowerBound == 0 || source.isASCII))
        yaml_parser_set_input_string(&parser, buf.baseAddress.map { $0 + range.lowerBound }, range.count)
      } else {
        yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
      }
      return Result { () throws(YAMLError) in try readEvents(&parser) }
    }
    return try result.get()
  }

  private func readEvents(_ parser: inout yaml_parser_t) throws(YAMLError) -> Parsed {
    var cursor = 0
    let partStart = range?.lowerBound ?? 0
    // The documents' roots and marks, made `YAMLDocumentNode`s over the finished tree.
    var documents: [Parsed.Document] = []
    var stack: [Open] = []
    var tree = YAMLTree(source: source.bytes)
    // About one node per 11 bytes in netplan files: enough for most files without growing.
    tree.reserve(nodes: reserveNodes ?? (range?.count ?? source.bytes.count) / 11 + 16)
    var deepestOpen = 0
    var aliases = 0
    var root: Int32?
    var docStart = YAMLMark(offset: 0, line: 1, column: 1)
    var explicitStart = false
    var anchorSizes: [String: Int] = [:]
    var aliasExpansion = 0
    var children: [Int32] = []
    children.reserveCapacity(64)
    // Building along `keys` only: the depth of the collection being skipped (0: none), and
    // whether the node that comes next is a value to skip (its key did not match).
    var skipping = 0
    var skipValue = false
    var skipValueAfterKey = false
    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else { throw parseError(parser) }
      defer { yaml_event_delete(&event) }
      let start = mark(event.start_mark, &cursor, partStart: partStart)
      let end = mark(event.end_mark, &cursor, partStart: partStart)
      if !keys.isEmpty {
        let type = event.type
        let opens = type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT
        let closes = type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT
        if skipping > 0 || skipValue {
          if opens && stack.count + skipping >= TreeBuilder.maximumDepth {
            throw limitError(at: start, "nested more than \(TreeBuilder.maximumDepth) levels deep; netcfg refuses the file")
          }
          if skipping == 0 { skipValue = false }  // this node is the value skipped
          if opens { skipping += 1 }
          if closes { skipping -= 1 }
          if skipping == 0 && skipValueAfterKey && (closes || !opens) {
            skipValueAfterKey = false
            skipValue = true
          }
          continue
        }
        // In a mapping on the way, at a key: only the wanted key and its value are built.
        if let open = stack.last, open.isMapping, let filter = open.filter, (children.count - open.firstChild) % 2 == 0 {
          if opens {  // a complex key: never the wanted one
            skipping = 1
            skipValueAfterKey = true
            continue
          }
          if type == YAML_ALIAS_EVENT
            || (type == YAML_SCALAR_EVENT && string(event.data.scalar.value, event.data.scalar.length) != keys[filter])
          {
            skipValue = true
            continue
          }
        }
      }
      var finished: Int32?
      var finishedSize = 1
      var finishedAnchor: String?
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return Parsed(tree: tree, documents: documents, deepestOpen: deepestOpen, aliases: aliases)
      case YAML_DOCUMENT_START_EVENT:
        docStart = start
        explicitStart = event.data.document_start.implicit == 0
        root = nil
      case YAML_DOCUMENT_END_EVENT:
        documents.append(
          Parsed.Document(root: root, start: docStart, end: end, explicitStart: explicitStart, explicitEnd: event.data.document_end.implicit == 0))
      case YAML_SCALAR_EVENT:
        let s = event.data.scalar
        let style = scalarStyle(s.style)
        let isBlock = style == .literal || style == .folded
        finishedAnchor = string(s.anchor)
        finished = tree.appendScalar(
          s.value, length: s.length, style, start: start, end: end.offset,
          contentEnd: isBlock ? trimmedEnd(from: start.offset, to: end.offset) : end.offset,
          anchor: finishedAnchor, tag: string(s.tag))
      case YAML_ALIAS_EVENT:
        let anchor = string(event.data.alias.anchor) ?? ""
        // `a: &x {b: *x}`: a node that contains itself has no value, and every walk of it loops.
        if stack.contains(where: { $0.anchor == anchor }) {
          throw limitError(at: start, "alias '*\(anchor)' is inside the node it names (a recursive alias); netcfg refuses the file")
        }
        aliasExpansion += anchorSizes[anchor] ?? 1
        if aliasExpansion > TreeBuilder.maximumAliasExpansion {
          throw limitError(
            at: start, "aliases expand to more than \(TreeBuilder.maximumAliasExpansion) nodes (an alias bomb?); netcfg refuses the file")
        }
        finishedSize = anchorSizes[anchor] ?? 1
        aliases += 1
        finished = tree.appendAlias(anchor, start: start, end: end.offset, contentEnd: end.offset)
      case YAML_SEQUENCE_START_EVENT where stack.count >= TreeBuilder.maximumDepth,
        YAML_MAPPING_START_EVENT where stack.count >= TreeBuilder.maximumDepth:
        throw limitError(at: start, "nested more than \(TreeBuilder.maximumDepth) levels deep; netcfg refuses the file")
      case YAML_SEQUENCE_START_EVENT:
        deepestOpen = max(deepestOpen, stack.count)
        let d = event.data.sequence_start
        stack.append(
          Open(
            isMapping: false, style: d.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block,
            start: start, anchor: string(d.anchor), tag: string(d.tag), firstChild: children.count))
        // A sequence on the way: the keys cannot go through it, it is built whole.
      case YAML_MAPPING_START_EVENT:
        deepestOpen = max(deepestOpen, stack.count)
        let d = event.data.mapping_start
        stack.append(
          Open(
            isMapping: true, style: d.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block,
            start: start, anchor: string(d.anchor), tag: string(d.tag), firstChild: children.count,
            filter: childFilter(stack.last)))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        let open = stack.removeLast()
        finishedSize = open.expanded
        finishedAnchor = open.anchor
        finished = close(open, children[open.firstChild...], end: end.offset, &tree)
        children.removeSubrange(open.firstChild...)
      default:
        break
      }
      if let node = finished {
        let size = finishedSize
        if let anchor = finishedAnchor { anchorSizes[anchor] = size }
        if stack.isEmpty {
          root = node
        } else {
          children.append(node)
          stack[stack.count - 1].expanded = min(stack[stack.count - 1].expanded + size, 1 << 40)
        }
      }
    }
  }

  /// The filter of a mapping opened as a value below `parent` (nil: the document root):
  /// the next key along `keys`, or nil once they are used up or off the way.
  private func childFilter(_ parent: Open?) -> Int? {
    guard !keys.isEmpty else { return nil }
    guard let parent else { return 0 }
    guard let filter = parent.filter, parent.isMapping, filter + 1 < keys.count else { return nil }
    return filter + 1
  }

  private func close(_ open: Open, _ children: ArraySlice<Int32>, end: Int, _ tree: inout YAMLTree) -> Int32 {
    var contentEnd = end
    if open.style == .block, let last = children.last { contentEnd = Int(tree.records[Int(last)].contentEnd) }
    // A mapping's children come in pairs (a key without its value never closes).
    let count = open.isMapping ? children.count & ~1 : children.count
    return tree.appendCollection(
      mapping: open.isMapping, open.style, children: children.prefix(count), start: open.start, end: end,
      contentEnd: contentEnd, anchor: open.anchor, tag: open.tag)
  }

  /// A block scalar's end mark lies past its trailing blank lines: back up to its last text.
  private func trimmedEnd(from start: Int, to end: Int) -> Int {
    var i = end
    while i > start {
      let b = source.bytes[i - 1]
      guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { break }
      i -= 1
    }
    return i
  }

  /// `cursor`: where the last lookup ended in the character table (marks come in order).
  /// `partStart`: where a part read in place starts, when after byte 0 (an ASCII file, see
  /// `range`: a character index is a byte offset from there); 0: the file's own characters.
  private func mark(_ m: yaml_mark_t, _ cursor: inout Int, partStart: Int) -> YAMLMark {
    YAMLMark(
      offset: partStart > 0
        ? min(partStart + Int(m.index), source.bytes.count) : source.byteOffset(characterIndex: Int(m.index), cursor: &cursor),
      line: linesBefore + Int(m.line) + 1, column: Int(m.column) + 1)
  }

  private func limitError(at mark: YAMLMark, _ message: String) -> YAMLError {
    YAMLError(file: name, line: mark.line, column: mark.column, message: message, sourceLine: source.lineText(mark.line - 1))
  }

  private func parseError(_ parser: yaml_parser_t) -> YAMLError {
    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
    if parser.error == YAML_READER_ERROR {
      // Bytes that are not text: libyaml gives a byte offset, not a line.
      let offset = min(Int(parser.problem_offset), source.bytes.count)
      let byte = offset < source.bytes.count ? source.bytes[offset] : 0
      let what = byte == 0 ? "a NUL byte" : "byte 0x" + String(byte, radix: 16, uppercase: true)
      let message = problem.contains("UTF-8") ? "invalid UTF-8: \(what) (\(problem))" : "\(what) is not allowed in a netplan file (\(problem))"
      let line = source.lineIndex(of: offset)
      let lineStart = source.lineStarts[line]
      let column = String(decoding: source.bytes[lineStart..<offset], as: UTF8.self).count + 1
      let text = String(source.lineText(line).map { $0 == "\0" ? "\u{2400}" : $0 })
      return YAMLError(file: name, line: line + 1, column: column, message: message, sourceLine: text)
    }
    let m = parser.problem_mark
    let line = Int(m.line)
    var notes: [String] = []
    if let context = parser.context.map({ String(cString: $0) }) {
      notes.append("\(context) started at line \(Int(parser.context_mark.line) + 1), column \(Int(parser.context_mark.column) + 1)")
    }
    let text = source.lineText(line)
    var message = problem
    let col = Int(m.column)
    if problem.contains("cannot start any token"), let ch = Array(text).dropFirst(col).first {
      if ch == "\t" {
        message = "tabs are not allowed for indentation (\(problem))"
      }
    } else if problem == "did not find expected key", parser.context.map({ String(cString: $0) }) == "while parsing a block mapping" {
      message = "inconsistent indentation (\(problem))"
    }
    return YAMLError(
      file: name, line: line + 1, column: col + 1, message: message,
      sourceLine: line < source.lineStarts.count ? text : nil, notes: notes)
  }

  private func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }

  private func string(_ pointer: UnsafeMutablePointer<UInt8>?, _ length: Int) -> String? {
    guard let pointer else { return nil }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
  }

  private func scalarStyle(_ style: yaml_scalar_style_t) -> ScalarStyle {
    switch style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: return .literal
    case YAML_FOLDED_SCALAR_STYLE: return .folded
    default: return .plain
    }
  }
}
