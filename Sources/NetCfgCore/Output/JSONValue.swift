/// JSON for `--json` output: objects keep their key order, so the documented shapes print
/// the same way every time.
public indirect enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral
{
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  case int(Int)
  /// A number with a fraction or an exponent (only parsed input has one).
  case double(Double)
  case bool(Bool)
  case null

  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
  public func hash(into hasher: inout Hasher) { hasher.combine(serialized()) }

  /// A string, or null for nil.
  public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

  /// Text with two-space indentation (`pretty`) or on one line.
  public func serialized(pretty: Bool = true) -> String {
    var out = ""
    write(to: &out, indent: pretty ? 0 : nil)
    return out
  }

  private func write(to out: inout String, indent: Int?) {
    let newline = indent == nil ? "" : "\n"
    let pad = { (n: Int) in String(repeating: " ", count: n) }
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let n): out += String(n)
    case .double(let d): out += d.isFinite ? String(d) : "null"
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "[" + newline
      for (i, item) in items.enumerated() {
        if let indent { out += pad(indent + 2) }
        item.write(to: &out, indent: indent.map { $0 + 2 })
        out += (i + 1 < items.count ? "," : "") + newline
      }
      if let indent { out += pad(indent) }
      out += "]"
    case .object(let pairs):
      if pairs.isEmpty { out += "{}"; return }
      out += "{" + newline
      for (i, (key, value)) in pairs.enumerated() {
        if let indent { out += pad(indent + 2) }
        JSONValue.quote(key, into: &out)
        out += indent == nil ? ":" : ": "
        value.write(to: &out, indent: indent.map { $0 + 2 })
        out += (i + 1 < pairs.count ? "," : "") + newline
      }
      if let indent { out += pad(indent) }
      out += "}"
    }
  }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        // Controls as escapes (DEL and C1 too: some terminals act on them when shown raw), and
        // the bytes of a file name that is not UTF-8 as U+F780–U+F7FF (see FileSystem.decode).
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0xF780...0xF7FF).contains(scalar.value) {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

