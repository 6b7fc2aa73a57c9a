/// The six text-level operations every edit is made of. Each leaves the session re-parsed.
extension EditSession {
  /// Replaces a scalar with another, keeping its quoting style where the new text allows.
  mutating func replaceScalar(_ loc: Located, with scalar: YAMLScalar) throws(YAMLError) {
    let old = loc.node
    guard case .scalar(_, let style) = old.content else { return }
    var inFlow = false
    if case .flow = loc.slot { inFlow = true }
    // Inside brackets an empty null would vanish (`[a, ]`, `[]`): write it as `null`.
    let text = inFlow && !scalar.isString && scalar.text.isEmpty
      ? "null" : ValueRenderer.scalar(scalar, preferred: style, inFlow: inFlow)
    try commit([replacing(old, with: text)])
  }

  /// The patch that puts one-line `text` where `old` (a scalar or flow collection) is.
  func replacing(_ old: YAMLNode, with text: String) throws(YAMLError) -> TextPatch {
    guard old.isEmptyPlainScalar else {
      // A node alone at the start of its line that leaves nothing: the blanks after it go too
      // (tabs left at the start of a line are an error in YAML).
      var end = old.contentEnd
      if text.isEmpty, source.isFirstOnLine(old.start.offset) {
        while end < source.bytes.count, source.bytes[end] == 0x20 || source.bytes[end] == 0x09 { end += 1 }
      }
      return TextPatch(old.start.offset..<end, text)
    }
    let at = old.start.offset
    let bytes = source.bytes
    let before = at > 0 ? bytes[at - 1] : 0x0A
    let needsSpace = before == UInt8(ascii: ":") || before == UInt8(ascii: "-")
    // In flow style a key may have no `:` at all (`{k}`, `{k, j: 1}`): its empty value sits on
    // the `,` or `}` after it, and a value written there needs the `:` too.
    if !text.isEmpty, at < bytes.count, [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[at]) {
      var i = at - 1
      while i >= 0, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i -= 1 }
      if i >= 0, bytes[i] != UInt8(ascii: ":") {
        // A key written over several lines (`{a\n b}`) cannot take a `:` (implicit keys are one line).
        var j = i
        while j >= 0, ![UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: "[")].contains(bytes[j]) {
          if bytes[j] == 0x0A || bytes[j] == 0x0D {
            throw file.error(
              at: at, "this key spans several lines and has no ':'; netcfg does not give it a value",
              notes: ["write the key on one line, followed by ':'"])
          }
          j -= 1
        }
        return .insert(at: at, ": " + text)
      }
    }
    return .insert(at: at, (needsSpace && !text.isEmpty ? " " : "") + text)
  }

  /// Replaces any node with any value, laid out for the node's slot.
  mutating func replaceNode(_ loc: Located, with value: YAMLValue) throws(YAMLError) {
    let old = loc.node
    let oldIsBlock = old.collectionStyle == .block
    let block = ValueRenderer.needsBlock(value)
    switch loc.slot {
    case .flow:  // inside brackets a null must be written (`null`), not left empty
      try commit([replacing(old, with: ValueRenderer.flow(value, nested: true))])
    case .root:
      // A root that does not start its line (` x`) keeps its column for the lines below.
      let lines = block
        ? ValueRenderer.itemContent(value, column: column(of: old.start.offset), layout: layout(near: old.start.offset))
        : [ValueRenderer.flow(value)]
      guard old.isEmptyPlainScalar else {
        return try commit([replacing(old, with: lines.joined(separator: lineBreak))])
      }
      // An empty document (`---` alone): its lines go on the line after the marker.
      let at = source.isFirstOnLine(old.start.offset)
        ? old.start.offset : source.nextLineStart(of: old.start.offset)
      let lead = at == source.bytes.count && source.bytes.last != 0x0A && at > 0 ? lineBreak : ""
      try commit([.insert(at: at, lead + lines.map { $0 + lineBreak }.joined())])
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
          let (from, through) = blockExtent(old, keyColumn: keyColumn)
          try commit([
            .insert(at: colonEnd, text.isEmpty ? "" : " " + text),
            deleteLines(from: from, through: through),
          ])
        } else {
          try commit([replacing(old, with: text)])
        }
        return
      }
      let lines = ValueRenderer.bodyLines(
        value, keyColumn: keyColumn, layout: layout(near: old.start.offset))
      if oldIsBlock {
        let (from, through) = blockExtent(old, keyColumn: keyColumn)
        try commit([replaceLines(from: from, through: through, with: lines)])
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
      // `[k: v]`: a pair in a flow sequence has no braces to add to; it becomes `{k: v, ...}`.
      if source.bytes[node.start.offset] != UInt8(ascii: "{"), case .mapping(let pairs) = try meaning(of: node) {
        return try replaceNode(loc, with: .mapping(pairs + [pair]))
      }
      let text = ValueRenderer.key(key, inFlow: true) + ": " + ValueRenderer.flow(value, nested: true)
      if let last = entries.last {
        try commit([.insert(at: max(last.value.contentEnd, last.key.endOffset), ", " + text)])
      } else if case .flow = loc.slot {
        try commit([.insert(at: node.endOffset - 1, text)])
      } else {
        try replaceNode(loc, with: .mapping([pair]))  // `{}` in block context becomes block
      }
      return
    }
    guard let first = entries.first, let last = entries.last else { return }
    let column = first.key.start.column - 1
    let lines = ValueRenderer.entryLines(
      key: key, value: value, column: column, layout: layout(near: last.key.start.offset))
    let end = extentEnd(contentEnd: max(last.value.contentEnd, last.key.endOffset), column: column)
    try commit([insertLines(afterLineOf: end, lines)])
  }

  /// Removes entry `index` of the mapping at `loc`, with the comment on its own lines.
  mutating func removeEntry(_ loc: Located, at index: Int) throws(YAMLError) {
    let entries = loc.node.entries
    guard entries.count > 1 else { return try replaceNode(loc, with: .emptyMapping) }
    let entry = entries[index]
    let end = max(entry.value.contentEnd, entry.key.endOffset)
    if loc.node.collectionStyle == .flow {
      try commit([flowRemoval(index, starts: entries.map(\.key.start.offset),
                              ends: entries.map { max($0.value.contentEnd, $0.key.endOffset) })])
    } else if source.isFirstOnLine(entry.key.start.offset) {
      let column = entry.key.start.column - 1
      try commit([
        deleteLines(
          from: extentStart(head: entry.key.start.offset, column: column),
          through: extentEnd(contentEnd: end, column: column)),
      ])
    } else if index + 1 < entries.count {
      // The first key after `- `: the rest of its line and the next key's indentation go.
      try commit([TextPatch(entry.key.start.offset..<entries[index + 1].key.start.offset, "")])
    } else {
      // Not first on its line and no key after it (a byte order mark before it, say).
      throw file.error(
        at: entry.key.start.offset,
        "this mapping is laid out in a way netcfg does not edit (its last key does not start its line)",
        notes: ["edit it by hand, or put each key at the start of its own line"])
    }
  }

  /// Inserts `value` at `index` of the sequence at `loc` (`index == count` appends).
  mutating func insertItem(_ loc: Located, at index: Int, value: YAMLValue) throws(YAMLError) {
    let node = loc.node
    let items = node.items
    if node.collectionStyle == .flow {
      let text = ValueRenderer.flow(value, nested: true)
      if items.isEmpty {
        if case .flow = loc.slot {
          try commit([.insert(at: node.endOffset - 1, text)])
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
    let dashColumn = column(of: dash)
    // A list written as `- {to: x, via: y}` gets its new collection items in flow style too.
    let lines = first.collectionStyle == .flow
      ? [String(repeating: " ", count: dashColumn) + "-" + String(repeating: " ", count: gap)
        + ValueRenderer.flow(value)]
      : ValueRenderer.itemLines(value, dashColumn: dashColumn, gap: gap, layout: layout)
    if index >= items.count {
      let end = extentEnd(contentEnd: items[items.count - 1].contentEnd, column: dashColumn)
      try commit([insertLines(afterLineOf: end, lines)])
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
    let column = column(of: dash)
    try commit([
      deleteLines(
        from: extentStart(head: dash, column: column),
        through: extentEnd(contentEnd: items[index].contentEnd, column: column)),
    ])
  }

  /// The lines of a block collection that is a key's value: with the comments right above
  /// its first line at its own column, and those below it indented deeper than the key.
  private func blockExtent(_ node: YAMLNode, keyColumn: Int) -> (Int, Int) {
    (extentStart(head: node.start.offset, column: column(of: node.start.offset)),
     extentEnd(contentEnd: node.contentEnd, column: keyColumn))
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
