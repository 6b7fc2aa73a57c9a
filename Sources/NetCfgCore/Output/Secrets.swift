/// Secret values (wifi and 802.1X passwords, WireGuard keys) masked in what netcfg prints:
/// diffs, diagnostics' source lines. The files themselves are written as they are.
public enum Secrets {
  /// netplan keys whose values are secrets.
  static let keys = ["password", "psk", "private", "shared", "private-key", "private-key-password", "client-key-password"]

  /// `text` with the value after each secret key (`password: x`, `{password: "x", ...}`)
  /// replaced by `***`.
  public static func mask(_ text: String) -> String {
    guard mentionsKey(text) else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { maskLine(String($0)) }.joined(separator: "\n")
  }

  /// The keys' UTF-8 bytes, for `mentionsKey`.
  private static let keyBytes = keys.map { Array($0.utf8) }

  /// True when `text` has a secret key right before a `:` (`password:`, and quoted or with
  /// blanks: `"psk":`, `'password' :`). Most texts have none: they are returned as they are,
  /// without splitting them into lines.
  static func mentionsKey(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { bytes in
      for i in bytes.indices where bytes[i] == UInt8(ascii: ":") {
        var end = i
        while end > 0, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        if end > 0, bytes[end - 1] == UInt8(ascii: "\"") || bytes[end - 1] == UInt8(ascii: "'") { end -= 1 }
        for key in keyBytes where end >= key.count && bytes[(end - key.count)..<end].elementsEqual(key) { return true }
      }
      return false
    } ?? keys.contains { text.contains($0) && text.contains(":") }
  }

  /// The command line as netcfg stores it in its journal and history (`netcfg ARGS...`):
  /// the value of a `KEY=VALUE` whose key is a secret, and secret values inside a YAML
  /// value, replaced by `***`, whatever `--show-secrets` says.
  public static func commandLine(_ arguments: some Sequence<String>) -> String {
    (["netcfg"] + arguments.map(maskArgument)).joined(separator: " ")
  }

  static func maskArgument(_ argument: String) -> String {
    if let eq = argument.firstIndex(of: "=") {
      let key = argument[..<eq].trimming("+-")
      if let last = key.split(separator: ".").last, keys.contains(String(last)) {
        return String(argument[...eq]) + "***"
      }
    }
    return mask(argument)
  }

  static func maskLine(_ line: String) -> String {
    var out = ""
    var rest = Substring(line)
    while let range = firstKey(in: rest) {
      out += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      // The value runs to the end of the line, or in flow style to the next `,` or `}`.
      let flow = out.contains("{")
      let end = flow ? (rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex) : rest.endIndex
      let value = rest[..<end]
      let comment = flow ? nil : find(" #", in: value)
      let secret = comment.map { value[..<$0.lowerBound] } ?? value
      if secret.trimming(" ").isEmpty {
        out += value
      } else {
        out += " ***" + (comment.map { String(value[$0.lowerBound...]) } ?? "")
      }
      rest = rest[end...]
    }
    return out + rest
  }

  /// The first secret key in `text` with its `:` (`KEY:`, `"KEY":`, `'KEY' :`), at a key
  /// position (after a space, `{`, `,`, `-`, `+`, a tab, a quote or the start).
  static func firstKey(in text: Substring) -> Range<Substring.Index>? {
    var best: Range<Substring.Index>?
    for key in keys {
      var from = text.startIndex
      while let r = find(key, in: text[from...]) {
        from = r.upperBound
        guard let end = colonEnd(afterKey: r, in: text) else { continue }
        if best == nil || r.lowerBound < best!.lowerBound { best = r.lowerBound..<end }
        break
      }
    }
    return best
  }

  /// Where the `:` after a key found at `key` ends, when the key stands at a key position;
  /// a key in quotes needs its closing quote before the colon. Blanks may come before it.
  private static func colonEnd(afterKey key: Range<Substring.Index>, in text: Substring) -> Substring.Index? {
    let before = key.lowerBound == text.startIndex ? " " : text[text.index(before: key.lowerBound)]
    guard " {,-+\t\"'".contains(before) else { return nil }
    var i = key.upperBound
    if (before == "\"" || before == "'"), i < text.endIndex, text[i] == before { i = text.index(after: i) }
    while i < text.endIndex, text[i] == " " || text[i] == "\t" { i = text.index(after: i) }
    guard i < text.endIndex, text[i] == ":" else { return nil }
    return text.index(after: i)
  }
}

/// The first occurrence of `needle` in `text`.
private func find(_ needle: String, in text: Substring) -> Range<Substring.Index>? {
  let pattern = Array(needle)
  var i = text.startIndex
  while i < text.endIndex {
    var j = i
    var k = 0
    while k < pattern.count, j < text.endIndex, text[j] == pattern[k] {
      j = text.index(after: j)
      k += 1
    }
    if k == pattern.count { return i..<j }
    i = text.index(after: i)
  }
  return nil
}
