import NetCfgYAML
import Synchronization

/// A place in a configuration file: path (as seen inside the root), 1-based line and column.
/// Twelve bytes with no reference: the merged tree holds one per node, and copying a file
/// name with each would cost a reference count per copy.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  private(set) var fileID: UInt32
  @Int32Backed public var line: Int
  @Int32Backed public var column: Int

  public var file: String {
    get { FileNames.shared.name(fileID) }
    set { fileID = FileNames.shared.id(newValue) }
  }

  public init(file: String, line: Int, column: Int) {
    self.init(fileID: FileNames.shared.id(file), line: line, column: column)
  }

  /// For callers that locate many nodes of one file: `FileNames.shared.id(name)` once.
  init(fileID: UInt32, line: Int, column: Int) {
    self.fileID = fileID
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }

  /// Writes `file:line:col` for many locations with the file names looked up once (each
  /// `description` takes the names' lock: threads formatting thousands of locations at once
  /// waited on each other there).
  public struct Formatter: Sendable {
    private let names: [[UInt8]]

    /// The names of every file known so far.
    public init() { names = FileNames.shared.all.map { Array($0.utf8) } }

    public func string(_ location: SourceLocation) -> String {
      var out: [UInt8] = []
      write(location, to: &out)
      return String(decoding: out, as: UTF8.self)
    }

    /// Appends `file:line:col` to `out`.
    public func write(_ location: SourceLocation, to out: inout [UInt8]) {
      let id = Int(location.fileID)
      if id < names.count { out.append(contentsOf: names[id]) } else { out.append(contentsOf: location.file.utf8) }
      Self.writeDecimals(location.line, location.column, to: &out)
    }

    /// `:LINE:COLUMN`, the digits made on the stack and appended at once.
    private static func writeDecimals(_ line: Int, _ column: Int, to out: inout [UInt8]) {
      guard line >= 0, column >= 0 else {
        out.append(contentsOf: ":\(line):\(column)".utf8)
        return
      }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { digits in
        var i = digits.count
        func put(_ value: Int) {  // backwards: the last digit first, then its colon
          var rest = value
          repeat {
            i -= 1
            digits[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
          } while rest > 0
          i -= 1
          digits[i] = UInt8(ascii: ":")
        }
        put(column)
        put(line)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
      }
    }
  }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}

/// The file names locations refer to, each stored once (a name has exactly one id).
final class FileNames: Sendable {
  static let shared = FileNames()
  private let table = Mutex<(names: [String], ids: [String: UInt32])>(([], [:]))

  func id(_ name: String) -> UInt32 {
    table.withLock { table in
      if let id = table.ids[name] { return id }
      let id = UInt32(table.names.count)
      table.names.append(name)
      table.ids[name] = id
      return id
    }
  }

  func name(_ id: UInt32) -> String { table.withLock { $0.names[Int(id)] } }

  var all: [String] { table.withLock { $0.names } }
}

/// A finding about a configuration: what, how bad, where, and what to do. Libraries return
/// these; only the executable prints them.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Comparable {
    case note, warning, error

    public static func < (a: Severity, b: Severity) -> Bool {
      let order: [Severity] = [.note, .warning, .error]
      return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
  }

  public var severity: Severity
  public var message: String
  public var location: SourceLocation?
  /// The text of the line at `location`, for the caret display.
  public var sourceLine: String?
  /// Further explanation and hints, one sentence each.
  public var notes: [String]
  /// A stable identifier for scripts and tests (`unknown-key`, `gateway-off-subnet`, ...).
  public var code: String

  public init(
    _ severity: Severity, _ message: String, code: String, at location: SourceLocation? = nil,
    sourceLine: String? = nil, notes: [String] = []
  ) {
    self.severity = severity
    self.message = message
    self.code = code
    self.location = location
    self.sourceLine = sourceLine
    self.notes = notes
  }

  public static func error(
    _ message: String, code: String, at location: SourceLocation? = nil, notes: [String] = []
  ) -> Diagnostic {
    Diagnostic(.error, message, code: code, at: location, notes: notes)
  }

  public static func warning(
    _ message: String, code: String, at location: SourceLocation? = nil, notes: [String] = []
  ) -> Diagnostic {
    Diagnostic(.warning, message, code: code, at: location, notes: notes)
  }

  /// `FILE:LINE:COL: error: MESSAGE`, the source line and a caret, then the notes.
  public var description: String {
    var out = location.map { "\($0): " } ?? ""
    out += "\(severity.rawValue): \(message)"
    if let location, let sourceLine {
      var caret = ""
      for ch in sourceLine.prefix(max(0, location.column - 1)) {
        caret.append(ch == "\t" ? "\t" : " ")
      }
      out += "\n" + sourceLine + "\n" + caret + "^"
    }
    for note in notes { out += "\nnote: " + note }
    return out
  }
}

extension Diagnostic {
  /// A YAML syntax error as a diagnostic.
  public init(_ error: YAMLError) {
    self.init(
      .error, error.message, code: "yaml-syntax",
      at: error.line > 0 ? SourceLocation(file: error.file, line: error.line, column: error.column) : nil,
      sourceLine: error.sourceLine, notes: error.notes)
  }
}

extension Array where Element == Diagnostic {
  public var hasErrors: Bool { contains { $0.severity == .error } }
}
