import NetCfgYAML

/// netplan's YAML grammar (netplan 1.x, `src/parse.c`) as `NetplanRule` tables, with the
/// per-key value checks and netplan's own error messages, each reported at the node netplan
/// reports it at. Only checks local to one file are here; checks across devices and files
/// (references, backend support, `validation.c`) belong to the validator.
public enum NetplanSchema {}

// MARK: - C number parsing, as netplan does it

/// What C's number parsers (`strtoull`, `strtol`) read from a string, in the C locale.
struct CNumber {
  /// The magnitude read, saturated at UInt64.max on overflow.
  var magnitude: UInt64
  var negative: Bool
  var overflow: Bool
  /// True when digits were found.
  var parsedDigits: Bool
  /// True when nothing follows the number (C: `*endptr == '\0'`). With no digits at all,
  /// C sets endptr to the start of the string, so this is true only for an empty string.
  var consumedAll: Bool

  /// A string or a part of one: a native string's bytes read in place (no array made for
  /// each number).
  init<Text: StringProtocol>(_ text: Text) {
    self = text.utf8.withContiguousStorageIfAvailable { CNumber(bytes: $0) } ?? CNumber(bytes: Array(text.utf8))
  }

  private init<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) where Bytes.Index == Int {
    var i = bytes.startIndex
    let end = bytes.endIndex
    // C's isspace in the C locale.
    while i < end, bytes[i] == 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0D) { i += 1 }
    negative = false
    if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var value: UInt64 = 0
    var overflowed = false
    let digitsStart = i
    while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (plus, o2) = times.addingReportingOverflow(UInt64(bytes[i] - 0x30))
      if o1 || o2 { overflowed = true }
      value = overflowed ? .max : plus
      i += 1
    }
    parsedDigits = i > digitsStart
    magnitude = value
    overflow = overflowed
    consumedAll = parsedDigits ? i == end : bytes.isEmpty
  }

  /// `g_ascii_strtoull`: the unsigned value (a minus sign negates modulo 2^64).
  var unsignedValue: UInt64 {
    if overflow { return .max }
    return negative ? 0 &- magnitude : magnitude
  }

  /// `strtol` (64-bit long), clamped on overflow.
  var longValue: Int64 {
    if negative {
      return overflow || magnitude > UInt64(Int64.max) + 1 ? .min : 0 &- Int64(truncatingIfNeeded: magnitude)
    }
    return overflow || magnitude > UInt64(Int64.max) ? .max : Int64(magnitude)
  }

  /// `atoi`: `(int) strtol(...)`.
  var intValue: Int32 { Int32(truncatingIfNeeded: longValue) }
}

// MARK: - Scalar value checks

extension NetplanSchema {
  /// Any scalar.
  static let string = ScalarRule("string") { _ in nil }

  /// true/false, yes/no, on/off, y/n in any case (`handle_generic_bool`); tristates alike.
  static let bool = ScalarRule("bool") { text in
    NetplanBool.parse(asciiOnly(text)) == nil ? "invalid boolean value '\(text)'" : nil
  }
  static let tristate = ScalarRule("tristate", bool.check)

  /// An unsigned 32-bit integer as `g_ascii_strtoull` reads it (`handle_generic_guint`):
  /// leading blanks and a sign are accepted, an empty value reads as 0.
  static let guint = ScalarRule("guint") { text in
    isGuint(text) ? nil : "invalid unsigned int value '\(text)'"
  }

  static func isGuint(_ text: String) -> Bool {
    let n = CNumber(text)
    return n.consumedAll && n.unsignedValue <= UInt64(UInt32.max)
  }

  /// The value of a valid `guint` text.
  static func guintValue(_ text: String) -> UInt64 { CNumber(text).unsignedValue }

  /// One of fixed words (`strcmp`, or `g_ascii_strcasecmp` when `caseInsensitive`).
  static func oneOf(
    _ name: String, _ words: [String], caseInsensitive: Bool = false, message: @escaping @Sendable (String) -> String
  ) -> ScalarRule {
    ScalarRule(name) { text in
      matches(text, words, caseInsensitive: caseInsensitive) ? nil : message(text)
    }
  }

  static func matches(_ text: String, _ words: [String], caseInsensitive: Bool) -> Bool {
    if caseInsensitive {
      let folded = asciiLowercased(text)
      return words.contains { asciiLowercased($0) == folded }
    }
    return words.contains(text)
  }

  /// A MAC address (6 or 20 octets), as in `match: macaddress` and `bssid`.
  static let macAddress = ScalarRule("mac-address") { text in
    MACAddress(text) == nil
      ? "Invalid MAC address '\(text)', must be XX:XX:XX:XX:XX:XX or XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX"
      : nil
  }

  /// `gateway4`.
  static let gateway4 = ScalarRule("gateway4") { text in
    IPv4Address(text) == nil ? "invalid IPv4 address '\(text)'" : nil
  }

  /// `gateway6`.
  static let gateway6 = ScalarRule("gateway6") { text in
    IPv6Address(text) == nil ? "invalid IPv6 address '\(text)'" : nil
  }

  /// An IPv4 or IPv6 address without prefix (nameservers, tunnel ends, arp targets).
  static func isIP(_ text: String) -> Bool { IPAddress(text) != nil }

  /// netplan's ids and `match: name` globs: one or more printable ASCII characters, no blanks
  /// (`^[[:alnum:][:punct:]]+$` in the C locale).
  static func isValidID(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
  }

  /// `is_hostname`: dot-separated labels of letters, digits and inner hyphens.
  static func isHostname(_ text: String) -> Bool {
    guard !text.isEmpty else { return false }
    for label in text.split(separator: ".", omittingEmptySubsequences: false) {
      let bytes = Array(label.utf8)
      guard let first = bytes.first, let last = bytes.last else { return false }
      func alnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
      }
      guard alnum(first), alnum(last), bytes.allSatisfy({ alnum($0) || $0 == UInt8(ascii: "-") }) else {
        return false
      }
    }
    return true
  }

  /// Byte-wise equality (`strcmp`), where Swift's `==` would also equate canonically
  /// equivalent Unicode texts.
  static func same(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.utf8.elementsEqual(b.utf8)
  }

  /// Lower-cases ASCII letters only (`g_ascii_strcasecmp` semantics).
  static func asciiLowercased(_ text: String) -> String {
    String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
  }

  /// The text when it is ASCII, else a string that matches no keyword.
  static func asciiOnly(_ text: String) -> String { text.utf8.allSatisfy { $0 < 0x80 } ? text : "\u{1}" }
}

// MARK: - Rule builders

extension NetplanSchema {
  static func scalar(_ rule: ScalarRule) -> NetplanRule { .scalar(rule) }

  /// A scalar whose check needs the context (the device id or type); the message is reported
  /// at the scalar.
  static func contextScalar(
    _ name: String, _ check: @escaping @Sendable (String, inout SchemaContext) -> String?
  ) -> NetplanRule {
    .custom(
      CustomRule(name) { node, context in
        guard let text = context.expectScalar(node) else { return }
        if let message = check(text, &context) { context.error(message, at: node) }
      })
  }

  /// A sequence of scalars. Like netplan, a bad item is reported at the sequence node (an item
  /// that is no scalar at the item), and only the first problem of the list is reported.
  /// `whole` then checks the complete list (reported at the sequence).
  static func scalarList(
    _ name: String,
    item: @escaping @Sendable (String, YAMLNode, inout SchemaContext) -> String? = { _, _, _ in nil },
    whole: (@Sendable ([String], inout SchemaContext) -> String?)? = nil
  ) -> NetplanRule {
    .custom(
      CustomRule(name) { node, context in
        guard let items = context.expectSequence(node) else { return }
        var texts: [String] = []
        for itemNode in items {
          guard let text = context.expectScalar(itemNode) else { return }
          if let message = item(text, itemNode, &context) { return context.error(message, at: node) }
          if whole != nil { texts.append(text) }
        }
        if let whole, let message = whole(texts, &context) { context.error(message, at: node) }
      })
  }

  /// A mapping of free scalar keys to scalar values (`handle_generic_map`): the same key twice
  /// with different values is an error at the mapping.
  static let scalarMap = NetplanRule.custom(
    CustomRule("scalar-map") { node, context in
      var seen: [[UInt8]: String] = [:]
      var reported = false
      context.forEachEntry(node) { key, value, context in
        guard let text = context.expectScalar(value) else { return }
        if let old = seen[Array(key.text.utf8)], !same(old, text), !reported {
          reported = true
          context.error("duplicate map entry '\(key.text)'", at: node)
        }
        seen[Array(key.text.utf8)] = text
      }
    })
}

extension SchemaContext {
  /// The items of a sequence, or nil after reporting "expected sequence".
  mutating func expectSequence(_ node: YAMLNode) -> YAMLItems? {
    guard let node = resolve(node) else { return nil }
    guard case .sequence(let items, _) = node.content else {
      error("expected sequence", at: node, code: "expected-sequence")
      return nil
    }
    return items
  }

  /// The entries of a mapping, or nil after reporting "expected mapping".
  mutating func expectMapping(_ node: YAMLNode) -> YAMLEntries? {
    guard let node = resolve(node) else { return nil }
    guard case .mapping(let entries, _) = node.content else {
      error("expected mapping (check indentation)", at: node, code: "expected-mapping")
      return nil
    }
    return entries
  }

  /// The device id, for the messages netplan starts with "ID: " (empty outside a device).
  var devicePrefix: String { deviceID ?? "" }
}

extension SchemaContext {
  /// Walks a mapping as `validate(node, .mapping(schema))` does, then calls `visit` with each
  /// known key and its (alias-resolved) value, for checks that span several keys.
  mutating func walk(
    _ node: YAMLNode, _ schema: MappingSchema, visit: (String, YAMLNode, inout SchemaContext) -> Void
  ) {
    forEachKnownEntry(node, schema) { key, value, rule, context in
      guard let resolved = context.resolve(value) else { return }
      context.validate(resolved, rule)
      visit(key.scalarText ?? "", resolved, &context)
    }
  }

}
