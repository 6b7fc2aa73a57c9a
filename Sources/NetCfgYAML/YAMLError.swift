/// A located problem in a YAML file: what libyaml (or the editor) found, and where.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file's name as it should appear in messages (a path, or "<input>").
  public var file: String
  /// 1-based line and column (characters), 0 when the location is unknown.
  public var line: Int
  public var column: Int
  public var message: String
  /// The text of the offending line, for the caret display.
  public var sourceLine: String?
  /// Extra lines of explanation (context, hints).
  public var notes: [String]

  public init(
    file: String, line: Int, column: Int, message: String, sourceLine: String? = nil,
    notes: [String] = []
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.sourceLine = sourceLine
    self.notes = notes
  }

  /// `FILE:LINE:COL: error: MESSAGE`, then the source line and a caret under the column.
  public var description: String {
    var out = line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    if let sourceLine, line > 0 {
      out += "\n" + sourceLine + "\n" + caretLine(for: sourceLine)
    }
    for note in notes { out += "\nnote: " + note }
    return out
  }

  /// Spaces up to the column (tabs kept so the caret lines up), then "^".
  private func caretLine(for text: String) -> String {
    var prefix = ""
    for (i, ch) in text.enumerated() where i < column - 1 {
      prefix.append(ch == "\t" ? "\t" : " ")
    }
    let missing = max(0, column - 1 - text.count)
    return prefix + String(repeating: " ", count: missing) + "^"
  }
}
