#if canImport(Glibc)
  import Glibc
#endif
import NetCfgCore

/// Printing at the edge: colour only where the stream is a terminal, and without a
/// non-empty NO_COLOR (no-color.org).
struct Console {
  /// Colour on stdout.
  let useColor: Bool
  /// Colour on stderr (diagnostics).
  let errorColor: Bool
  /// Whether secret values are shown (else masked as ***).
  var showSecrets = false

  init(color: Bool, showSecrets: Bool = false) {
    self.showSecrets = showSecrets
    let term = getenv("TERM").map { String(cString: $0) } ?? "dumb"
    let noColor = getenv("NO_COLOR").map { String(cString: $0) }?.isEmpty == false
    let allowed = color && !noColor && term != "dumb"
    useColor = allowed && isatty(1) == 1
    errorColor = allowed && isatty(2) == 1
  }

  func out(_ text: String, terminator: String = "\n") {
    Output.wroteStdout = true
    print(Console.terminalSafe(text), terminator: terminator)
  }

  /// `out(String(decoding: bytes, as: UTF8.self), terminator: "")` without making the string
  /// when the bytes are printable ASCII (`show` prints megabytes on thousands of devices).
  func out(bytes: [UInt8]) {
    let printable = bytes.withUnsafeBytes { TerminalText.isPrintableASCII($0) }
    guard printable else { return out(String(decoding: bytes, as: UTF8.self), terminator: "") }
    Output.wroteStdout = true
    FileHandleWriter.stdout(bytes)
  }

  func err(_ text: String) {
    if text.hasPrefix("netcfg: ") { Output.lastError = String(text.dropFirst("netcfg: ".count)) }
    FileHandleWriter.stderr(Console.terminalSafe(text) + "\n")
  }

  /// The colours netcfg itself paints with (SGR parameters).
  static let palette: Set<String> = ["0", "1", "2", "31", "32", "33", "36", "1;31", "1;33", "1;36"]

  /// `text` with every control character but newline and tab shown as an escape (`\x1B`,
  /// `\u009B`), and each byte of a file name that is not UTF-8 as `\xE9`: a value in a file, an interface name or a stored command line cannot move
  /// the cursor, clear the screen or retitle the terminal. Only netcfg's own colours pass.
  static func terminalSafe(_ text: String) -> String {
    // Printable ASCII with newlines and tabs, nearly every output: one pass over the bytes
    // in memory (`show` on thousands of devices spent 3% of its time decoding scalars here,
    // and as much again going through the bytes one by one with String's UTF-8 view).
    let printable = text.utf8.withContiguousStorageIfAvailable { TerminalText.isPrintableASCII(UnsafeRawBufferPointer($0)) }
    if printable == true { return text }
    guard text.unicodeScalars.contains(where: {
      ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || (0xF780...0xF7FF).contains($0.value)
    })
    else { return text }
    var out = ""
    var scalars = Substring(text).unicodeScalars[...]
    while let scalar = scalars.first {
      scalars = scalars.dropFirst()
      if scalar == "\u{1B}", scalars.first == "[", let end = scalars.firstIndex(of: "m"),
        palette.contains(String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<end])))
      {
        out.unicodeScalars.append(scalar)
        out.unicodeScalars.append(contentsOf: scalars[...end])
        scalars = scalars[scalars.index(after: end)...]
        continue
      }
      switch scalar.value {
      case 0x0A, 0x09: out.unicodeScalars.append(scalar)
      case 0..<0x20, 0x7F: out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
      case 0x80...0x9F: out += "\\u00" + String(scalar.value, radix: 16, uppercase: true)
      // A byte of a file name that is not UTF-8 (see FileSystem.decode).
      case 0xF780...0xF7FF: out += "\\x" + String(scalar.value - 0xF700, radix: 16, uppercase: true)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// `text` with secret values masked, unless --show-secrets.
  func secret(_ text: String) -> String { showSecrets ? text : Secrets.mask(text) }

  func paint(_ text: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

  func bold(_ text: String) -> String { paint(text, "1") }
  func dim(_ text: String) -> String { paint(text, "2") }

  /// A unified diff with removed lines red, added green and hunk headers cyan (terminal only).
  func colorDiff(_ diff: String) -> String {
    guard useColor else { return diff }
    return diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      if line.hasPrefix("+++") || line.hasPrefix("---") { return bold(String(line)) }
      if line.hasPrefix("+") { return paint(String(line), "32") }
      if line.hasPrefix("-") { return paint(String(line), "31") }
      if line.hasPrefix("@@") { return paint(String(line), "36") }
      return String(line)
    }.joined(separator: "\n")
  }

  /// A diagnostic as `FILE:LINE:COL: error: ...` with its caret, severity coloured.
  /// `toErr`: for stderr (its own terminal test).
  func render(_ d: Diagnostic, toErr: Bool = true) -> String {
    let text = secret(d.description)
    guard toErr ? errorColor : useColor else { return text }
    let label = d.severity.rawValue + ":"
    let color = d.severity == .error ? "1;31" : d.severity == .warning ? "1;33" : "1;36"
    return text.replacingFirst(label, with: "\u{1B}[\(color)m\(label)\u{1B}[0m")
  }

  /// Prints diagnostics to stderr, then a count line.
  func report(_ diagnostics: [Diagnostic], quiet: Bool) {
    for d in diagnostics where !(quiet && d.severity != .error) { err(render(d)) }
  }
}

/// What the process printed so far, for the one JSON object `--json` promises even on failure.
enum Output {
  nonisolated(unsafe) static var wroteStdout = false
  nonisolated(unsafe) static var lastError: String?
}

extension String {
  /// The text with spaces after it up to `width` characters (as it is when it is as long).
  func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let r = firstRange(of: target) else { return self }
    return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
  }

  func firstRange(of target: String) -> Range<String.Index>? {
    var i = startIndex
    while i < endIndex {
      if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
      i = index(after: i)
    }
    return nil
  }
}
