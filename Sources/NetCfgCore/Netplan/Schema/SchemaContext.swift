import NetCfgYAML

/// Walks one netplan file against the schema and collects located diagnostics.
public struct SchemaContext {
  public let file: YAMLFile
  public private(set) var diagnostics: [Diagnostic] = []
  /// How many of `diagnostics` are errors.
  public private(set) var errorCount = 0
  /// The device whose definition is being checked (for messages such as "eth0: ...").
  public var deviceID: String?
  /// Its type key (`ethernets`, `bonds`, ...).
  public var deviceType: String?
  /// Anchored nodes met so far, so that aliases are checked as what they stand for.
  private var anchors: [String: YAMLNode] = [:]

  public init(file: YAMLFile) {
    self.file = file
    // Anchors anywhere in the file count, also inside parts the walk skips.
    if file.mayHaveAnchors, let root = file.root { SchemaContext.collectAnchors(root, into: &anchors) }
  }

  private static func collectAnchors(_ node: YAMLNode, into anchors: inout [String: YAMLNode]) {
    if let anchor = node.anchor, anchors[anchor] == nil { anchors[anchor] = node }
    for entry in node.entries {
      collectAnchors(entry.key, into: &anchors)
      collectAnchors(entry.value, into: &anchors)
    }
    for item in node.items { collectAnchors(item, into: &anchors) }
  }

  /// Where `node` starts, as `file:line:col`.
  public func location(of node: YAMLNode) -> SourceLocation {
    SourceLocation(file: file.name, line: node.start.line, column: node.start.column)
  }

  public mutating func error(_ message: String, at node: YAMLNode, code: String = "invalid-value", notes: [String] = []) {
    report(.error, message, at: node, code: code, notes: notes)
  }

  public mutating func warning(_ message: String, at node: YAMLNode, code: String, notes: [String] = []) {
    report(.warning, message, at: node, code: code, notes: notes)
  }

  private mutating func report(
    _ severity: Diagnostic.Severity, _ message: String, at node: YAMLNode, code: String, notes: [String]
  ) {
    if severity == .error { errorCount += 1 }
    diagnostics.append(
      Diagnostic(
        severity, message, code: code, at: location(of: node),
        sourceLine: file.source.lineText(node.start.line - 1), notes: notes))
  }

  /// The node an alias stands for (the node itself when it is no alias), or nil after
  /// reporting an alias to no anchor.
  public mutating func resolve(_ node: YAMLNode) -> YAMLNode? {
    guard node.isAlias, case .alias(let name) = node.content else { return node }
    guard let target = anchors[name] else {
      error("aliases are not supported: no anchor '&\(name)' before this point", at: node, code: "yaml-alias")
      return nil
    }
    return target
  }

  /// Checks `node` against `rule`, reporting every problem found.
  public mutating func validate(_ node: YAMLNode, _ rule: NetplanRule) {
    // An alias is checked as the node it stands for (never an alias itself); any other node
    // is read as it is, without a copy of its handle (this runs for every node of a file).
    if node.isAlias {
      guard let target = resolve(node) else { return }
      return validate(target, rule)
    }
    switch rule {
    case .any:
      return
    case .custom(let custom):
      custom.check(node, &self)
    case .scalar(let scalarRule):
      guard let text = expectScalar(node) else { return }
      if let message = scalarRule.check(text) { error(message, at: node) }
    case .sequence(let itemRule):
      guard case .sequence(let items, _) = node.content else {
        return error("expected sequence", at: node, code: "expected-sequence")
      }
      for item in items { validate(item, itemRule) }
    case .mapping(let schema):
      validateEntries(node, schema)
    case .map(let keyRule, let valueRule):
      forEachEntry(node) { key, value, context in
        if let keyRule, let message = keyRule.check(key.text) {
          context.error(message, at: key.node)
        }
        context.validate(value, valueRule)
      }
    }
  }

  /// The scalar's text, or nil after reporting "expected scalar".
  public mutating func expectScalar(_ node: YAMLNode) -> String? {
    if node.isAlias {
      guard let target = resolve(node) else { return nil }
      return expectScalar(target)
    }
    guard let text = node.scalarText else {
      error("expected scalar", at: node, code: "expected-scalar")
      return nil
    }
    return text
  }

  /// Calls `body` with each entry of a mapping whose key `schema` knows (the key as read: an
  /// alias resolved) and the key's rule; reports "unknown key" for the others, and what
  /// `forEachEntry` reports. Keys written as they are in the source are looked up by their
  /// bytes, without making a string.
  mutating func forEachKnownEntry(
    _ node: YAMLNode, _ schema: MappingSchema, _ body: (YAMLNode, YAMLNode, NetplanRule, inout SchemaContext) -> Void
  ) {
    if node.isAlias {
      guard let target = resolve(node) else { return }
      return forEachKnownEntry(target, schema, body)
    }
    guard node.isMapping else {
      return error("expected mapping (check indentation)", at: node, code: "expected-mapping")
    }
    node.forEachEntryKey { bytes, entry in
      if let bytes, let rule = schema.table.value(for: bytes) {
        return body(node.entryKey(entry), node.entryValue(entry), rule, &self)
      }
      guard let (key, rule) = knownKey(node, entry, bytes, schema) else { return }
      body(key, node.entryValue(entry), rule, &self)
    }
  }

  /// `validate(node, .mapping(schema))`: `forEachKnownEntry` without a handle made for the
  /// keys found by their bytes (the way of nearly every key of every file).
  private mutating func validateEntries(_ node: YAMLNode, _ schema: MappingSchema) {
    guard node.isMapping else {
      return error("expected mapping (check indentation)", at: node, code: "expected-mapping")
    }
    node.forEachEntryKey { bytes, entry in
      if let bytes, let rule = schema.table.value(for: bytes) { return validate(node.entryValue(entry), rule) }
      guard let (_, rule) = knownKey(node, entry, bytes, schema) else { return }
      validate(node.entryValue(entry), rule)
    }
  }

  /// The key of `node`'s entry at `entry` as read (an alias: the node it stands for) and its
  /// rule in `schema`, or nil after reporting a key that is no scalar or that `schema` does
  /// not know. `bytes`: the key's bytes when it is written as it is (then already looked up).
  private mutating func knownKey(
    _ node: YAMLNode, _ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>?, _ schema: MappingSchema
  ) -> (YAMLNode, NetplanRule)? {
    let key = node.entryKey(entry)
    var keyNode = key
    let found: NetplanRule?
    if bytes != nil {
      found = nil  // looked up by its bytes: unknown
    } else {
      guard let resolved = resolve(key), let text = resolved.scalarText else {
        error("expected scalar", at: key, code: "expected-scalar")
        return nil
      }
      keyNode = resolved
      found = schema.keys[text]
    }
    guard let rule = found else {
      error("unknown key '\(keyNode.scalarText ?? "")'", at: key, code: "unknown-key")
      return nil
    }
    return (keyNode, rule)
  }

  /// Calls `body` with each entry of a mapping (keys must be scalars), or reports
  /// "expected mapping".
  public mutating func forEachEntry(
    _ node: YAMLNode, _ body: ((text: String, node: YAMLNode), YAMLNode, inout SchemaContext) -> Void
  ) {
    guard let node = resolve(node) else { return }
    guard case .mapping(let entries, _) = node.content else {
      return error("expected mapping (check indentation)", at: node, code: "expected-mapping")
    }
    for entry in entries {
      guard let keyNode = resolve(entry.key), let key = keyNode.scalarText else {
        error("expected scalar", at: entry.key, code: "expected-scalar")
        continue
      }
      body((key, entry.key), entry.value, &self)
    }
  }
}
