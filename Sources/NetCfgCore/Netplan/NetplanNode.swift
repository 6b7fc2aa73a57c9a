import NetCfgYAML

/// A node of the merged netplan configuration: its value and where it came from.
public struct NetplanNode: Sendable {
  public enum Content: Sendable {
    case scalar(YAMLScalar)
    case mapping([NetplanEntry])
    case sequence([NetplanNode])
  }

  // The stored properties' order is their layout: `location` (4-byte fields) fills the
  // padding after `content` (17 bytes), so a node takes 40 bytes, not 56.
  public var content: Content {
    didSet { extras = Extras.make(keyIndex: NetplanNode.index(content), history: history) }
  }
  /// Where the value in force was written (for mappings: where the key's mapping was first
  /// opened).
  public var location: SourceLocation
  /// The key index and the history, which few nodes have: one reference, nil for most nodes,
  /// so that copying a node (which the checks do all the time) retains one object fewer.
  private var extras: Extras?

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

  private var history: [Contribution] { extras?.history ?? [] }

  /// Every place that contributed to this node, in netplan order, including values that a
  /// later file replaced.
  public var contributions: [Contribution] {
    get { history.isEmpty ? [Contribution(location: location, scalar: scalar, overridden: false)] : history }
    set { extras = Extras.make(keyIndex: extras?.keyIndex, history: newValue) }
  }
  /// True when more than one place contributed (without building the list).
  public var hasSeveralContributions: Bool { (extras?.history.count ?? 0) > 1 }

  public init(content: Content, location: SourceLocation, contributions: [Contribution] = []) {
    self.content = content
    self.location = location
    extras = Extras.make(
      keyIndex: NetplanNode.index(content),
      history: contributions.count == 1 && contributions[0].location == location ? [] : contributions)
  }

  private static func index(_ content: Content) -> [String: Int]? {
    guard case .mapping(let entries) = content, entries.count > 8 else { return nil }
    var index: [String: Int] = [:]
    index.reserveCapacity(entries.count)
    for (i, entry) in entries.enumerated() where index[entry.key] == nil { index[entry.key] = i }
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
    if case .scalar(let s) = content { return s.text }
    return nil
  }

  public var entries: [NetplanEntry] {
    if case .mapping(let e) = content { return e }
    return []
  }

  public var items: [NetplanNode] {
    if case .sequence(let i) = content { return i }
    return []
  }

  /// The valid addresses of a definition's `addresses:` (`192.0.2.10/24`, or an address with
  /// options: `{192.0.2.10/24: {label: x}}`).
  public var interfaceAddresses: [InterfaceAddress] {
    (self["addresses"]?.items ?? []).compactMap { ($0.scalar ?? $0.entries.first?.key).flatMap(InterfaceAddress.init) }
  }

  public subscript(key: String) -> NetplanNode? {
    guard case .mapping(let entries) = content else { return nil }
    if let keyIndex = extras?.keyIndex { return keyIndex[key].map { entries[$0].value } }
    return entries.first { $0.key == key }?.value
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
}
