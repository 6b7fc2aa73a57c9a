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
/// A class: trees are built once and shared, so passing a node around costs one reference.
public final class YAMLNode: Sendable {
  public enum Content: Sendable {
    case scalar(String, ScalarStyle)
    case mapping([YAMLEntry], CollectionStyle)
    case sequence([YAMLNode], CollectionStyle)
    case alias(String)
  }

  public let content: Content
  /// Where the node starts, including its anchor and tag if it has them.
  public let start: YAMLMark
  /// libyaml's end mark. For block collections this is a zero-width mark at the next token,
  /// which can lie lines further down, past comments: use `contentEnd` for editing.
  public let end: YAMLMark
  /// Byte offset just past the last character that belongs to the node: the end of its last
  /// scalar or closing bracket (block scalars: the end of their last non-blank line).
  public var contentEnd: Int { Int(storedContentEnd) }
  private let storedContentEnd: Int32
  /// Anchor and tag, rare in netplan files: one reference, nil for most nodes.
  private let properties: Properties?
  public var anchor: String? { properties?.anchor }
  public var tag: String? { properties?.tag }

  private final class Properties: Sendable {
    let anchor: String?
    let tag: String?
    init(anchor: String?, tag: String?) {
      self.anchor = anchor
      self.tag = tag
    }
  }

  public init(
    content: Content, start: YAMLMark, end: YAMLMark, contentEnd: Int, anchor: String? = nil,
    tag: String? = nil
  ) {
    self.content = content
    self.start = start
    self.end = end
    storedContentEnd = Int32(clamping: contentEnd)
    properties = anchor == nil && tag == nil ? nil : Properties(anchor: anchor, tag: tag)
  }

  /// True for an implicit null: a key with nothing after its colon.
  public var isEmptyPlainScalar: Bool {
    if case .scalar("", .plain) = content, tag == nil, start.offset == end.offset { return true }
    return false
  }

  public var isScalar: Bool { if case .scalar = content { return true } else { return false } }

  /// The collection style, or nil for scalars and aliases.
  public var collectionStyle: CollectionStyle? {
    switch content {
    case .mapping(_, let style), .sequence(_, let style): return style
    default: return nil
    }
  }

  /// Entries of a mapping node (empty for other kinds).
  public var entries: [YAMLEntry] {
    if case .mapping(let entries, _) = content { return entries }
    return []
  }

  /// Items of a sequence node (empty for other kinds).
  public var items: [YAMLNode] {
    if case .sequence(let items, _) = content { return items }
    return []
  }

  /// The scalar's text, or nil when the node is not a scalar.
  public var scalarText: String? {
    if case .scalar(let text, _) = content { return text }
    return nil
  }

  /// True when this node or any node below it carries an anchor or is an alias.
  public var containsAnchorOrAlias: Bool {
    if anchor != nil { return true }
    switch content {
    case .alias: return true
    case .scalar: return false
    case .mapping(let entries, _):
      return entries.contains { $0.key.containsAnchorOrAlias || $0.value.containsAnchorOrAlias }
    case .sequence(let items, _): return items.contains { $0.containsAnchorOrAlias }
    }
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
  /// The document's root, nil for an empty document.
  public var root: YAMLNode?
  public var start: YAMLMark
  public var end: YAMLMark
  /// True when the document opens with an explicit `---`.
  public var hasExplicitStart: Bool
  /// True when the document closes with an explicit `...`.
  public var hasExplicitEnd: Bool
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
