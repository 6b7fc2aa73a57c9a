/// The six text-level operations every edit is made of. Each leaves the session re-parsed.
extension EditSession {
  /// Replaces a scalar with another, keeping its quoting style where the new text allows.
  mutating func replaceScalar(_ loc: Located, with scalar: YAMLScalar) throws(YAMLError) {
    let old = loc.node
    guard case .scalar(_, let style) = old.content else { return }
    var inFlow = false
    if case .flow = loc.slot { inFlow = true }
    let text = ValueRenderer.scalar(scalar, preferred: style, inFlow: inFlow)
    try commit([replacing(old, with: text)])
  }

  /// The patch that puts one-line `text` where `old` (a scalar or flow collection) is.
  func replacing(_ old: YAMLNode, with text: String) -> TextPatch {
    guard old.isEmptyPlainScalar else {
      return TextPatch(old.start.offset..<old.contentEnd, text)
    }
    let at = old.start.offset
    let before = at > 0 ? source.bytes[at - 1] : 0x0A
    let needsSpace = before == UInt8(ascii: ":") || before == UInt8(ascii: "-")
    return .insert(at: at, (needsSpace && !text.isEmpty ? " " : "") + text)
  }

  /// Replaces any node with any value, laid out for the node's slot.
  mutating func replaceNode(_ loc: Located, with value: YAMLValue) throws(YAMLError) {
    let old = loc.node
    let oldIsBlock = old.collectionStyle == .block
    let block = ValueRenderer.needsBlock(value)
    switch loc.slot {
    case .flow:
      try commit([replacing(old, with: ValueRenderer.flow(value))])
    case .root:
      let lines = block
        ? ValueRenderer.itemContent(value, column: 0, layout: layout(near: old.start.offset))
        : [ValueRenderer.flow(value)]
      try commit([replacing(old, with: lines.joined(separator: lineBreak))])
    case .blockItem(let dash):
      var text = ValueRenderer.flow(value)
      if block, case .mapping = value {
        let column = dash == nil ? old.start.column - 1 : column(of: old.start.offset)
        text = ValueRenderer.itemContent(value, column: column, layout: layout(near: old.start.offset))
          .joined(separator: lineBreak)
      }
      try commit([replacing(old, with: text)])
    case .blockValue(let keyColumn, let colonEnd):
      if !block {
        let text = ValueRenderer.flow(value)
        if oldIsBlock {
          try commit([
            .insert(at: colonEnd, text.isEmpty ? "" : " " + text),
            deleteLines(from: old.start.offset, through: old.contentEnd),
          ])
        } else {
          try commit([replacing(old, with: text)])
        }
        return
      }
      let lines = ValueRenderer.bodyLines(
        value, keyColumn: keyColumn, layout: layout(near: old.start.offset))
      if oldIsBlock {
        try commit([replaceLines(from: old.start.offset, through: old.contentEnd, with: lines)])
      } else {
        let inlineEnd = max(old.contentEnd, colonEnd)
        try commit([
          TextPatch(colonEnd..<inlineEnd, ""), insertLines(afterLineOf: inlineEnd, lines),
        ])
      }
    }
  }

  /// Adds `key: value` as the last entry of the mapping at `loc`.
  mutating func insertEntry(_ loc: Located, key: String, value: YAMLValue) throws(YAMLError) {
    let node = loc.node
    let entries = node.entries
    let pair = YAMLPair(key, value)
    if node.collectionStyle == .flow {
      let text = ValueRenderer.key(key, inFlow: true) + ": " + ValueRenderer.flow(value)
      if let last = entries.last {
        try commit([.insert(at: max(last.value.contentEnd, last.key.end.offset), ", " + text)])
      } else if case .flow = loc.slot {
        try commit([.insert(at: node.end.offset - 1, text)])
      } else {
        try replaceNode(loc, with: .mapping([pair]))  // `{}` in block context becomes block
      }
      return
    }
    guard let first = entries.first, let last = entries.last else { return }
    let lines = ValueRenderer.entryLines(
      key: key, value: value, column: first.key.start.column - 1,
      layout: layout(near: last.key.start.offset))
    try commit([insertLines(afterLineOf: max(last.value.contentEnd, last.key.end.offset), lines)])
  }

  /// Removes entry `index` of the mapping at `loc`, with the comment on its own lines.
  mutating func removeEntry(_ loc: Located, at index: Int) throws(YAMLError) {
    let entries = loc.node.entries
    guard entries.count > 1 else { return try replaceNode(loc, with: .emptyMapping) }
    let entry = entries[index]
    let end = max(entry.value.contentEnd, entry.key.end.offset)
    if loc.node.collectionStyle == .flow {
      try commit([flowRemoval(index, starts: entries.map(\.key.start.offset),
                              ends: entries.map { max($0.value.contentEnd, $0.key.end.offset) })])
    } else if source.isFirstOnLine(entry.key.start.offset) {
      try commit([deleteLines(from: entry.key.start.offset, through: end)])
    } else {
      // The first key after `- `: the rest of its line and the next key's indentation go.
      try commit([TextPatch(entry.key.start.offset..<entries[index + 1].key.start.offset, "")])
    }
  }

  /// Inserts `value` at `index` of the sequence at `loc` (`index == count` appends).
  mutating func insertItem(_ loc: Located, at index: Int, value: YAMLValue) throws(YAMLError) {
    let node = loc.node
    let items = node.items
    if node.collectionStyle == .flow {
      let text = ValueRenderer.flow(value)
      if items.isEmpty {
        if case .flow = loc.slot {
          try commit([.insert(at: node.end.offset - 1, text)])
        } else {
          try replaceNode(loc, with: .sequence([value]))  // `[]` in block context becomes block
        }
      } else if index < items.count {
        try commit([.insert(at: items[index].start.offset, text + ", ")])
      } else {
        try commit([.insert(at: items[items.count - 1].contentEnd, ", " + text)])
      }
      return
    }
    guard let first = items.first, let dash = source.dashOffset(before: first),
      source.isFirstOnLine(dash)
    else { throw unsupportedLayout(node) }
    // The gap after `-` comes from this list's own first item when it is of the same kind.
    let layout = layout(near: dash)
    let sameKind = first.collectionStyle == .block
      ? ValueRenderer.needsBlock(value) && value.kindName == "mapping"
      : !(ValueRenderer.needsBlock(value) && value.kindName == "mapping")
    let gap = first.isEmptyPlainScalar || !sameKind
      ? layout.gap(for: value) : first.start.offset - dash - 1
    let lines = ValueRenderer.itemLines(value, dashColumn: column(of: dash), gap: gap, layout: layout)
    if index >= items.count {
      try commit([insertLines(afterLineOf: items[items.count - 1].contentEnd, lines)])
    } else {
      guard let at = source.dashOffset(before: items[index]), source.isFirstOnLine(at) else {
        throw unsupportedLayout(node)
      }
      let text = lines.map { $0 + lineBreak }.joined()
      try commit([.insert(at: source.lineStart(of: at), text)])
    }
  }

  /// Removes item `index` of the sequence at `loc`, with the comment on its own lines.
  mutating func removeItem(_ loc: Located, at index: Int) throws(YAMLError) {
    let items = loc.node.items
    guard items.count > 1 else { return try replaceNode(loc, with: .sequence([])) }
    if loc.node.collectionStyle == .flow {
      try commit([flowRemoval(index, starts: items.map(\.start.offset), ends: items.map(\.contentEnd))])
      return
    }
    guard let dash = source.dashOffset(before: items[index]), source.isFirstOnLine(dash) else {
      throw unsupportedLayout(loc.node)
    }
    try commit([deleteLines(from: dash, through: items[index].contentEnd)])
  }

  /// Deleting element `index` of a flow collection with its separating comma.
  private func flowRemoval(_ index: Int, starts: [Int], ends: [Int]) -> TextPatch {
    if index + 1 < starts.count { return TextPatch(starts[index]..<starts[index + 1], "") }
    return TextPatch(ends[index - 1]..<ends[index], "")
  }

  func unsupportedLayout(_ node: YAMLNode) -> YAMLError {
    file.error(
      at: node.start.offset,
      "this list is laid out in a way netcfg does not edit (items not each on their own line)",
      notes: ["edit it by hand, or write one `- item` per line"])
  }
}
