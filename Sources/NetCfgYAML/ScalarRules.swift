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
    !(nulls.contains(text) || bools.contains(text) || looksNumeric(text))
  }

  /// Ints (decimal, 0x, 0o, 0b, with `_`), floats, .inf/.nan, and YAML 1.1 sexagesimal numbers.
  static func looksNumeric(_ text: String) -> Bool {
    var s = Substring(text)
    if s.first == "+" || s.first == "-" { s = s.dropFirst() }
    guard let first = s.first else { return false }
    let lower = s.lowercased()
    if lower == ".inf" || lower == ".nan" { return true }
    if lower.hasPrefix("0x") { return lower.count > 2 && lower.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" } }
    if lower.hasPrefix("0o") || lower.hasPrefix("0b") {
      return lower.count > 2 && lower.dropFirst(2).allSatisfy { $0.isNumber || $0 == "_" }
    }
    guard first.isNumber || first == "." else { return false }
    // Sexagesimal (YAML 1.1): 190:20:30, 12:34:56.5
    if s.contains(":") {
      let parts = s.split(separator: ":", omittingEmptySubsequences: false)
      return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ".") } }
    }
    var digits = 0, dots = 0, exps = 0
    var previous: Character = " "
    for ch in lower {
      if ch.isASCII && ch.isNumber { digits += 1 }
      else if ch == "_" {}
      else if ch == "." { dots += 1 }
      else if ch == "e" { exps += 1 }
      else if (ch == "+" || ch == "-") && previous == "e" {}
      else { return false }
      previous = ch
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
    if text.contains(": ") || text.contains(" #") { return false }
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
