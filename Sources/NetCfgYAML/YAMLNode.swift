#if canImport(Glibc)
  import Glibc
#endif

/// A position in a YAML file: a byte offset for editing, a 1-based line and column (counted in
/// characters, as libyaml and netplan count them) for people. Stored in 32 bits each (files
/// are far below 2 GB): every node holds two.
public struct YAMLMark: Sendable, Hashable {
  @Int32Backed public var offset: Int
  @Int32Backed public var line: Int
  @Int32Backed public var column: Int

  public init(offset: Int, line: Int, column: Int) {
    self.offset = offset
    self.line = line
    self.column = column
  }
}

/// An `Int` kept in 32 bits (positions in files far below 2 GB): halves the size of the
/// marks and locations every node holds.
@propertyWrapper
public struct Int32Backed: Sendable, Hashable {
  private var stored: Int32

  public init(wrappedValue: Int) { stored = Int32(clamping: wrappedValue) }

  public var wrappedValue: Int {
    get { Int(stored) }
    set { stored = Int32(clamping: newValue) }
  }
}

/// How a scalar is written in the source.
public enum ScalarStyle: String, Sendable, Hashable {
  case plain, singleQuoted, doubleQuoted, literal, folded

  /// True for the styles that read as a string whatever the text (all but plain).
  public var isQuotedOrBlock: Bool { self != .plain }
}

/// How a mapping or sequence is written: indentation-based, or with brackets.
public enum CollectionStyle: String, Sendable, Hashable {
  case block, flow
}

/// One node of a parsed YAML document, with the exact place it occupies in the source.
/// A handle: the tree's records live in one arena (`YAMLTree`), and a node is its index there,
/// so passing a node around costs one reference and building a tree allocates no object per
/// node.
public struct YAMLNode: Sendable {
  public enum Content: Sendable {
    case scalar(String, ScalarStyle)
    case mapping(YAMLEntries, CollectionStyle)
    case sequence(YAMLItems, CollectionStyle)
    case alias(String)
  }

  let access: YAMLTreeAccess
  let index: Int32

  init(_ access: YAMLTreeAccess, _ index: Int32) {
    self.access = access
    self.index = index
  }

  var record: YAMLTree.Record { access.tree.records[Int(index)] }

  /// The `i`th child slot of a collection (a mapping's: key, value, key, value, ...).
  func child(_ i: Int) -> YAMLNode {
    YAMLNode(access, access.tree.slots[Int(record.payload) + i])
  }

  public var content: Content {
    let record = record
    switch record.kind {
    case .scalar: return .scalar(access.tree.text(record), ScalarStyle(code: record.style))
    case .alias: return .alias(access.tree.text(record))
    case .mapping:
      return .mapping(YAMLEntries(access, first: record.payload, count: record.count / 2), CollectionStyle(code: record.style))
    case .sequence:
      return .sequence(YAMLItems(access, first: record.payload, count: record.count), CollectionStyle(code: record.style))
    }
  }

  /// Where the node starts, including its anchor and tag if it has them.
  public var start: YAMLMark { record.start }
  /// Byte offset of libyaml's end mark. For block collections this is a zero-width mark at
  /// the next token, which can lie lines further down, past comments: use `contentEnd` for
  /// editing.
  public var endOffset: Int { Int(record.endOffset) }
  /// Byte offset just past the last character that belongs to the node: the end of its last
  /// scalar or closing bracket (block scalars: the end of their last non-blank line).
  public var contentEnd: Int { Int(record.contentEnd) }
  public var anchor: String? { record.hasProperties ? access.tree.properties[index]?.anchor : nil }
  public var tag: String? { record.hasProperties ? access.tree.properties[index]?.tag : nil }

  /// True when `other` is this very node of the same parse (not merely an equal one).
  public func isSame(as other: YAMLNode) -> Bool {
    index == other.index && access.tree.identity === other.access.tree.identity
  }

  /// True for an implicit null: a key with nothing after its colon.
  public var isEmptyPlainScalar: Bool { access.tree.isEmptyPlainScalar(record) }

  public var isScalar: Bool { record.kind == .scalar }
  public var isAlias: Bool { record.kind == .alias }
  public var isMapping: Bool { record.kind == .mapping }

  /// The collection style, or nil for scalars and aliases.
  public var collectionStyle: CollectionStyle? {
    let record = record
    switch record.kind {
    case .mapping, .sequence: return CollectionStyle(code: record.style)
    case .scalar, .alias: return nil
    }
  }

  /// Entries of a mapping node (empty for other kinds).
  public var entries: YAMLEntries {
    let record = record
    return record.kind == .mapping ? YAMLEntries(access, first: record.payload, count: record.count / 2) : YAMLEntries(access, first: 0, count: 0)
  }

  /// Items of a sequence node (empty for other kinds).
  public var items: YAMLItems {
    let record = record
    return record.kind == .sequence ? YAMLItems(access, first: record.payload, count: record.count) : YAMLItems(access, first: 0, count: 0)
  }

  /// The scalar's text, or nil when the node is not a scalar.
  public var scalarText: String? {
    let record = record
    return record.kind == .scalar ? access.tree.text(record) : nil
  }

  /// Calls `body` with each entry of a mapping, in order: the bytes of its key when the key is
  /// a scalar written as it is in the source (nil for any other key: read it through
  /// `entryKey`), and the entry's position (for `entryKey` and `entryValue`). No handle is
  /// made for an entry: a walk over every key of a file makes only those it needs. Nothing
  /// for other nodes.
  public func forEachEntryKey(_ body: (UnsafeBufferPointer<UInt8>?, Int) -> Void) {
    let tree = access.tree
    let record = tree.records[Int(index)]
    guard record.kind == .mapping else { return }
    let first = Int(record.payload)
    tree.source.withUnsafeBufferPointer { source in
      for entry in 0..<Int(record.count) / 2 {
        let key = tree.records[Int(tree.slots[first + 2 * entry])]
        if key.kind == .scalar && key.inSource {
          body(UnsafeBufferPointer(rebasing: source[Int(key.payload)..<Int(key.payload) + Int(key.count)]), entry)
        } else {
          body(nil, entry)
        }
      }
    }
  }

  /// The key of a mapping's entry at `position` (see `forEachEntryKey`).
  public func entryKey(_ position: Int) -> YAMLNode {
    YAMLNode(access, access.tree.slots[Int(record.payload) + 2 * position])
  }

  /// The value of a mapping's entry at `position` (see `forEachEntryKey`).
  public func entryValue(_ position: Int) -> YAMLNode {
    YAMLNode(access, access.tree.slots[Int(record.payload) + 2 * position + 1])
  }

  /// True when this node is a scalar whose text is `text` (compared without making a string).
  public func isScalar(equalTo text: String) -> Bool {
    let record = record
    return record.kind == .scalar && access.tree.text(record, equals: text)
  }

  /// The value of a mapping's first entry whose key is the scalar `key`, or nil (also for
  /// nodes that are not mappings). Reads the keys in place, without a handle per entry.
  public func firstValue(forKey key: String) -> YAMLNode? {
    firstKeySlot(key).map { YAMLNode(access, access.tree.slots[$0 + 1]) }
  }

  /// A mapping's first entry whose key is the scalar `key`, or nil (also for nodes that are
  /// not mappings). Reads the keys in place, without a handle per entry.
  public func firstEntry(forKey key: String) -> YAMLEntry? {
    firstKeySlot(key).map { YAMLEntry(key: YAMLNode(access, access.tree.slots[$0]), value: YAMLNode(access, access.tree.slots[$0 + 1])) }
  }

  /// The slot of a mapping's first key that is the scalar `key` (its value's is the next),
  /// or nil. The key's bytes against each key's in the source, all read in place (the
  /// lookup of every merged read: a tenth of `show`'s work on thousands of devices).
  private func firstKeySlot(_ key: String) -> Int? {
    let tree = access.tree, index = Int(index)
    var utf8 = key  // withUTF8 needs a variable (it may make the string contiguous)
    return utf8.withUTF8 { wanted -> Int? in
      tree.records.withUnsafeBufferPointer { records -> Int? in
        let record = records[index]
        guard record.kind == .mapping else { return nil }
        let first = Int(record.payload), end = first + Int(record.count)
        return tree.slots.withUnsafeBufferPointer { slots -> Int? in
          tree.source.withUnsafeBufferPointer { source -> Int? in
            for slot in stride(from: first, to: end, by: 2) {
              let keyRecord = records[Int(slots[slot])]
              guard keyRecord.kind == .scalar else { continue }
              if keyRecord.inSource {
                if Int(keyRecord.count) == wanted.count
                  && (wanted.isEmpty || Bytes.equal(source.baseAddress! + Int(keyRecord.payload), wanted.baseAddress!, count: wanted.count))
                { return slot }
              } else if tree.texts[Int(keyRecord.payload)] == key {
                return slot
              }
            }
            return nil
          }
        }
      }
    }
  }

  /// True when nothing at or below this node is an alias, every mapping key is an untagged
  /// scalar written once in its mapping, and no mapping has more than `maxMappingCount`
  /// entries: a tree read the same in place as converted key by key. Reads the records
  /// in place, without a handle per node.
  public func isPlainTree(maxMappingCount: Int) -> Bool {
    let tree = access.tree
    let records = tree.records, slots = tree.slots
    func plain(_ index: Int32) -> Bool {
      let record = records[Int(index)]
      switch record.kind {
      case .scalar: return true
      case .alias: return false
      case .sequence:
        let first = Int(record.payload)
        for slot in first..<first + Int(record.count) where !plain(slots[slot]) { return false }
        return true
      case .mapping:
        guard record.count <= 2 * maxMappingCount else { return false }
        let first = Int(record.payload)
        var slot = first
        while slot < first + Int(record.count) {
          let key = records[Int(slots[slot])]
          guard key.kind == .scalar, !key.hasProperties || tree.properties[slots[slot]]?.tag == nil else { return false }
          var earlier = first
          while earlier < slot {
            if tree.text(records[Int(slots[earlier])], equalsTextOf: key) { return false }
            earlier += 2
          }
          guard plain(slots[slot + 1]) else { return false }
          slot += 2
        }
        return true
      }
    }
    return plain(index)
  }

  /// True when this node or any node below it carries an anchor or is an alias.
  public var containsAnchorOrAlias: Bool {
    if anchor != nil { return true }
    let record = record
    switch record.kind {
    case .alias: return true
    case .scalar: return false
    case .mapping, .sequence: return (0..<Int(record.count)).contains { child($0).containsAnchorOrAlias }
    }
  }
}

/// The entries of a mapping node, in source order.
public struct YAMLEntries: RandomAccessCollection, Sendable {
  let access: YAMLTreeAccess
  let first: Int32
  public let count: Int

  init(_ access: YAMLTreeAccess, first: Int32, count: Int32) {
    self.access = access
    self.first = first
    self.count = Int(count)
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  public subscript(position: Int) -> YAMLEntry {
    precondition(position >= 0 && position < count, "YAMLEntries index out of range")
    let slot = Int(first) + 2 * position
    let slots = access.tree.slots
    return YAMLEntry(key: YAMLNode(access, slots[slot]), value: YAMLNode(access, slots[slot + 1]))
  }
}

/// The items of a sequence node, in source order.
public struct YAMLItems: RandomAccessCollection, Sendable {
  let access: YAMLTreeAccess
  let first: Int32
  public let count: Int

  init(_ access: YAMLTreeAccess, first: Int32, count: Int32) {
    self.access = access
    self.first = first
    self.count = Int(count)
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  public subscript(position: Int) -> YAMLNode {
    precondition(position >= 0 && position < count, "YAMLItems index out of range")
    return YAMLNode(access, access.tree.slots[Int(first) + position])
  }
}

/// A key and its value in a mapping.
public struct YAMLEntry: Sendable {
  public var key: YAMLNode
  public var value: YAMLNode

  /// The key's text when it is a scalar, else nil (complex keys).
  public var keyText: String? { key.scalarText }
}

/// One YAML document of a file.
public struct YAMLDocumentNode: Sendable {
  var tree: YAMLTree
  var rootIndex: Int32?
  public var start: YAMLMark
  public var end: YAMLMark
  /// True when the document opens with an explicit `---`.
  public var hasExplicitStart: Bool
  /// True when the document closes with an explicit `...`.
  public var hasExplicitEnd: Bool

  /// The document's root, nil for an empty document. Each call is a reader of its own (see
  /// `YAMLTreeAccess`): take it once per walk.
  public var root: YAMLNode? { rootIndex.map { YAMLNode(YAMLTreeAccess(tree), $0) } }
}

extension YAMLNode {
  /// The node at `path` below this one (a repeated key: its last occurrence, as YAML readers
  /// take it), or nil. Aliases are not followed.
  public func node(at path: YAMLPath) -> YAMLNode? {
    var current = self
    for component in path.components {
      switch component {
      case .key(let key):
        guard let entry = current.entries.last(where: { $0.keyText == key }) else { return nil }
        current = entry.value
      case .index(let i):
        let items = current.items
        guard i < items.count else { return nil }
        current = items[i]
      }
    }
    return current
  }

  /// The entry (key node included) at `path`, when its last component is a key.
  public func entry(at path: YAMLPath) -> YAMLEntry? {
    guard case .key(let key)? = path.last, let parent = node(at: path.parent) else { return nil }
    return parent.entries.last { $0.keyText == key }
  }
}
