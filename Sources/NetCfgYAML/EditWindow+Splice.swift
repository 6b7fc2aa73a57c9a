/// The parse of a file whose window was edited, put together without parsing the file again:
/// the nodes before the window are the original's, the window's come from parsing the edited
/// window (moved to where it starts), and those after it are the original's moved by the
/// change in length. A test compares the result with a full parse, record by record.
///
/// Done in place: the arena keeps its post-order (a subtree is one run of records, its slots
/// and texts one run each), so the window's entry is one run in each array, replaced by the
/// edited window's; what follows moves by the change in length. When the file holds its tree
/// alone (an editor that gave up its first reading), no second tree exists at any time; when
/// the tree is shared, the arrays are copied first (copy on write) and the original stays.
extension YAMLFile {
  init(name: String, source: SourceText, documents: [YAMLDocumentNode]) {
    self.name = name
    self.source = source
    self.documents = documents
  }

  /// Replaces `window` with `edited` (the window's edited text, parsed), the file's bytes
  /// becoming `bytes`. False, with the file unchanged, when the original is not shaped as the
  /// window expects.
  mutating func splice(_ window: EditWindow, _ edited: YAMLFile, bytes: [UInt8]) -> Bool {
    guard documents.count == 1, edited.documents.count == 1,
      let plan = SplicePlan(documents[0], window, edited.documents[0])
    else { return false }
    let shift = MarkShift(
      from: window.range.upperBound, bytes: edited.source.bytes.count - window.range.count,
      lines: edited.source.lineStarts.count - window.file.source.lineStarts.count)
    // Block collections and empty values that end at the window's end end, in the file, at
    // the next token after it: where the original entry's value ended, moved.
    let tail = window.range.upperBound < source.bytes.count ? shift.apply(source.mark(at: window.entryValueEnd)) : nil
    let placing = Placing(
      offset: window.range.lowerBound, lines: source.lineIndex(of: window.range.lowerBound),
      windowEnd: edited.source.bytes.count, tail: tail)
    var document = documents[0]
    // From here the document below is the only holder of the tree this file had.
    documents = []
    document.tree.replace(plan, with: edited.documents[0].tree, placing, shift, source: bytes)
    // The root comes after the entry (post-order): it moves with the entry's change in length.
    document.rootIndex = document.rootIndex.map { $0 + plan.recordDelta }
    document.end = shift.apply(document.end)
    self = YAMLFile(name: name, source: SourceText(bytes), documents: [document])
    return true
  }
}

/// Where the window's entry is in the original arena and in the edited window's, checked
/// before anything changes.
struct SplicePlan {
  /// The entry's key and value in the original (its records are `key...value`).
  let key: Int32
  let value: Int32
  /// The mappings from the root down to the entry's, deepest last.
  let ancestors: [Int32]
  /// The entry's slots and texts in the original.
  let slots: Range<Int>
  let texts: Range<Int>
  /// The entry in the edited window's arena: records `0...windowValue`, slots before the
  /// window root's, every text.
  let windowValue: Int32
  let windowSlots: Int
  /// How many records more the edited entry has.
  var recordDelta: Int32 { windowValue + 1 - (value - key + 1) }

  init?(_ document: YAMLDocumentNode, _ window: EditWindow, _ edited: YAMLDocumentNode) {
    let tree = document.tree
    guard var node = document.rootIndex else { return nil }
    var ancestors: [Int32] = []
    var found: (key: Int32, value: Int32)?
    for (depth, component) in window.entryPath.components.enumerated() {
      let record = tree.records[Int(node)]
      guard case .key(let key) = component, record.kind == .mapping, record.style == CollectionStyle.block.code
      else { return nil }
      ancestors.append(node)
      var match: (key: Int32, value: Int32)?
      for i in stride(from: Int(record.payload), to: Int(record.payload + record.count), by: 2) {
        let k = tree.slots[i]
        let keyRecord = tree.records[Int(k)]
        if keyRecord.kind == .scalar, tree.text(keyRecord, equals: key) {
          match = (k, tree.slots[i + 1])
          break
        }
      }
      guard let match else { return nil }
      if depth == window.entryPath.components.count - 1 { found = match } else { node = match.value }
    }
    // The window was cut from this very entry; its key is a scalar, so the key's record
    // comes first and the value's subtree follows it.
    guard let (key, value) = found, key == window.entryKeyIndex, key < value,
      tree.records[Int(key)].kind == .scalar
    else { return nil }
    // Slots and texts present before the key's record was added: the entry's runs start there.
    var slotStart = 0
    var textStart = 0
    var i = Int(key) - 1
    var needSlots = true
    var needTexts = true
    while i >= 0 && (needSlots || needTexts) {
      let record = tree.records[i]
      switch record.kind {
      case .mapping, .sequence:
        if needSlots { slotStart = Int(record.payload + record.count); needSlots = false }
      case .scalar, .alias:
        if needTexts && !record.inSource { textStart = Int(record.payload) + 1; needTexts = false }
      }
      i -= 1
    }
    var slotEnd = slotStart
    var textEnd = textStart
    for i in Int(key)...Int(value) {
      let record = tree.records[i]
      switch record.kind {
      case .mapping, .sequence:
        guard record.payload >= slotStart else { return nil }
        slotEnd = max(slotEnd, Int(record.payload + record.count))
      case .scalar, .alias:
        if !record.inSource {
          guard record.payload >= textStart else { return nil }
          textEnd = max(textEnd, Int(record.payload) + 1)
        }
      }
    }
    // The edited window: a block mapping (its root, the last record) of one entry whose key
    // is the first record.
    let w = edited.tree
    guard let windowRoot = edited.rootIndex, Int(windowRoot) == w.records.count - 1 else { return nil }
    let root = w.records[Int(windowRoot)]
    guard root.kind == .mapping, root.count == 2, Int(root.payload) + 2 == w.slots.count,
      w.slots[Int(root.payload)] == 0, w.slots[Int(root.payload) + 1] == windowRoot - 1,
      w.records[0].kind == .scalar, !root.hasProperties
    else { return nil }
    self.key = key
    self.value = value
    self.ancestors = ancestors
    slots = slotStart..<slotEnd
    texts = textStart..<textEnd
    windowValue = windowRoot - 1
    windowSlots = Int(root.payload)
  }
}

extension YAMLTree {
  /// Replaces the entry `plan` names with the edited window's (`window`, placed) and moves
  /// what follows it; `bytes` become the source.
  mutating func replace(_ plan: SplicePlan, with window: YAMLTree, _ placing: Placing, _ shift: MarkShift, source bytes: [UInt8]) {
    let key = Int(plan.key)
    let newCount = Int(plan.windowValue) + 1
    let recordDelta = plan.recordDelta
    let slotDelta = Int32(plan.windowSlots - plan.slots.count)
    let textDelta = Int32(window.texts.count - plan.texts.count)
    let byteDelta = Int32(shift.bytes)
    // The window's entry, placed: its indices into slots and texts moved to where the
    // entry's runs start, its byte offsets to where the window starts.
    var placed: [Record] = []
    placed.reserveCapacity(newCount)
    for var record in window.records[0..<newCount] {
      let end = Int(record.endOffset)
      let placedEnd = placing.apply(end)
      record.contentEnd = Int32(Int(record.contentEnd) == end ? placedEnd : Int(record.contentEnd) + placing.offset)
      record.start = placing.apply(record.start)
      record.endOffset = Int32(placedEnd)
      switch record.kind {
      case .mapping, .sequence: record.payload += Int32(plan.slots.lowerBound)
      case .scalar where record.inSource: record.payload += Int32(placing.offset)
      case .scalar, .alias: record.payload += Int32(plan.texts.lowerBound)
      }
      placed.append(record)
    }
    records.replaceSubrange(key...Int(plan.value), with: placed)
    slots.replaceSubrange(plan.slots, with: window.slots[0..<plan.windowSlots].lazy.map { $0 + Int32(key) })
    texts.replaceSubrange(plan.texts, with: window.texts)
    // What follows the entry: moved in the text, and in the arrays by the change in length.
    let from = Int32(shift.from)
    records.withUnsafeMutableBufferPointer { records in
      for i in (key + newCount)..<records.count {
        var record = records[i]
        record.start = shift.apply(record.start)
        if record.endOffset >= from { record.endOffset += byteDelta }
        if record.contentEnd >= from { record.contentEnd += byteDelta }
        switch record.kind {
        case .mapping, .sequence: record.payload += slotDelta
        case .scalar where record.inSource: if record.payload >= from { record.payload += byteDelta }
        case .scalar, .alias: record.payload += textDelta
        }
        records[i] = record
      }
    }
    // Slots name records: the entry's key keeps its index, its value and all after it move.
    slots.withUnsafeMutableBufferPointer { slots in
      for i in (plan.slots.lowerBound + plan.windowSlots)..<slots.count where slots[i] > Int32(key) {
        slots[i] += recordDelta
      }
    }
    if !properties.isEmpty || !window.properties.isEmpty {
      var moved: [Int32: Properties] = [:]
      for (index, value) in properties where index < plan.key || index > plan.value {
        moved[index < plan.key ? index : index + recordDelta] = value
      }
      for (index, value) in window.properties where index <= plan.windowValue { moved[index + plan.key] = value }
      properties = moved
    }
    // The mappings on the way end where their last entry ends (deepest first).
    for ancestor in plan.ancestors.reversed() {
      let index = Int(ancestor + recordDelta)
      let record = records[index]
      if record.count > 0 { records[index].contentEnd = records[Int(slots[Int(record.payload + record.count) - 1])].contentEnd }
    }
    source = bytes
    identity = Identity()
  }
}

/// Moves marks at or after `from` by `bytes` and `lines` (columns stay: whole lines moved).
struct MarkShift {
  let from: Int
  let bytes: Int
  let lines: Int

  func apply(_ mark: YAMLMark) -> YAMLMark {
    guard mark.offset >= from else { return mark }
    return YAMLMark(offset: mark.offset + bytes, line: mark.line + lines, column: mark.column)
  }
}

/// Places the nodes of the parsed window where the window starts in the file.
struct Placing {
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
}
