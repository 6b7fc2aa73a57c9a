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
    let tail = window.range.upperBound < source.bytes.count ? shift.apply(window.entryValueEnd) : nil
    let placing = Placing(
      offset: window.range.lowerBound, lines: source.lineIndex(of: window.range.lowerBound),
      windowEnd: edited.source.bytes.count, tail: tail)
    let entry = YAMLEntry(key: placing.apply(windowEntry.key), value: placing.apply(windowEntry.value))
    guard let newRoot = replacing(entry, of: window, below: root, depth: 0, shift) else { return nil }
    let document = YAMLDocumentNode(
      root: newRoot, start: documents[0].start, end: shift.apply(documents[0].end),
      hasExplicitStart: documents[0].hasExplicitStart, hasExplicitEnd: documents[0].hasExplicitEnd)
    return YAMLFile(name: name, source: SourceText(bytes), documents: [document])
  }

  /// `node` (on the path to the window's entry) rebuilt with the entry replaced: earlier
  /// entries kept, later ones moved.
  private func replacing(
    _ entry: YAMLEntry, of window: EditWindow, below node: YAMLNode, depth: Int, _ shift: MarkShift
  ) -> YAMLNode? {
    guard case .mapping(let entries, .block) = node.content,
      case .key(let key) = window.entryPath.components[depth]
    else { return nil }
    let last = depth == window.entryPath.components.count - 1
    var out: [YAMLEntry] = []
    out.reserveCapacity(entries.count)
    var found = false
    for old in entries {
      if old.keyText == key, !found {
        found = true
        if last {
          guard old.key === window.entryKey else { return nil }
          out.append(entry)
        } else {
          guard let inner = replacing(entry, of: window, below: old.value, depth: depth + 1, shift) else { return nil }
          out.append(YAMLEntry(key: old.key, value: inner))
        }
      } else if old.key.start.offset >= window.range.upperBound {
        out.append(YAMLEntry(key: shift.moved(old.key), value: shift.moved(old.value)))
      } else {
        out.append(old)
      }
    }
    guard found else { return nil }
    let contentEnd = out.last?.value.contentEnd ?? shift.apply(node.end).offset
    return YAMLNode(
      content: .mapping(out, .block), start: node.start, end: shift.apply(node.end), contentEnd: contentEnd,
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

  func moved(_ node: YAMLNode) -> YAMLNode {
    guard node.end.offset >= from else { return node }
    let content: YAMLNode.Content
    switch node.content {
    case .scalar, .alias: content = node.content
    case .mapping(let entries, let style):
      content = .mapping(entries.map { YAMLEntry(key: moved($0.key), value: moved($0.value)) }, style)
    case .sequence(let items, let style): content = .sequence(items.map(moved), style)
    }
    return YAMLNode(
      content: content, start: apply(node.start), end: apply(node.end),
      contentEnd: node.contentEnd >= from ? node.contentEnd + bytes : node.contentEnd, anchor: node.anchor, tag: node.tag)
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

  func apply(_ node: YAMLNode) -> YAMLNode {
    let content: YAMLNode.Content
    switch node.content {
    case .scalar, .alias: content = node.content
    case .mapping(let entries, let style):
      content = .mapping(entries.map { YAMLEntry(key: apply($0.key), value: apply($0.value)) }, style)
    case .sequence(let items, let style): content = .sequence(items.map(apply), style)
    }
    let end = apply(node.end)
    let contentEnd = node.contentEnd == node.end.offset ? end.offset : node.contentEnd + offset
    return YAMLNode(
      content: content, start: apply(node.start), end: end, contentEnd: contentEnd, anchor: node.anchor, tag: node.tag)
  }
}
