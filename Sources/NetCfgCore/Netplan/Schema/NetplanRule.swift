import NetCfgYAML

/// What netplan accepts at one place of its configuration. The tables in
/// `NetplanSchema+*.swift` describe netplan's whole grammar with these; `SchemaContext`
/// walks a file against them and reports every problem at its position.
public indirect enum NetplanRule: Sendable {
  /// A scalar, checked by the rule.
  case scalar(ScalarRule)
  /// A mapping with fixed keys; any other key is an error ("unknown key").
  case mapping(MappingSchema)
  /// A mapping with free keys (device ids, SSIDs, ...): each key checked by `key` (when given),
  /// each value by `value`.
  case map(key: ScalarRule?, value: NetplanRule)
  /// A sequence whose items follow the rule.
  case sequence(NetplanRule)
  /// Anything else: a check of its own.
  case custom(CustomRule)
  /// Accepted as it is (passthrough settings).
  case any
}

/// A check of a scalar's text: nil when valid, else the error message.
public struct ScalarRule: Sendable {
  public let name: String
  public let check: @Sendable (String) -> String?

  public init(_ name: String, _ check: @escaping @Sendable (String) -> String?) {
    self.name = name
    self.check = check
  }
}

/// The keys a mapping accepts.
public struct MappingSchema: Sendable {
  public let name: String
  public var keys: [String: NetplanRule]

  public init(_ name: String, _ keys: [String: NetplanRule]) {
    self.name = name
    self.keys = keys
  }

  /// This schema with more keys (later ones win), for tables built from shared parts.
  public func adding(_ more: [String: NetplanRule], name: String? = nil) -> MappingSchema {
    MappingSchema(name ?? self.name, keys.merging(more) { _, new in new })
  }
}

/// A check that needs the node itself (and may report several problems).
public struct CustomRule: Sendable {
  public let name: String
  public let check: @Sendable (YAMLNode, inout SchemaContext) -> Void

  public init(_ name: String, _ check: @escaping @Sendable (YAMLNode, inout SchemaContext) -> Void) {
    self.name = name
    self.check = check
  }
}
