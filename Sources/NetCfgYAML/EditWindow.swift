/// Editing inside one entry of a large file without parsing the whole file after every step.
/// When every edit lies at or below one block mapping entry (a device: `network.ethernets.eth0`)
/// whose ancestors are all block mappings, the entry's lines (the "window": its key line, its
/// value, and the comment or blank lines after it up to the next line indented no deeper than
/// the key) parse on their own exactly as they do in the file. The edit session runs on that
/// text, and the new file's parse is put together from the original's nodes and the edited
/// window's (`splicing`) instead of parsing the whole file again.
///
/// Why the window reads the same alone as in the file: in block context a line whose first
/// character sits at or left of the key's column ends everything the entry opened, and a key
/// at that column starts a new entry of the parent mapping. The window starts with the key at
/// its column (the edits keep it), every other content line of the window is indented deeper
/// than the key, and the next content line after it is not; so the text before and after the
/// window leaves the parser in the same state around it whatever the window holds. Each
/// condition is checked on the edited window, the edited window must read back as intended,
/// and the text around it must be the original's byte for byte; the tests compare the
/// spliced parse with a real parse of the result, node by node. Files with anchors never take
/// this path.
struct EditWindow {
  /// The path of the entry (its key is the window's only key).
  let entryPath: YAMLPath
  /// Byte range of the window in the original file.
  let range: Range<Int>
  /// Column (0-based) of the entry's key.
  let keyColumn: Int
  /// The window's text, parsed alone.
  let file: YAMLFile
  /// The record of the entry's key in the original file's arena (a number, not a node: the
  /// window holds no reference to the original tree, which can then be spliced in place),
  /// and where the entry's value ends there (the mark of the first token after the window).
  let entryKeyIndex: Int32
  let entryValueEnd: Int
  /// Layout observations outside the window that can be the nearest to an edit in it: before
  /// it (offsets as in the file) and after it (offsets as in the original file; they move
  /// with the window's length).
  let observationsBefore: [YAMLLayout.Observation]
  let observationsAfter: [YAMLLayout.Observation]

  /// The window for `edits` in `original`, or nil when the edits do not share one (then the
  /// whole file is edited).
  init?(for edits: [YAMLEdit], in original: YAMLFile) {
    guard !edits.isEmpty, !original.mayHaveAnchors, original.documents.count == 1,
      let root = original.root, let prefix = EditWindow.commonKeyPrefix(edits)
    else { return nil }
    // The deepest entry along the prefix whose ancestors are all block mappings.
    var node = root
    var found: (path: YAMLPath, entry: YAMLEntry)?
    var path = YAMLPath([])
    for component in prefix.components {
      guard case .key(let key) = component, case .mapping(let entries, .block) = node.content,
        let entry = entries.last(where: { $0.keyText == key }),
        entries.filter({ $0.keyText == key }).count == 1
      else { break }
      path = path.appending(component)
      if case .mapping(_, .block) = entry.value.content { found = (path, entry) } else { break }
      node = entry.value
    }
    guard let (entryPath, entry) = found, entryPath.components.count >= 2 else { return nil }
    let source = original.source
    let key = entry.key
    guard case .scalar(_, .plain) = key.content, !source.bytes[key.start.offset..<key.endOffset].contains(where: { $0 == 0x0A || $0 == 0x0D }),
      source.isFirstOnLine(key.start.offset)
    else { return nil }
    let start = source.lineStart(of: key.start.offset)
    let column = key.start.offset - start
    guard column >= 1 else { return nil }
    // Through the entry's last line, then comment and blank lines (and, were there any,
    // lines indented deeper than the key).
    var line = source.lineIndex(of: max(key.start.offset, entry.value.contentEnd - 1)) + 1
    while line < source.lineStarts.count, source.lineStarts[line] < source.bytes.count,
      source.contentIndent(line: line).map({ $0 > column }) ?? true
    {
      line += 1
    }
    let end = line < source.lineStarts.count ? source.lineStarts[line] : source.bytes.count
    // A window of most of the file saves nothing.
    guard (end - start) * 2 < source.bytes.count else { return nil }
    guard let file = try? YAMLFile(name: original.name, bytes: Array(source.bytes[start..<end])),
      file.source.lineBreak == source.lineBreak,
      EditWindow.isSingleEntry(file, key: key.scalarText ?? "", column: column),
      let alone = try? YAMLValue(file.root!.entries[0].value),
      let inFile = try? YAMLValue(entry.value), alone.isEquivalent(to: inFile)
    else { return nil }
    self.entryPath = entryPath
    self.range = start..<end
    self.keyColumn = column
    self.file = file
    entryKeyIndex = key.index
    entryValueEnd = entry.value.endOffset
    // Observations made at the key itself come from the parent mapping: they stay.
    (observationsBefore, observationsAfter) = YAMLLayout.observations(of: original, around: start..<end, key: key.start.offset)
  }

  /// An edit's path inside the window: the entry's key, then what follows it.
  func local(_ path: YAMLPath) -> YAMLPath {
    YAMLPath([entryPath.components.last!] + path.components.dropFirst(entryPath.components.count))
  }

  func local(_ edit: YAMLEdit) -> YAMLEdit {
    switch edit {
    case .set(let p, let v): return .set(local(p), v)
    case .remove(let p): return .remove(local(p))
    case .append(let p, let v): return .append(local(p), v)
    case .removeValue(let p, let v): return .removeValue(local(p), v)
    case .insert(let p, let i, let v): return .insert(local(p), index: i, v)
    }
  }

  /// The layout near `offset` of the edited window `current`, learned as in the whole file.
  func layout(near offset: Int, in current: YAMLFile) -> YAMLLayout {
    let shift = current.source.bytes.count - range.count
    var all = observationsBefore
    all += YAMLLayout.observations(of: current).map {
      YAMLLayout.Observation(measure: $0.measure, offset: $0.offset + range.lowerBound, value: $0.value)
    }
    all += observationsAfter.map {
      YAMLLayout.Observation(measure: $0.measure, offset: $0.offset + shift, value: $0.value)
    }
    return YAMLLayout.nearest(all, to: offset + range.lowerBound)
  }

  /// True when `window` holds one document: a block mapping with the single key `key` at
  /// `column` on its first line, every other content line indented deeper, ending with a
  /// line break (or the file's end).
  static func isSingleEntry(_ window: YAMLFile, key: String, column: Int) -> Bool {
    guard window.documents.count == 1, let root = window.root,
      case .mapping(let entries, .block) = root.content, entries.count == 1,
      entries[0].keyText == key, entries[0].key.start.offset == column, entries[0].key.start.line == 1
    else { return false }
    let source = window.source
    for line in 1..<source.lineStarts.count where source.lineStarts[line] < source.bytes.count {
      if let indent = source.contentIndent(line: line), indent <= column { return false }
    }
    return true
  }

  /// The longest run of keys all edits' paths start with. It may be a whole path only for a
  /// `set` (which keeps the key and changes what follows it); other edits need a path below.
  static func commonKeyPrefix(_ edits: [YAMLEdit]) -> YAMLPath? {
    guard var prefix = edits.first?.path.components else { return nil }
    for edit in edits {
      let path = edit.path.components
      var n = 0
      while n < prefix.count, n < path.count, prefix[n] == path[n] { n += 1 }
      if case .set = edit {} else { n = min(n, path.count - 1) }
      prefix.removeSubrange(max(0, n)...)
    }
    if let firstIndex = prefix.firstIndex(where: { if case .index = $0 { true } else { false } }) {
      prefix.removeSubrange(firstIndex...)
    }
    return prefix.isEmpty ? nil : YAMLPath(prefix)
  }
}

extension SourceText {
  /// Indentation of line `line` when it holds content; nil for a blank or comment-only line.
  func contentIndent(line: Int) -> Int? {
    var i = lineStarts[line]
    let start = i
    while i < bytes.count, bytes[i] == 0x20 { i += 1 }
    guard i < bytes.count else { return nil }
    switch bytes[i] {
    case 0x0A, 0x0D, UInt8(ascii: "#"): return nil
    default: return i - start
    }
  }
}

extension YAMLFile {
  /// `editInWindow` on a copy: the result, or nil when the window path declines.
  func editedInWindow(
    _ window: EditWindow, _ edits: [YAMLEdit], tamper: (([UInt8]) -> [UInt8])?
  ) -> YAMLFile? {
    var file = self
    return (try? file.editInWindow(window, edits, tamper: tamper)) == true ? file : nil
  }

  /// `edits` made in the window's text, checked, and spliced into the file's parse (with
  /// `tamper`, a test's corruption of the result, the result is parsed instead). False, with
  /// the file unchanged, when anything in the window path fails (the caller then edits the
  /// whole file, which gives the errors with the file's own lines and paths).
  mutating func editInWindow(
    _ window: EditWindow, _ edits: [YAMLEdit], tamper: (([UInt8]) -> [UInt8])?
  ) throws(YAMLError) -> Bool {
    let key = window.entryPath.components.last!
    guard case .key(let keyText) = key, let windowRoot = window.file.root,
      var intended = try? YAMLValue(windowRoot)
    else { return false }
    var session = EditSession(window.file, window: window)
    for edit in edits {
      let local = window.local(edit)
      guard let next = try? intended.applying(local), (try? session.apply(local)) != nil else { return false }
      intended = next
    }
    let edited = session.file
    let bytes = source.bytes
    let suffix = bytes[window.range.upperBound...]
    guard EditWindow.isSingleEntry(edited, key: keyText, column: window.keyColumn),
      suffix.isEmpty || edited.source.bytes.last == 0x0A,
      let readBack = try? YAMLValue(edited.root!), readBack.isEquivalent(to: intended),
      let intendedEntry = intended.value(at: YAMLPath([key]))
    else { return false }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count - window.range.count + edited.source.bytes.count)
    result += bytes[..<window.range.lowerBound]
    result += edited.source.bytes
    result += suffix
    if tamper == nil, splice(window, edited, bytes: result) {
      if let node = root?.node(at: window.entryPath), let entry = try? YAMLValue(node), entry.isEquivalent(to: intendedEntry) {
        return true
      }
      // Not what a parse gives (no test has seen it): the parse of the result decides, and
      // the whole file is edited again from its first text if that fails too.
      if let file = YAMLFile.windowResult(name, result, window, intendedEntry) {
        self = file
        return true
      }
      do { self = try YAMLFile(name: name, bytes: bytes) } catch {
        throw EditSession.proofFailure(name, "the file no longer parses as it did: \(error.message)")
      }
      return false
    }
    if let tamper { result = tamper(result) }
    // The text around the window is the file's own, byte for byte.
    guard result.count >= window.range.lowerBound + suffix.count,
      result[..<window.range.lowerBound] == bytes[..<window.range.lowerBound],
      result[(result.count - suffix.count)...] == suffix,
      let file = YAMLFile.windowResult(name, result, window, intendedEntry)
    else { return false }
    self = file
    return true
  }

  /// `bytes` parsed, when they hold one document whose window entry is `intendedEntry`.
  private static func windowResult(_ name: String, _ bytes: [UInt8], _ window: EditWindow, _ intendedEntry: YAMLValue) -> YAMLFile? {
    guard let file = try? YAMLFile(name: name, bytes: bytes), file.documents.count == 1,
      let node = file.root?.node(at: window.entryPath),
      let entry = try? YAMLValue(node), entry.isEquivalent(to: intendedEntry)
    else { return nil }
    return file
  }
}
