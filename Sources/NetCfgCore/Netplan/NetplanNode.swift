import NetCfgYAML

/// A node of the merged netplan configuration: its value and where it came from.
///
/// Most of a configuration is written once, in one file: such a part is not copied but
/// read from the file's parsed tree (`NetplanMerger` decides, see `canRefer`). Only what
/// merging changes (what several files or repeated keys wrote, the mappings too large to
/// search without an index, files with anchors) is built as nodes of its own.
public struct NetplanNode: Sendable {
  public enum Content: Sendable {
    case scalar(YAMLScalar)
    case mapping([NetplanEntry])
    case sequence([NetplanNode])
  }

  private enum Storage: Sendable {
    /// Built by merging: the content, its location, and the key index and history (see
    /// `Extras`).
    case built(Content, SourceLocation, Extras?)
    /// A node of one file's tree as it is (see `canRefer`): a scalar, or a collection with
    /// only scalar keys, none repeated, at most `referredMappingSize` of them.
    case source(YAMLNode, fileID: UInt32)
  }

  private var storage: Storage

  /// Where the value in force was written (for mappings: where the key's mapping was first
  /// opened).
  public var location: SourceLocation {
    switch storage {
    case .built(_, let location, _): return location
    case .source(let node, let fileID):
      let start = node.start
      return SourceLocation(fileID: fileID, line: start.line, column: start.column)
    }
  }

  /// Immutable: a change makes a new one, so copies of a node never share a change.
  private final class Extras: Sendable {
    /// Position of each key in a large mapping (device sections hold thousands of ids).
    let keyIndex: [String: Int]?
    /// The contributions when there are several; empty for a node written once.
    let history: [Contribution]

    private init(keyIndex: [String: Int]?, history: [Contribution]) {
      self.keyIndex = keyIndex
      self.history = history
    }

    static func make(keyIndex: [String: Int]?, history: [Contribution]) -> Extras? {
      keyIndex == nil && history.isEmpty ? nil : Extras(keyIndex: keyIndex, history: history)
    }
  }

  public init(content: Content, location: SourceLocation, contributions: [Contribution] = []) {
    storage = .built(
      content, location,
      Extras.make(
        keyIndex: NetplanNode.index(content),
        history: contributions.count == 1 && contributions[0].location == location ? [] : contributions))
  }

  /// A mapping built with the position of each key's first entry already known (`keyIndex`,
  /// as `index` would make it: given for more than 8 entries): not indexed a second time.
  init(mapping entries: [NetplanEntry], location: SourceLocation, keyIndex: [String: Int]?) {
    let keyIndex = entries.count > 8 ? keyIndex ?? NetplanNode.index(.mapping(entries)) : nil
    storage = .built(.mapping(entries), location, Extras.make(keyIndex: keyIndex, history: []))
  }

  /// `node` of the file `fileID` read in place; the caller has checked `canRefer(node)`.
  init(referring node: YAMLNode, fileID: UInt32) {
    storage = .source(node, fileID: fileID)
  }

  /// The same node, read through `reader`'s own hold on its file's tree (see `YAMLReader`);
  /// a node built by merging as it is.
  public func read(by reader: inout YAMLReader) -> NetplanNode {
    guard case .source(let node, let fileID) = storage else { return self }
    return NetplanNode(referring: reader.own(node), fileID: fileID)
  }

  /// The most keys a mapping read in place may have: it is searched key by key.
  static let referredMappingSize = 16

  /// True when `node` and everything below it read in place the same as converted: no
  /// alias, no complex or repeated key, no mapping above `referredMappingSize` keys.
  /// (Anchors are the caller's concern: a file with any is converted.)
  static func canRefer(_ node: YAMLNode) -> Bool {
    node.isPlainTree(maxMappingCount: referredMappingSize)
  }

  private var history: [Contribution] {
    if case .built(_, _, let extras) = storage { return extras?.history ?? [] }
    return []
  }

  private var keyIndex: [String: Int]? {
    if case .built(_, _, let extras) = storage { return extras?.keyIndex }
    return nil
  }

  public var content: Content {
    switch storage {
    case .built(let content, _, _): return content
    case .source(let node, _):
      switch node.content {
      case .scalar(let text, let style): return .scalar(NetplanNode.scalar(node, text, style))
      case .alias: return .scalar(YAMLScalar("", isString: false))
      case .mapping: return .mapping(Array(entries))
      case .sequence: return .sequence(Array(items))
      }
    }
  }

  /// A scalar as netplan reads it: a string when tagged `!!str`, quoted, or not read as
  /// anything else.
  static func scalar(_ node: YAMLNode, _ text: String, _ style: ScalarStyle) -> YAMLScalar {
    YAMLScalar(
      text, isString: style != .plain || node.tag == "tag:yaml.org,2002:str" || ScalarRules.resolvesAsString(text))
  }

  /// Every place that contributed to this node, in netplan order, including values that a
  /// later file replaced.
  public var contributions: [Contribution] {
    get { history.isEmpty ? [Contribution(location: location, scalar: scalar, overridden: false)] : history }
    set { storage = .built(content, location, Extras.make(keyIndex: keyIndex, history: newValue)) }
  }
  /// True when more than one place contributed (without building the list).
  public var hasSeveralContributions: Bool { history.count > 1 }

  private static func index(_ content: Content) -> [String: Int]? {
    guard case .mapping(let entries) = content, entries.count > 8 else { return nil }
    var index: [String: Int] = [:]
    index.reserveCapacity(entries.count)
    // The first entry of each key: written last, backwards (one lookup per entry).
    for i in entries.indices.reversed() { index[entries[i].key] = i }
    return index
  }

  /// The plain value, without provenance.
  public var value: YAMLValue {
    switch content {
    case .scalar(let s): return .scalar(s)
    case .sequence(let items): return .sequence(items.map(\.value))
    case .mapping(let entries): return .mapping(entries.map { YAMLPair($0.key, $0.value.value) })
    }
  }

  public var scalar: String? {
    switch storage {
    case .built(.scalar(let s), _, _): return s.text
    case .built: return nil
    case .source(let node, _): return node.scalarText
    }
  }

  public var entries: NetplanEntries {
    switch storage {
    case .built(.mapping(let entries), _, _): return NetplanEntries(.built(entries))
    case .built: return NetplanEntries(.built([]))
    case .source(let node, let fileID): return NetplanEntries(.source(node.entries, fileID))
    }
  }

  public var items: NetplanItems {
    switch storage {
    case .built(.sequence(let items), _, _): return NetplanItems(.built(items))
    case .built: return NetplanItems(.built([]))
    case .source(let node, let fileID): return NetplanItems(.source(node.items, fileID))
    }
  }

  /// True for a mapping (without building its entries).
  public var isMapping: Bool {
    switch storage {
    case .built(.mapping, _, _): return true
    case .built: return false
    case .source(let node, _): return node.isMapping
    }
  }

  var isScalarLike: Bool {
    switch storage {
    case .built(.mapping, _, _), .built(.sequence, _, _): return false
    case .built: return true
    case .source(let node, _): return node.collectionStyle == nil
    }
  }

  /// The valid addresses of a definition's `addresses:` (`192.0.2.10/24`, or an address with
  /// options: `{192.0.2.10/24: {label: x}}`).
  public var interfaceAddresses: [InterfaceAddress] {
    (self["addresses"]?.items ?? []).compactMap {
      ($0.scalar ?? $0.entries.first?.key).flatMap(InterfaceAddress.init)
    }
  }

  public subscript(key: String) -> NetplanNode? {
    switch storage {
    case .built(.mapping(let entries), _, let extras):
      if let keyIndex = extras?.keyIndex { return keyIndex[key].map { entries[$0].value } }
      return entries.first { $0.key == key }?.value
    case .built: return nil
    case .source(let node, let fileID):
      // No key is repeated (`canRefer`): the first is the only one.
      return node.firstValue(forKey: key).map { NetplanNode(referring: $0, fileID: fileID) }
    }
  }

  /// The bits `table` gives the keys of this mapping (0 for other nodes): one pass over the
  /// keys, read in place, for a set of keys asked about again and again (`NetplanDevice`).
  func keyBits(_ table: KeyTable<Int>) -> UInt64 {
    var bits: UInt64 = 0
    switch storage {
    case .built(.mapping(let entries), _, _):
      for entry in entries {
        var key = entry.key
        if let bit = key.withUTF8({ table.value(for: $0) }) { bits |= 1 << UInt64(bit) }
      }
    case .built: break
    case .source(let node, _):
      node.forEachEntryKey { bytes, entry in
        let bit: Int?
        if let bytes {
          bit = table.value(for: bytes)
        } else if var text = node.entryKey(entry).scalarText {
          bit = text.withUTF8 { table.value(for: $0) }  // written with escapes: by its text
        } else {
          bit = nil  // not a scalar
        }
        if let bit { bits |= 1 << UInt64(bit) }
      }
    }
    return bits
  }

  /// The entry of `key` in this mapping (the first when repeated), or nil: found in place,
  /// without building the entries before it.
  public func entry(_ key: String) -> NetplanEntry? {
    switch storage {
    case .built(.mapping(let entries), _, let extras):
      if let keyIndex = extras?.keyIndex { return keyIndex[key].map { entries[$0] } }
      return entries.first { $0.key == key }
    case .built: return nil
    case .source(let node, let fileID):
      return node.firstEntry(forKey: key).map { NetplanEntries.entry($0, fileID) }
    }
  }

  /// The node at `path` (keys and indexes), or nil.
  public func node(at path: YAMLPath) -> NetplanNode? {
    var current = self
    for component in path.components {
      switch component {
      case .key(let key):
        guard let next = current[key] else { return nil }
        current = next
      case .index(let i):
        let items = current.items
        guard i < items.count else { return nil }
        current = items[i]
      }
    }
    return current
  }
}

/// The entries of a merged mapping: built ones, or a file's mapping read in place.
public struct NetplanEntries: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
  enum Base: Sendable {
    case built([NetplanEntry])
    case source(YAMLEntries, UInt32)
  }

  let base: Base

  init(_ base: Base) { self.base = base }

  public init(arrayLiteral entries: NetplanEntry...) { base = .built(entries) }

  public var startIndex: Int { 0 }
  public var endIndex: Int {
    switch base {
    case .built(let entries): return entries.count
    case .source(let entries, _): return entries.count
    }
  }

  public subscript(position: Int) -> NetplanEntry {
    switch base {
    case .built(let entries): return entries[position]
    case .source(let entries, let fileID): return NetplanEntries.entry(entries[position], fileID)
    }
  }

  /// A file's entry, read in place.
  static func entry(_ entry: YAMLEntry, _ fileID: UInt32) -> NetplanEntry {
    let start = entry.key.start
    return NetplanEntry(
      key: entry.key.scalarText ?? "", keyLocation: SourceLocation(fileID: fileID, line: start.line, column: start.column),
      value: NetplanNode(referring: entry.value, fileID: fileID))
  }
}

/// The items of a merged sequence: built ones, or a file's sequence read in place.
public struct NetplanItems: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
  enum Base: Sendable {
    case built([NetplanNode])
    case source(YAMLItems, UInt32)
  }

  let base: Base

  init(_ base: Base) { self.base = base }

  public init(arrayLiteral items: NetplanNode...) { base = .built(items) }

  public var startIndex: Int { 0 }
  public var endIndex: Int {
    switch base {
    case .built(let items): return items.count
    case .source(let items, _): return items.count
    }
  }

  public subscript(position: Int) -> NetplanNode {
    switch base {
    case .built(let items): return items[position]
    case .source(let items, let fileID): return NetplanNode(referring: items[position], fileID: fileID)
    }
  }
}

/// One contribution to a merged node.
public struct Contribution: Sendable, Hashable {
  public var location: SourceLocation
  /// The scalar written there (nil for collections).
  public var scalar: String?
  /// True when a later file replaced this value.
  public var overridden: Bool
}

/// A key of a merged mapping.
public struct NetplanEntry: Sendable {
  public var key: String
  /// Where the key was first written.
  public var keyLocation: SourceLocation
  /// Where it was written again (later files, or repeated in one file).
  public var laterKeyLocations: [SourceLocation] = []
  public var value: NetplanNode

  public init(key: String, keyLocation: SourceLocation, value: NetplanNode) {
    self.key = key
    self.keyLocation = keyLocation
    self.value = value
  }

  /// Where the key was written, in every file that has it.
  public var keyLocations: [SourceLocation] { [keyLocation] + laterKeyLocations }
  /// Where the key was written last (`keyLocations.last`, without making the list).
  public var lastKeyLocation: SourceLocation { laterKeyLocations.last ?? keyLocation }
}
