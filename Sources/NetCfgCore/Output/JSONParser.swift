/// A JSON text that is not valid (RFC 8259), with the byte offset where reading stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var message: String
  public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSONValue {
  /// Parses one JSON text (RFC 8259: one value, whitespace around it, nothing else). Integers
  /// that fit in an Int are `.int`, other numbers `.double`; object keys keep their order.
  public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var reader = JSONReader(bytes: bytes)
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.at == bytes.count else { throw reader.error("text after the value") }
    return value
  }

  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Array(text.utf8)) }

  /// The member `key` of an object (nil for anything else or when absent).
  public subscript(key: String) -> JSONValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  public var intValue: Int? { if case .int(let n) = self { return n } else { return nil } }
  public var arrayValue: [JSONValue]? { if case .array(let items) = self { return items } else { return nil } }
  public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}

private struct JSONReader {
  let bytes: [UInt8]
  var at = 0
  /// Deeper than this is refused rather than risking the stack.
  static let maximumDepth = 512

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ message: String) -> JSONParseError { JSONParseError(offset: at, message: message) }

  mutating func skipSpace() {
    while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
  }

  mutating func expect(_ word: String) throws(JSONParseError) {
    for b in word.utf8 {
      guard at < bytes.count, bytes[at] == b else { throw error("expected \(word)") }
      at += 1
    }
  }

  mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth < JSONReader.maximumDepth else { throw error("nested deeper than \(JSONReader.maximumDepth) levels") }
    guard at < bytes.count else { throw error("unexpected end of the text") }
    switch bytes[at] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try expect("true"); return .bool(true)
    case UInt8(ascii: "f"): try expect("false"); return .bool(false)
    case UInt8(ascii: "n"): try expect("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error("unexpected character")
    }
  }

  mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
    at += 1
    var pairs: [(String, JSONValue)] = []
    skipSpace()
    if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(pairs) }
    while true {
      skipSpace()
      guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
      let key = try string()
      skipSpace()
      try expect(":")
      skipSpace()
      pairs.append((key, try value(depth: depth + 1)))
      skipSpace()
      guard at < bytes.count else { throw error("unterminated object") }
      if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
      if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(pairs) }
      throw error("expected , or } in an object")
    }
  }

  mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
    at += 1
    var items: [JSONValue] = []
    skipSpace()
    if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
    while true {
      skipSpace()
      items.append(try value(depth: depth + 1))
      skipSpace()
      guard at < bytes.count else { throw error("unterminated array") }
      if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
      if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
      throw error("expected , or ] in an array")
    }
  }

  mutating func string() throws(JSONParseError) -> String {
    at += 1
    var out: [UInt8] = []
    while true {
      guard at < bytes.count else { throw error("unterminated string") }
      let b = bytes[at]
      at += 1
      switch b {
      case UInt8(ascii: "\""):
        guard let text = String(validating: out, as: UTF8.self) else { throw error("a string that is not UTF-8") }
        return text
      case UInt8(ascii: "\\"):
        guard at < bytes.count else { throw error("unterminated escape") }
        let e = bytes[at]
        at += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by an escaped low one.
            try expect("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone surrogate") }
          out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw error("unknown escape")
        }
      case 0..<0x20: throw JSONParseError(offset: at - 1, message: "a control character in a string")
      default: out.append(b)
      }
    }
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    var n: UInt32 = 0
    for _ in 0..<4 {
      guard at < bytes.count, let digit = JSONReader.hexDigit(bytes[at]) else { throw error("expected four hex digits") }
      n = n * 16 + digit
      at += 1
    }
    return n
  }

  static func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  mutating func number() throws(JSONParseError) -> JSONValue {
    let start = at
    func digits(_ reader: inout JSONReader) -> Int {
      let from = reader.at
      while reader.at < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.at]) {
        reader.at += 1
      }
      return reader.at - from
    }
    if bytes[at] == UInt8(ascii: "-") { at += 1 }
    let intStart = at
    let intDigits = digits(&self)
    guard intDigits > 0 else { throw error("a number without digits") }
    if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { throw JSONParseError(offset: intStart, message: "a number with a leading zero") }
    var integral = true
    if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
      at += 1
      integral = false
      guard digits(&self) > 0 else { throw error("no digits after the decimal point") }
    }
    if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
      at += 1
      integral = false
      if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
      guard digits(&self) > 0 else { throw error("no digits in the exponent") }
    }
    let text = String(decoding: bytes[start..<at], as: UTF8.self)
    if integral, let n = Int(text) { return .int(n) }
    guard let d = Double(text), d.isFinite else { throw JSONParseError(offset: start, message: "a number out of range") }
    return .double(d)
  }
}
