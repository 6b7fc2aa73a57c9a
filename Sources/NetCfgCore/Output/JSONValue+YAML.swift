import NetCfgYAML

extension YAMLValue {
  /// Mappings become objects, sequences arrays, null null, other scalars strings (booleans
  /// and numbers too: netplan gives them meaning per key, not YAML).
  public var json: JSONValue {
    switch self {
    case .scalar(let s): return isNull ? .null : .string(s.text)
    case .sequence(let items): return .array(items.map(\.json))
    case .mapping: return .object(effectivePairs.map { ($0.key, $0.value.json) })
    }
  }
}

extension SourceLocation {
  public var json: JSONValue { .string(description) }
}

extension Diagnostic {
  /// `{"severity", "code", "message", "file", "line", "column", "notes"}`.
  public var json: JSONValue {
    .object([
      ("severity", .string(severity.rawValue)), ("code", .string(code)), ("message", .string(message)),
      ("file", .optional(location?.file)), ("line", location.map { .int($0.line) } ?? .null),
      ("column", location.map { .int($0.column) } ?? .null), ("notes", .array(notes.map(JSONValue.string))),
    ])
  }
}
