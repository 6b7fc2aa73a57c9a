/// How YAML reads scalar text, and when text can be written without quotes. The rules are
/// deliberately conservative (YAML 1.1 and 1.2 together): a value that might read as a null,
/// bool or number in either is quoted when it must stay a string.
public enum ScalarRules {
  static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
  static let bools: Set<String> = [
    "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
    "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
  ]

  public static func isNull(_ text: String) -> Bool { nulls.contains(text) }

  /// True when plain `text` reads as a string (not a null, bool, int or float).
  public static func resolvesAsString(_ text: String) -> Bool {
    // Fast path for the common case (names, addresses): a first byte no null, bool or number
    // can start with.
    let utf8 = text.utf8
    if let first = utf8.first {
      switch first {
      case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
        UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "o"),
        UInt8(ascii: "O"), 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
        break
      default:
        return true
      }
    }
    // Every null and bool spelling has at most 5 bytes.
    if utf8.count <= 5, nulls.contains(text) || bools.contains(text) { return false }
    return !looksNumeric(text)
  }

  /// Ints (decimal, 0x, 0o, 0b, with `_`), floats, .inf/.nan, and YAML 1.1 sexagesimal numbers.
  static func looksNumeric(_ text: String) -> Bool {
    // Quick refusal without allocating: a byte no number has (a '/' of an address prefix),
    // or several dots without a colon (an IPv4 address).
    var dots = 0, colons = 0
    for b in text.utf8 {
      switch b {
      case 0x30...0x39, 0x5F, 0x2B, 0x2D: continue
      case 0x2E: dots += 1
      case 0x3A: colons += 1
      case 0x61...0x66, 0x41...0x46, 0x69, 0x49, 0x6E, 0x4E, 0x6F, 0x4F, 0x78, 0x58: continue
      default: return false
      }
    }
    if dots > 1 && colons == 0 { return false }
    var s = Array(text.utf8)[...]
    if s.first == UInt8(ascii: "+") || s.first == UInt8(ascii: "-") { s = s.dropFirst() }
    guard let first = s.first else { return false }
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
    let lowered = s.map(lower)
    if lowered.elementsEqual(".inf".utf8) || lowered.elementsEqual(".nan".utf8) { return true }
    if lowered.count > 2, lowered[0] == 0x30 {
      let body = lowered.dropFirst(2)
      switch lowered[1] {
      case UInt8(ascii: "x"): return body.allSatisfy { isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) || $0 == 0x5F }
      case UInt8(ascii: "o"), UInt8(ascii: "b"): return body.allSatisfy { isDigit($0) || $0 == 0x5F }
      default: break
      }
    }
    guard isDigit(first) || first == UInt8(ascii: ".") else { return false }
    // Sexagesimal (YAML 1.1): 190:20:30, 12:34:56.5
    if s.contains(UInt8(ascii: ":")) {
      return s.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).allSatisfy { part in
        !part.isEmpty && part.allSatisfy { isDigit($0) || $0 == 0x5F || $0 == 0x2E }
      }
    }
    var digits = 0, exps = 0
    dots = 0
    var previous: UInt8 = 0x20
    for b in lowered {
      if isDigit(b) { digits += 1 }
      else if b == 0x5F {}
      else if b == 0x2E { dots += 1 }
      else if b == UInt8(ascii: "e") { exps += 1 }
      else if (b == 0x2B || b == 0x2D) && previous == UInt8(ascii: "e") {}
      else { return false }
      previous = b
    }
    return digits > 0 && dots <= 1 && exps <= 1
  }

  /// True when `text` can be written as a plain scalar and read back as the same text.
  /// `inFlow`: inside `[...]` or `{...}`, where `,[]{}` end a plain scalar.
  public static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
    guard let first = text.first, let last = text.last else { return false }
    if first == " " || last == " " || last == ":" { return false }
    if "#&*!|>'\"%@`,[]{}".contains(first) { return false }
    if "-?:".contains(first) {
      let second = text.dropFirst().first
      if second == nil || second == " " { return false }
      if inFlow && first != "-" { return false }
    }
    if text.hasPrefix("---") || text.hasPrefix("...") { return false }
    // `: ` starts a value and ` #` a comment: one pass over the bytes (String.contains(String)
    // would load _StringProcessing's machinery on first use, a measurable part of a 1-device edit).
    var previous: UInt8 = 0
    for byte in text.utf8 {
      if (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " ")) || (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#")) {
        return false
      }
      previous = byte
    }
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if v < 0x20 || v == 0x7F || v == 0x85 || v == 0x2028 || v == 0x2029 || v == 0xFEFF {
        return false
      }
      if inFlow && ",[]{}".unicodeScalars.contains(scalar) { return false }
    }
    return true
  }

  /// True when `text` can be written single-quoted on one line.
  public static func isSingleQuoteSafe(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0.value != 0x85
      && $0.value != 0x2028 && $0.value != 0x2029 && $0.value != 0xFEFF }
  }

  public static func singleQuoted(_ text: String) -> String {
    "'" + text.replacingAll("'", with: "''") + "'"
  }

  public static func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85
          || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
        {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
    return out
  }
}
