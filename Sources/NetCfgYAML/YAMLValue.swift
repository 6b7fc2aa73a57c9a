/// The meaning of a YAML node, without its layout: what an edit intends and what a re-parse
/// must give back. Aliases are resolved; scalars keep their text and whether they read as a
/// string (quoted, or plain text that YAML would not take for a null, bool or number).
public enum YAMLValue: Sendable, Hashable, CustomStringConvertible {
  case scalar(YAMLScalar)
  case mapping([YAMLPair])
  case sequence([YAMLValue])

  /// A string: written quoted when plain text would read as something else.
  public static func string(_ text: String) -> YAMLValue { .scalar(YAMLScalar(text, isString: true)) }
  /// Plain text read with YAML's implicit typing (`true`, `42`, `null`, `eth0`).
  public static func plain(_ text: String) -> YAMLValue {
    .scalar(YAMLScalar(text, isString: ScalarRules.resolvesAsString(text)))
  }
  public static func bool(_ value: Bool) -> YAMLValue { .plain(value ? "true" : "false") }
  public static func int(_ value: Int) -> YAMLValue { .plain(String(value)) }
  public static let null = YAMLValue.plain("")
  public static let emptyMapping = YAMLValue.mapping([])

  /// The value of a mapping key (the last one when a key is repeated, as netplan reads it).
  public subscript(key: String) -> YAMLValue? {
    guard case .mapping(let pairs) = self else { return nil }
    return pairs.last { $0.key == key }?.value
  }

  public var isNull: Bool {
    if case .scalar(let s) = self { return !s.isString && ScalarRules.isNull(s.text) }
    return false
  }

  /// Same meaning: scalars equal, sequences equal item by item, mappings equal as maps
  /// (key order does not matter; a repeated key counts with its last value).
  public func isEquivalent(to other: YAMLValue) -> Bool {
    switch (self, other) {
    case (.scalar(let a), .scalar(let b)): return a == b
    case (.sequence(let a), .sequence(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
    case (.mapping, .mapping):
      let a = effectivePairs, b = other.effectivePairs
      guard a.count == b.count else { return false }
      if a.count > 16 {  // large maps (thousands of devices): by hash, not by scanning
        let index = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        return a.allSatisfy { pair in index[pair.key].map { pair.value.isEquivalent(to: $0) } ?? false }
      }
      for pair in a {
        guard let match = b.first(where: { $0.key == pair.key }),
          pair.value.isEquivalent(to: match.value)
        else { return false }
      }
      return true
    default: return false
    }
  }

  /// Mapping pairs with repeated keys collapsed to their last value, in first-seen order.
  public var effectivePairs: [YAMLPair] {
    guard case .mapping(let pairs) = self else { return [] }
    var seen: [String: Int] = [:]
    var out: [YAMLPair] = []
    for pair in pairs {
      if let i = seen[pair.key] { out[i].value = pair.value } else {
        seen[pair.key] = out.count
        out.append(pair)
      }
    }
    return out
  }

  /// Flow-style YAML text for messages (`{a: 1, b: [x, y]}`).
  public var description: String { ValueRenderer.flow(self) }
}

/// A scalar's text and whether it reads as a string. Nulls are equal however spelled
/// (`~`, `null`, nothing).
public struct YAMLScalar: Sendable, Hashable {
  public var text: String
  public var isString: Bool

  public init(_ text: String, isString: Bool) {
    self.text = text
    self.isString = isString
  }

  private var canonical: String { !isString && ScalarRules.isNull(text) ? "~" : text }

  public static func == (a: YAMLScalar, b: YAMLScalar) -> Bool {
    a.isString == b.isString && a.canonical == b.canonical
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(isString)
    hasher.combine(canonical)
  }
}

/// One key of a mapping and its value.
public struct YAMLPair: Sendable, Hashable {
  public var key: String
  public var value: YAMLValue

  public init(_ key: String, _ value: YAMLValue) {
    self.key = key
    self.value = value
  }
}

/// Why a node has no `YAMLValue`: a complex key or an alias to an unknown anchor.
public struct YAMLValueError: Error, Sendable, Hashable {
  public var message: String
  public var offset: Int
}

extension YAMLValue {
  /// The meaning of `node`; aliases resolve through `anchors` (filled as anchors are met).
  static func from(
    _ node: YAMLNode, anchors: inout [String: YAMLValue]
  ) throws(YAMLValueError) -> YAMLValue {
    let value: YAMLValue
    switch node.content {
    case .scalar(let text, let style):
      let isString: Bool
      switch node.tag {
      case "tag:yaml.org,2002:str"?, "!"?: isString = true
      case let tag? where tag.hasPrefix("tag:yaml.org,2002:"): isString = false
      default: isString = style.isQuotedOrBlock || ScalarRules.resolvesAsString(text)
      }
      value = .scalar(YAMLScalar(text, isString: isString))
    case .alias(let name):
      guard let target = anchors[name] else {
        throw YAMLValueError(message: "alias '*\(name)' names no anchor", offset: node.start.offset)
      }
      value = target
    case .sequence(let items, _):
      var out: [YAMLValue] = []
      for item in items { out.append(try from(item, anchors: &anchors)) }
      value = .sequence(out)
    case .mapping(let entries, _):
      var pairs: [YAMLPair] = []
      for entry in entries {
        let keyValue = try from(entry.key, anchors: &anchors)
        guard case .scalar(let scalar) = keyValue else {
          throw YAMLValueError(
            message: "complex mapping keys are not supported", offset: entry.key.start.offset)
        }
        let key = scalar.text
        pairs.append(YAMLPair(key, try from(entry.value, anchors: &anchors)))
      }
      value = .mapping(pairs)
    }
    if let anchor = node.anchor { anchors[anchor] = value }
    return value
  }

  /// The meaning of a node of a parsed file.
  public init(_ node: YAMLNode) throws(YAMLValueError) {
    var anchors: [String: YAMLValue] = [:]
    self = try YAMLValue.from(node, anchors: &anchors)
  }

  /// Parses one YAML value written in flow syntax or as a plain word (`[a, b]`, `{x: 1}`,
  /// `"quoted"`, `true`), as on a command line.
  public static func parse(_ text: String) throws(YAMLError) -> YAMLValue {
    let file = try YAMLFile(name: "<value>", text: text)
    guard file.documents.count <= 1 else {
      throw YAMLError(file: "<value>", line: 1, column: 1, message: "expected one value")
    }
    guard let root = file.root else { return .null }
    do {
      return try YAMLValue(root)
    } catch {
      throw file.error(at: error.offset, error.message)
    }
  }
}
