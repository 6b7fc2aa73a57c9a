/// A MAC address as netplan accepts it: 6 octets (Ethernet) or 20 (InfiniBand), written as
/// two hex digits each, separated by colons.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible {
  public let octets: [UInt8]

  public init?(_ text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 6 || parts.count == 20 else { return nil }
    var out: [UInt8] = []
    for part in parts {
      guard part.count == 2, part.allSatisfy(\.isHexDigit), let n = UInt8(part, radix: 16) else { return nil }
      out.append(n)
    }
    octets = out
  }

  public var description: String {
    octets.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
  }
}

/// Kernel interface names: at most 15 bytes, no `/`, no whitespace, not `.` or `..`.
public enum InterfaceName {
  public static let maxLength = 15

  /// Why `name` cannot be a kernel interface name, or nil when it can.
  public static func problem(_ name: String) -> String? {
    if name.isEmpty { return "an interface name cannot be empty" }
    if name.utf8.count > maxLength {
      return "interface name '\(name)' is longer than \(maxLength) bytes"
    }
    if name == "." || name == ".." { return "'\(name)' is not a valid interface name" }
    if name.contains("/") { return "interface name '\(name)' contains '/'" }
    if name.contains(where: { $0.isWhitespace }) {
      return "interface name '\(name)' contains whitespace"
    }
    return nil
  }
}

/// Booleans as netplan spells them: true/false, yes/no, on/off, y/n in any case.
public enum NetplanBool {
  public static func parse(_ text: String) -> Bool? {
    // The spellings files use, without lowercasing (which goes through Unicode's tables).
    switch text {
    case "true", "false": return text == "true"
    default: break
    }
    switch text.lowercased() {
    case "true", "on", "yes", "y": return true
    case "false", "off", "no", "n": return false
    default: return nil
    }
  }

  /// `false` spelled the way `text` spells true or false (`yes` → `no`, `On` → `Off`,
  /// `TRUE` → `FALSE`), nil when `text` is no boolean.
  public static func falseSpelled(like text: String) -> String? {
    let word: String
    switch text.lowercased() {
    case "true", "false": word = "false"
    case "yes", "no": word = "no"
    case "on", "off": word = "off"
    case "y", "n": word = "n"
    default: return nil
    }
    if text.count > 1, text == text.uppercased() { return word.uppercased() }
    if text.first?.isUppercase == true { return word.prefix(1).uppercased() + word.dropFirst() }
    return word
  }
}
