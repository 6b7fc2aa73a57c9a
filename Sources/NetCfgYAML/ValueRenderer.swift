/// Writes `YAMLValue`s as YAML text in the layout of the file they go into.
enum ValueRenderer {
  /// A scalar, in `preferred` style when the value allows it.
  static func scalar(_ s: YAMLScalar, preferred: ScalarStyle = .plain, inFlow: Bool = false) -> String {
    guard s.isString else { return s.text }  // null, bool, number: plain is what gives that type
    switch preferred {
    case .singleQuoted where ScalarRules.isSingleQuoteSafe(s.text):
      return ScalarRules.singleQuoted(s.text)
    case .doubleQuoted, .singleQuoted:
      return ScalarRules.doubleQuoted(s.text)
    default:
      if ScalarRules.resolvesAsString(s.text), ScalarRules.isPlainSafe(s.text, inFlow: inFlow) {
        return s.text
      }
      return ScalarRules.doubleQuoted(s.text)
    }
  }

  static func key(_ key: String, inFlow: Bool = false) -> String {
    scalar(YAMLScalar(key, isString: true), inFlow: inFlow)
  }

  /// One-line flow text: `{a: 1, b: [x, y]}`.
  /// An empty null is written as nothing at the top (`key:`) and as `null` inside brackets.
  static func flow(_ value: YAMLValue, nested: Bool = false) -> String {
    switch value {
    case .scalar(let s):
      return nested && !s.isString && s.text.isEmpty ? "null" : scalar(s, inFlow: true)
    case .sequence(let items):
      return "[" + items.map { flow($0, nested: true) }.joined(separator: ", ") + "]"
    case .mapping(let pairs):
      return "{" + pairs.map { key($0.key, inFlow: true) + ": " + flow($0.value, nested: true) }
        .joined(separator: ", ") + "}"
    }
  }

  /// True when the value needs lines of its own in block context (a non-empty collection).
  static func needsBlock(_ value: YAMLValue) -> Bool {
    switch value {
    case .scalar: return false
    case .sequence(let items): return !items.isEmpty
    case .mapping(let pairs): return !pairs.isEmpty
    }
  }

  /// Lines (without breaks) for `key: value` with the key at `column`.
  static func entryLines(key: String, value: YAMLValue, column: Int, layout: YAMLLayout) -> [String] {
    let head = String(repeating: " ", count: column) + self.key(key)
    guard needsBlock(value) else {
      let text = flow(value)
      return [text.isEmpty ? head + ":" : head + ": " + text]
    }
    return [head + ":"] + bodyLines(value, keyColumn: column, layout: layout)
  }

  /// The lines under a key at `keyColumn` holding a non-empty collection.
  static func bodyLines(_ value: YAMLValue, keyColumn: Int, layout: YAMLLayout) -> [String] {
    switch value {
    case .mapping(let pairs):
      return pairs.flatMap {
        entryLines(key: $0.key, value: $0.value, column: keyColumn + layout.indentStep, layout: layout)
      }
    case .sequence(let items):
      let dash = keyColumn + layout.sequenceIndent
      return items.flatMap { itemLines($0, dashColumn: dash, gap: layout.gap(for: $0), layout: layout) }
    case .scalar:
      return []
    }
  }

  /// Lines for one block sequence item with its `-` at `dashColumn`.
  static func itemLines(_ value: YAMLValue, dashColumn: Int, gap: Int, layout: YAMLLayout) -> [String] {
    let content = itemContent(value, column: dashColumn + 1 + gap, layout: layout)
    let dash = String(repeating: " ", count: dashColumn) + "-" + String(repeating: " ", count: gap)
    let first = content[0].isEmpty ? String(dash.prefix(dashColumn + 1)) : dash + content[0]
    return [first] + content.dropFirst()
  }

  /// A value that starts mid-line at `column` (after `- `, or as a document root): the first
  /// line without indentation, the others indented to line up with it.
  static func itemContent(_ value: YAMLValue, column: Int, layout: YAMLLayout) -> [String] {
    guard case .mapping(let pairs) = value, !pairs.isEmpty else { return [flow(value)] }
    var lines = pairs.flatMap {
      entryLines(key: $0.key, value: $0.value, column: column, layout: layout)
    }
    lines[0] = String(lines[0].dropFirst(column))
    return lines
  }
}

extension YAMLValue {
  /// Block-style YAML text without a final newline, as `netcfg get` prints values: a scalar
  /// alone (`null` for null), collections as indented lines.
  public func blockText(layout: YAMLLayout = YAMLLayout(indentStep: 2, sequenceIndent: 0)) -> String {
    switch self {
    case .scalar:
      return isNull ? "null" : ValueRenderer.flow(self)
    case .mapping(let pairs) where !pairs.isEmpty:
      return ValueRenderer.itemContent(self, column: 0, layout: layout).joined(separator: "\n")
    case .sequence(let items) where !items.isEmpty:
      return items.flatMap {
        ValueRenderer.itemLines($0, dashColumn: 0, gap: layout.gap(for: $0), layout: layout)
      }.joined(separator: "\n")
    default:
      return ValueRenderer.flow(self)
    }
  }
}
