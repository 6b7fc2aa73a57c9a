/// A systemd configuration file (`resolved.conf` and its drop-ins) kept line by line, so an
/// edit changes one line and every comment, blank line and commented default stays.
public struct SystemdINI: Sendable {
  public enum Line: Sendable, Hashable {
    case section(String)
    case assignment(key: String, value: String)
    /// A comment; `key`/`value` when it is a commented-out assignment (`#DNS=`).
    case comment(String, key: String?, value: String?)
    case blank
    /// Anything else (kept as it is, reported by validation).
    case other(String)
  }

  public var lines: [(line: Line, text: String)]
  /// True when the text ended with a line break.
  public var finalNewline: Bool

  /// "\r" when the file ends its lines with CRLF: lines netcfg adds end the same way (each
  /// line keeps its own `\r` in its text).
  var carriageReturn = ""

  public init(_ text: String) {
    var out: [(Line, String)] = []
    // Split at each LF scalar: Swift counts CR LF as one Character, which a split at "\n"
    // would not see (a CRLF file read as a single line).
    let parts = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    finalNewline = text.isEmpty || text.unicodeScalars.last == "\n"
    for raw in finalNewline ? Array(parts.dropLast()) : parts {
      out.append((SystemdINI.classify(raw), raw))
    }
    lines = out
    if let first = out.first, first.1.unicodeScalars.last == "\r" { carriageReturn = "\r" }
  }

  static func classify(_ raw: String) -> Line {
    let text = raw.trimmingSpaces
    if text.isEmpty { return .blank }
    if text.hasPrefix("#") || text.hasPrefix(";") {
      let body = String(text.dropFirst()).trimmingSpaces
      if let eq = body.firstIndex(of: "="), !body[..<eq].contains(" "), !body.isEmpty, body.first!.isLetter {
        return .comment(raw, key: String(body[..<eq]), value: String(body[body.index(after: eq)...]).trimmingSpaces)
      }
      return .comment(raw, key: nil, value: nil)
    }
    if text.hasPrefix("["), text.hasSuffix("]") { return .section(String(text.dropFirst().dropLast())) }
    if let eq = text.firstIndex(of: "=") {
      return .assignment(key: String(text[..<eq]).trimmingSpaces, value: String(text[text.index(after: eq)...]).trimmingSpaces)
    }
    return .other(raw)
  }

  public var text: String {
    lines.map(\.text).joined(separator: "\n") + (finalNewline && !lines.isEmpty ? "\n" : "")
  }

  /// Assignments of `key` in `section`, in order, with their 1-based line numbers.
  public func assignments(_ key: String, in section: String) -> [(value: String, line: Int)] {
    var current: String?
    var out: [(String, Int)] = []
    for (i, entry) in lines.enumerated() {
      switch entry.line {
      case .section(let name): current = name
      case .assignment(let k, let v) where k == key && current == section: out.append((v, i + 1))
      default: continue
      }
    }
    return out
  }

  /// Sets `key=value` in `section`: the last assignment is rewritten (earlier ones removed), or
  /// a commented default (`#DNS=`) in the section is uncommented, or the line is added at the
  /// end of the section (which is created when missing).
  /// A value with a line break or another control character is refused: it would end the
  /// assignment and start lines of its own.
  public mutating func set(_ key: String, _ value: String, in section: String) throws(EditError) {
    guard !(key + value).unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      throw EditError(.usage, "\(key)= cannot hold a line break or control character")
    }
    let newText = "\(key)=\(value)" + carriageReturn
    var current: String?
    var existing: [Int] = []
    var commented: Int?
    var sectionEnd: Int?
    var sectionStart: Int?
    for (i, entry) in lines.enumerated() {
      switch entry.line {
      case .section(let name):
        if current == section { sectionEnd = lastContent(before: i, after: sectionStart ?? 0) }
        current = name
        if name == section { sectionStart = i; sectionEnd = nil }
      case .assignment(let k, _) where k == key && current == section: existing.append(i)
      case .comment(_, let k?, _) where k == key && current == section: commented = i
      default: break
      }
    }
    if current == section, let start = sectionStart { sectionEnd = lastContent(before: lines.count, after: start) }
    if let last = existing.last {
      lines[last] = (.assignment(key: key, value: value), newText)
      for i in existing.dropLast().reversed() { lines.remove(at: i) }
    } else if let commented {
      lines[commented] = (.assignment(key: key, value: value), newText)  // `#DNS=` becomes `DNS=...`
    } else if let end = sectionEnd {
      lines.insert((.assignment(key: key, value: value), newText), at: end + 1)
    } else {
      if let last = lines.last, last.line != .blank { lines.append((.blank, carriageReturn)) }
      lines.append((.section(section), "[\(section)]" + carriageReturn))
      lines.append((.assignment(key: key, value: value), newText))
      finalNewline = true
    }
  }

  /// Removes every assignment of `key` in `section`.
  public mutating func remove(_ key: String, in section: String) {
    var current: String?
    lines = lines.filter { entry in
      if case .section(let name) = entry.line { current = name }
      if case .assignment(let k, _) = entry.line, k == key, current == section { return false }
      return true
    }
  }

  /// The index of the last non-blank line in (after, before), or `after` when none.
  private func lastContent(before: Int, after: Int) -> Int {
    var i = before - 1
    while i > after, lines[i].line == .blank { i -= 1 }
    return i
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
    return String(s)
  }
}
