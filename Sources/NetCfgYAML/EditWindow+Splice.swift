/// The parse of a file whose window was edited, put together without parsing the file again:
/// the nodes before the window are the original's, the window's come from parsing the edited
/// window (moved to where it starts), and those after it are the original's moved by the
/// change in length. A test compares the result with a full parse, node by node, mark by mark.
extension YAMLFile {
  init(name: String, source: SourceText, documents: [YAMLDocumentNode]) {
    self.name = name
    self.source = source
    self.documents = documents
  }

  /// The file with `window` replaced by `edited` (the window's edited text, parsed), whose
  /// bytes are `bytes`; nil when the original is not shaped as the window expects.
  func splicing(_ window: EditWindow, _ edited: YAMLFile, bytes: [UInt8]) -> YAMLFile? {
    guard documents.count == 1, let root = documents[0].root, let windowEntry = edited.root?.entries.first
    else { return nil }
    let shift = MarkShift(
      from: window.range.upperBound, bytes: edited.source.bytes.count - window.range.count,
      lines: edited.source.lineStarts.count - window.file.source.lineStarts.count)
    // Block collections and empty values that end at the window's end end, in the file, at
    // the next token after it: where the original entry's value ended, moved.
    let tail = window.range.upperBound < source.bytes.count ? shift.apply(source.mark(at: window.entryValueEnd)) : nil
    let placing = Placing(
      offset: window.range.lowerBound, lines: source.lineIndex(of: window.range.lowerBound),
      windowEnd: edited.source.bytes.count, tail: tail)
    var tree = YAMLTree(source: bytes)
    tree.reserve(nodes: documents[0].tree.records.count + edited.documents[0].tree.records.count)
    guard let newRoot = replacing(windowEntry, placing, of: window, below: root, depth: 0, shift, &tree) else {
      return nil
    }
    let document = YAMLDocumentNode(
      tree: tree, rootIndex: newRoot, start: documents[0].start, end: shift.apply(documents[0].end),
      hasExplicitStart: documents[0].hasExplicitStart, hasExplicitEnd: documents[0].hasExplicitEnd)
    return YAMLFile(name: name, source: SourceText(bytes), documents: [document])
  }

  /// `node` (on the path to the window's entry) copied into `tree` with the entry replaced by
  /// the window's (placed): earlier entries as they are, later ones moved.
  private func replacing(
    _ entry: YAMLEntry, _ placing: Placing, of window: EditWindow, below node: YAMLNode, depth: Int,
    _ shift: MarkShift, _ tree: inout YAMLTree
  ) -> Int32? {
    guard case .mapping(let entries, .block) = node.content,
      case .key(let key) = window.entryPath.components[depth]
    else { return nil }
    let last = depth == window.entryPath.components.count - 1
    var children: [Int32] = []
    children.reserveCapacity(entries.count * 2)
    var found = false
    for old in entries {
      if old.keyText == key, !found {
        found = true
        if last {
          guard old.key.isSame(as: window.entryKey) else { return nil }
          children.append(tree.copy(entry.key, mark: placing.apply, end: placing.apply, contentEnd: placing.contentEnd))
          children.append(tree.copy(entry.value, mark: placing.apply, end: placing.apply, contentEnd: placing.contentEnd))
        } else {
          let key = tree.copy(old.key, mark: { $0 }, end: { $0 }, contentEnd: { node, _ in node.contentEnd })
          guard let inner = replacing(entry, placing, of: window, below: old.value, depth: depth + 1, shift, &tree)
          else { return nil }
          children += [key, inner]
        }
      } else if old.key.start.offset >= window.range.upperBound {
        children.append(tree.copy(old.key, mark: shift.apply, end: shift.apply, contentEnd: shift.contentEnd))
        children.append(tree.copy(old.value, mark: shift.apply, end: shift.apply, contentEnd: shift.contentEnd))
      } else {
        children.append(tree.copy(old.key, mark: { $0 }, end: { $0 }, contentEnd: { node, _ in node.contentEnd }))
        children.append(tree.copy(old.value, mark: { $0 }, end: { $0 }, contentEnd: { node, _ in node.contentEnd }))
      }
    }
    guard found else { return nil }
    let end = shift.apply(offset: node.endOffset)
    let contentEnd = children.last.map { Int(tree.records[Int($0)].contentEnd) } ?? end
    return tree.appendCollection(
      mapping: true, .block, children: children, start: node.start, end: end, contentEnd: contentEnd,
      anchor: node.anchor, tag: node.tag)
  }
}

/// Moves marks at or after `from` by `bytes` and `lines` (columns stay: whole lines moved).
private struct MarkShift {
  let from: Int
  let bytes: Int
  let lines: Int

  func apply(_ mark: YAMLMark) -> YAMLMark {
    guard mark.offset >= from else { return mark }
    return YAMLMark(offset: mark.offset + bytes, line: mark.line + lines, column: mark.column)
  }

  func apply(offset: Int) -> Int { offset >= from ? offset + bytes : offset }

  func contentEnd(_ node: YAMLNode, _ movedEnd: Int) -> Int {
    node.contentEnd >= from ? node.contentEnd + bytes : node.contentEnd
  }
}

/// Places the nodes of the parsed window where the window starts in the file.
private struct Placing {
  let offset: Int
  let lines: Int
  /// The window's length: a mark there is the window's end.
  let windowEnd: Int
  /// The mark a window-end mark has in the file (nil when the window ends the file).
  let tail: YAMLMark?

  func apply(_ mark: YAMLMark) -> YAMLMark {
    if mark.offset == windowEnd, let tail { return tail }
    return YAMLMark(offset: mark.offset + offset, line: mark.line + lines, column: mark.column)
  }

  func apply(_ end: Int) -> Int {
    if end == windowEnd, let tail { return tail.offset }
    return end + offset
  }

  func contentEnd(_ node: YAMLNode, _ placedEnd: Int) -> Int {
    node.contentEnd == node.endOffset ? placedEnd : node.contentEnd + offset
  }
}
