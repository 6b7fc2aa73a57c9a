/// Where a node sits in its parent, which decides how text replacing it is laid out.
enum Slot {
  case root
  /// The value of a block mapping entry whose key is at `keyColumn`; `colonEnd` is just past
  /// the entry's `:`.
  case blockValue(keyColumn: Int, colonEnd: Int)
  /// An item of a block sequence, its `-` at byte `dash` (nil when not on the item's line).
  case blockItem(dash: Int?)
  /// Inside `[...]` or `{...}`.
  case flow
}

/// A node found by path, with its slot and the nodes above it.
struct Located {
  var node: YAMLNode
  var slot: Slot
  var chain: [YAMLNode]
}

/// The text-level edit primitives. Each computes patches against the current text, applies
/// them and re-parses, so the next step always sees exact positions.
struct EditSession {
  private(set) var file: YAMLFile
  /// Set when `file` is one entry's window of a larger file (see `EditWindow`).
  let window: EditWindow?

  init(_ file: YAMLFile, window: EditWindow? = nil) {
    self.file = file
    self.window = window
  }

  var source: SourceText { file.source }

  // MARK: Finding nodes

  /// The node at `path`, or the deepest existing node above it and how many components it took.
  func resolve(_ path: YAMLPath) -> (located: Located?, depth: Int) {
    guard let root = file.root else { return (nil, 0) }
    var current = Located(node: root, slot: .root, chain: [])
    var depth = 0
    for component in path.components {
      guard let next = child(of: current, component) else { return (current, depth) }
      current = next
      depth += 1
    }
    return (current, depth)
  }

  func child(of parent: Located, _ component: YAMLPath.Component) -> Located? {
    let node = parent.node
    let chain = parent.chain + [node]
    switch (component, node.content) {
    case (.key(let key), .mapping(let entries, let style)):
      guard let entry = entries.last(where: { $0.keyText == key }) else { return nil }
      let slot: Slot = style == .flow
        ? .flow : .blockValue(keyColumn: entry.key.start.column - 1, colonEnd: colonEnd(of: entry))
      return Located(node: entry.value, slot: slot, chain: chain)
    case (.index(let i), .sequence(let items, let style)):
      guard i < items.count else { return nil }
      let slot: Slot = style == .flow ? .flow : .blockItem(dash: source.dashOffset(before: items[i]))
      return Located(node: items[i], slot: slot, chain: chain)
    default:
      return nil
    }
  }

  /// Just past the `:` that ends an entry's key (skipping spaces, breaks and comments).
  func colonEnd(of entry: YAMLEntry) -> Int {
    let bytes = source.bytes
    var i = entry.key.endOffset
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: ":"): return i + 1
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      case UInt8(ascii: "#"):
        while i < bytes.count, bytes[i] != 0x0A { i += 1 }
      default: return entry.key.endOffset
      }
    }
    return entry.key.endOffset
  }

  // MARK: Applying patches

  mutating func commit(_ patches: [TextPatch]) throws(YAMLError) {
    let bytes = TextPatch.apply(patches, to: source.bytes)
    do {
      file = try YAMLFile(name: file.name, bytes: bytes)
    } catch {
      throw EditSession.proofFailure(file.name, "an intermediate edit did not parse: \(error.message)")
    }
  }

  static func proofFailure(_ name: String, _ detail: String) -> YAMLError {
    YAMLError(
      file: name, line: 0, column: 0,
      message: "netcfg could not prove its edit right, so nothing was written (\(detail))",
      notes: ["this is a bug in netcfg: please report it with the file and the command"])
  }

  // MARK: Geometry helpers

  var lineBreak: String { String(decoding: source.lineBreak, as: UTF8.self) }

  /// A patch inserting whole `lines` after the line that holds `offset`.
  func insertLines(afterLineOf offset: Int, _ lines: [String]) -> TextPatch {
    let next = source.nextLineStart(of: offset)
    let bytes = source.bytes
    if next == bytes.count, bytes.last != 0x0A {
      return .insert(at: next, lineBreak + lines.joined(separator: lineBreak))
    }
    return .insert(at: next, lines.map { $0 + lineBreak }.joined())
  }

  /// A patch deleting the whole lines from the one holding `from` to the one holding `through`;
  /// when the last of them has no line break, the break before them goes instead.
  func deleteLines(from: Int, through: Int) -> TextPatch {
    let start = source.lineStart(of: from)
    let end = source.nextLineStart(of: through)
    let bytes = source.bytes
    if end == bytes.count, bytes.last != 0x0A, start > 0 {
      let breakLength = start >= 2 && bytes[start - 2] == 0x0D ? 2 : 1
      return TextPatch(start - breakLength..<end, "")
    }
    return TextPatch(start..<end, "")
  }

  /// Replaces the whole lines from `from` through `through` with `lines`.
  func replaceLines(from: Int, through: Int, with lines: [String]) -> TextPatch {
    let start = source.lineStart(of: from)
    let end = source.nextLineStart(of: through)
    let hasBreak = end > 0 && source.bytes[end - 1] == 0x0A
    let text = lines.joined(separator: lineBreak) + (hasBreak ? lineBreak : "")
    return TextPatch(start..<end, text)
  }

  // MARK: Comments that belong to an entry

  /// Indentation of line `line` when it holds only a comment, else nil.
  func commentIndent(line: Int) -> Int? {
    guard line >= 0, line < source.lineStarts.count else { return nil }
    var i = source.lineStarts[line]
    let end = source.lineEnd(of: i)
    let start = i
    while i < end, source.bytes[i] == 0x20 { i += 1 }
    return i < end && source.bytes[i] == UInt8(ascii: "#") ? i - start : nil
  }

  /// The first byte of an entry (key or `-` at `column`, starting at `head`) including the
  /// comment lines right above it at the same column: they describe it.
  func extentStart(head: Int, column: Int) -> Int {
    var line = source.lineIndex(of: head)
    while commentIndent(line: line - 1) == column { line -= 1 }
    return line == source.lineIndex(of: head) ? head : source.lineStarts[line]
  }

  /// The last byte of an entry whose head is at `column` and whose value ends at `contentEnd`,
  /// including the comment lines right below it indented deeper than `column` (commented-out
  /// items of its list, notes on its value).
  func extentEnd(contentEnd: Int, column: Int) -> Int {
    var line = source.lineIndex(of: contentEnd)
    while let indent = commentIndent(line: line + 1), indent > column { line += 1 }
    return line == source.lineIndex(of: contentEnd) ? contentEnd : source.lineEnd(of: source.lineStarts[line])
  }

  /// Column (0-based) of byte `offset` when only spaces precede it on its line.
  func column(of offset: Int) -> Int { offset - source.lineStart(of: offset) }

  func layout(near offset: Int) -> YAMLLayout {
    if let window { return window.layout(near: offset, in: file) }
    return YAMLLayout.learn(from: file, near: offset)
  }
}
