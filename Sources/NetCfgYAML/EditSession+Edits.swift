extension YAMLFile {
  /// This file with `edits` applied as minimal text patches, proven: the result re-parses to
  /// exactly the value the edits intend, or this throws and nothing is produced.
  public func edited(_ edits: [YAMLEdit]) throws(YAMLError) -> YAMLFile {
    var file = self
    try file.edit(edits, tamper: nil)
    return file
  }

  /// `edited`, in place: the file becomes the result, or stays as it was when this throws.
  /// A file that holds its tree alone (no other copy of it, no node of it kept) has an edit
  /// below one device spliced into that very tree: a large file is never held twice.
  public mutating func edit(_ edits: [YAMLEdit]) throws(YAMLError) {
    try edit(edits, tamper: nil)
  }

  /// `tamper` lets tests corrupt the patched bytes before the proof (a fault that correct
  /// code cannot provoke), to show that the proof refuses what it cannot confirm.
  func edited(
    _ edits: [YAMLEdit], tamper: (([UInt8]) -> [UInt8])?, window allowWindow: Bool = true
  ) throws(YAMLError) -> YAMLFile {
    var file = self
    try file.edit(edits, tamper: tamper, window: allowWindow)
    return file
  }

  mutating func edit(
    _ edits: [YAMLEdit], tamper: (([UInt8]) -> [UInt8])?, window allowWindow: Bool = true
  ) throws(YAMLError) {
    if documents.count > 1 {
      throw YAMLError(
        file: name, line: 0, column: 0,
        message: "the file holds \(documents.count) YAML documents; netcfg edits single-document files only",
        notes: ["netplan reads nothing from a file with several documents"])
    }
    if let reason = source.unsupportedLineBreak {
      throw YAMLError(
        file: name, line: 0, column: 0,
        message: "the file contains \(reason); netcfg does not edit such files",
        notes: ["convert the line endings to \\n (or \\r\\n) first"])
    }
    // Edits below one entry of a block mapping: made in that entry's lines alone.
    if allowWindow, let window = EditWindow(for: edits, in: self), try editInWindow(window, edits, tamper: tamper) {
      return
    }
    var intended = try meaning()
    var session = EditSession(self)
    for edit in edits {
      intended = try intended.applying(edit)
      try session.apply(edit)
    }
    var result = session.file
    if let tamper {
      do { result = try YAMLFile(name: name, bytes: tamper(result.source.bytes)) } catch {
        throw EditSession.proofFailure(name, "the result does not parse: \(error.message)")
      }
    }
    let actual: YAMLValue
    do { actual = try result.meaning() } catch {
      throw EditSession.proofFailure(name, "the result does not read back: \(error.message)")
    }
    guard result.documents.count <= 1, actual.isEquivalent(to: intended) else {
      throw EditSession.proofFailure(name, "the result reads back as something else than intended")
    }
    self = result
  }

  /// The value of the file's document (null when it has none).
  public func meaning() throws(YAMLError) -> YAMLValue {
    guard let root else { return .null }
    do { return try YAMLValue(root) } catch { throw self.error(at: error.offset, error.message) }
  }
}

extension EditSession {
  mutating func apply(_ edit: YAMLEdit) throws(YAMLError) {
    switch edit {
    case .set(let path, let value):
      try set(path, value)
    case .remove(let path):
      try remove(path)
    case .append(let path, let value):
      let (loc, depth) = resolve(path)
      guard let loc, depth == path.components.count, !loc.node.isEmptyPlainScalar else {
        return try set(path, .sequence([value]))
      }
      try requireSequence(loc, path)
      try checkEditable(loc, path)
      try insertItem(loc, at: loc.node.items.count, value: value)
    case .removeValue(let path, let value):
      let (loc, depth) = resolve(path)
      guard let loc, depth == path.components.count else { return }
      try requireSequence(loc, path)
      var matches: [Int] = []
      for (i, item) in loc.node.items.enumerated()
      where try meaning(of: item).isEquivalent(to: value) {
        matches.append(i)
      }
      for i in matches.reversed() { try remove(path.appending(.index(i))) }
    case .insert(let path, let index, let value):
      let (loc, depth) = resolve(path)
      guard let loc, depth == path.components.count else {
        throw YAMLError(file: file.name, line: 0, column: 0, message: "\(path) does not exist")
      }
      try requireSequence(loc, path)
      try checkEditable(loc, path)
      guard index <= loc.node.items.count else {
        throw file.error(at: loc.node.start.offset, "\(path) has no index \(index)")
      }
      try insertItem(loc, at: index, value: value)
    }
  }

  /// Sets the value at `path`, changing as little text as possible.
  mutating func set(_ path: YAMLPath, _ value: YAMLValue) throws(YAMLError) {
    let (found, depth) = resolve(path)
    guard let loc = found else { return try writeRoot(path, value) }
    if depth < path.components.count { return try create(path, from: loc, depth: depth, value) }
    let old = try meaning(of: loc.node)
    if old.isEquivalent(to: value) { return }
    try checkEditable(loc, path)
    if loc.node.tag != nil {
      throw file.error(at: loc.node.start.offset, "\(path) carries an explicit tag; netcfg does not change tagged values")
    }
    switch (loc.node.content, value) {
    case (.scalar, .scalar(let scalar)):
      try replaceScalar(loc, with: scalar)
    case (.mapping(let entries, _), .mapping(let pairs)) where !entries.isEmpty && !pairs.isEmpty:
      try setMapping(path, old: entries, new: value.effectivePairs)
    case (.sequence(let items, _), .sequence(let newItems)) where !items.isEmpty && !newItems.isEmpty:
      guard case .sequence(let oldItems) = old else { return }
      try setSequence(path, old: oldItems, new: newItems)
    default:
      if loc.node.containsAnchorOrAlias { throw anchored(loc.node, path) }
      try replaceNode(loc, with: value)
    }
  }

  private mutating func setMapping(_ path: YAMLPath, old: YAMLEntries, new: [YAMLPair]) throws(YAMLError) {
    let newKeys = Set(new.map(\.key))
    var removed: Set<String> = []
    for key in old.compactMap(\.keyText) where !newKeys.contains(key) && !removed.contains(key) {
      removed.insert(key)
      try remove(path.appending(.key(key)))
    }
    for pair in new { try set(path.appending(.key(pair.key)), pair.value) }
  }

  /// Aligns old and new items on their longest common subsequence: kept items keep their
  /// lines, changed ones are rewritten in place, the rest are removed or inserted.
  private mutating func setSequence(
    _ path: YAMLPath, old: [YAMLValue], new: [YAMLValue]
  ) throws(YAMLError) {
    for step in SequenceAlignment.steps(from: old, to: new).reversed() {
      switch step {
      case .keep: continue
      case .replace(let i, let value): try set(path.appending(.index(i)), value)
      case .remove(let i): try remove(path.appending(.index(i)))
      case .insert(let i, let value):
        guard let loc = resolve(path).located else { return }
        try insertItem(loc, at: i, value: value)
      }
    }
  }

  mutating func remove(_ path: YAMLPath) throws(YAMLError) {
    guard let last = path.last else {
      return try set(path, .null)
    }
    while true {
      let (found, depth) = resolve(path)
      guard let loc = found, depth == path.components.count else { return }
      try checkEditable(loc, path)
      if loc.node.containsAnchorOrAlias { throw anchored(loc.node, path) }
      guard let parent = resolve(path.parent).located else { return }
      switch last {
      case .key(let key):
        guard let index = parent.node.entries.lastIndex(where: { $0.keyText == key }) else { return }
        try removeEntry(parent, at: index)
      case .index(let i):
        try removeItem(parent, at: i)
        return
      }
    }
  }

  /// Adds the missing part of `path` below the deepest existing node `loc`.
  private mutating func create(
    _ path: YAMLPath, from loc: Located, depth: Int, _ value: YAMLValue
  ) throws(YAMLError) {
    let rest = path.components[depth...]
    let here = YAMLPath(Array(path.components[..<depth]))
    var nested = value
    for component in rest.dropFirst().reversed() {
      guard case .key(let key) = component else {
        throw YAMLError(file: file.name, line: 0, column: 0, message: "\(path) does not exist")
      }
      nested = .mapping([YAMLPair(key, nested)])
    }
    try checkEditable(loc, here)
    switch (rest.first!, loc.node.content) {
    case (.key(let key), .mapping):
      try insertEntry(loc, key: key, value: nested)
    case (.key(let key), .scalar) where loc.node.isEmptyPlainScalar:
      try replaceNode(loc, with: .mapping([YAMLPair(key, nested)]))
    case (.index(let i), .sequence(let items, _)) where i == items.count:
      try insertItem(loc, at: i, value: nested)
    default:
      let what = here.isEmpty ? "the document" : "\(here)"
      throw file.error(
        at: loc.node.start.offset, "cannot create \(path): \(what) is a \(try meaning(of: loc.node).kindName)")
    }
  }

  /// A file with no document (empty, or comments only) gets one at its end.
  private mutating func writeRoot(_ path: YAMLPath, _ value: YAMLValue) throws(YAMLError) {
    let whole = try YAMLValue.null.applying(.set(path, value))
    let lines = ValueRenderer.needsBlock(whole)
      ? ValueRenderer.itemContent(whole, column: 0, layout: YAMLLayout())
      : [ValueRenderer.flow(whole)]
    let bytes = source.bytes
    let lead = bytes.isEmpty || bytes.last == 0x0A ? "" : lineBreak
    try commit([.insert(at: bytes.count, lead + lines.map { $0 + lineBreak }.joined())])
  }

  func meaning(of node: YAMLNode) throws(YAMLError) -> YAMLValue {
    // Aliases inside the node may point at anchors elsewhere: read them in the whole file.
    guard node.containsAnchorOrAlias, let root = file.root else {
      do { return try YAMLValue(node) } catch { throw file.error(at: error.offset, error.message) }
    }
    var anchors: [String: YAMLValue] = [:]
    do {
      _ = try YAMLValue.from(root, anchors: &anchors)
      return try YAMLValue.from(node, anchors: &anchors)
    } catch { throw file.error(at: error.offset, error.message) }
  }

  /// Refuses edits through anchors and aliases: a change there would also change (or break)
  /// every place that refers to it.
  func checkEditable(_ loc: Located, _ path: YAMLPath) throws(YAMLError) {
    for node in loc.chain + [loc.node] where node.anchor != nil {
      throw anchored(node, path)
    }
    if case .alias = loc.node.content { throw anchored(loc.node, path) }
    // `? key` in block style: its value may have no `:` to write after, or one on another line,
    // so neither it nor the mapping holding it (new keys go after its last entry) is edited.
    let nodes = loc.chain + [loc.node]
    let pairs = zip(nodes, nodes.dropFirst()).map { ($0, Optional($1)) } + [(loc.node, nil)]
    for (parent, child) in pairs where parent.collectionStyle == .block {
      guard let entry = parent.entries.first(where: { entry in (child.map { $0.isSame(as: entry.value) } ?? true) && isExplicitKey(entry.key) })
      else { continue }
      throw file.error(
        at: entry.key.start.offset, "\(path) is in or below a mapping with an explicit key (`? key`); netcfg does not edit those",
        notes: ["write the key as `key: value`"])
    }
  }

  /// True when a `?` indicator stands before the key on its line.
  private func isExplicitKey(_ key: YAMLNode) -> Bool {
    var i = key.start.offset - 1
    let bytes = source.bytes
    while i >= 0, bytes[i] == 0x20 || bytes[i] == 0x09 { i -= 1 }
    return i >= 0 && bytes[i] == UInt8(ascii: "?")
  }

  func anchored(_ node: YAMLNode, _ path: YAMLPath) -> YAMLError {
    file.error(
      at: node.start.offset,
      "\(path.isEmpty ? "the document" : "\(path)") goes through a YAML anchor or alias; netcfg does not edit shared nodes",
      notes: ["edit it by hand, or write the values out without &anchors and *aliases"])
  }

  func requireSequence(_ loc: Located, _ path: YAMLPath) throws(YAMLError) {
    guard case .sequence = loc.node.content else {
      throw file.error(at: loc.node.start.offset, "\(path) is not a list")
    }
  }
}
