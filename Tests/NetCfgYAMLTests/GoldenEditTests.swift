import Foundation
import Testing
@testable import NetCfgYAML

/// Golden edit tests: every folder of Tests/Fixtures/golden holds `before.yaml`, `edit` (one
/// edit a line: `PATH=VALUE`, `PATH+=VALUE`, `PATH-=VALUE` or `unset PATH`, all applied in
/// order as one `edited(_:)` call) and `after.yaml`, the exact bytes a careful human would
/// write. Set GOLDEN_GOT_DIR to a directory to have each case's actual output written there
/// (`<dir>/<case>.yaml`) for review.
@Suite struct GoldenEditTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/golden")
    .standardizedFileURL

  static let cases: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter { name in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(
        atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }.sorted()
  }()

  @Test func fixturesExist() {
    #expect(Self.cases.count >= 30, "expected the golden cases under \(Self.root.path)")
  }

  @Test(arguments: cases)
  func golden(_ name: String) throws {
    let dir = Self.root.appendingPathComponent(name)
    let before = try bytes(dir.appendingPathComponent("before.yaml"))
    let expected = try bytes(dir.appendingPathComponent("after.yaml"))
    let edits = try parseEdits(String(decoding: try bytes(dir.appendingPathComponent("edit")), as: UTF8.self))
    try #require(!edits.isEmpty, "\(name): the edit file holds no edits")

    let got: [UInt8]
    do {
      got = try YAMLFile(name: "\(name)/before.yaml", bytes: before).edited(edits).source.bytes
    } catch {
      Issue.record("\(name): the edit failed: \(error)\n\(show("before", before))\n\(show("expected", expected))")
      return
    }
    if let dump = ProcessInfo.processInfo.environment["GOLDEN_GOT_DIR"] {
      let url = URL(fileURLWithPath: dump).appendingPathComponent(name + ".yaml")
      try? Data(got).write(to: url)
    }

    let matches = got == expected
    #expect(
      matches,
      "\(name): output differs from after.yaml\n\(show("got", got))\n\(show("expected", expected))\n\(firstDifference(got, expected))")

    // Idempotence: the edits applied to the expected result change nothing. Appending and
    // removing by index are not idempotent (they would add or remove one more item), so only
    // the other edits (set, unset KEY, -=) are re-applied.
    let repeatable = edits.filter(\.isIdempotent)
    if !repeatable.isEmpty {
      do {
        let again = try YAMLFile(name: "\(name)/after.yaml", bytes: expected).edited(repeatable).source.bytes
        let unchanged = again == expected
        #expect(unchanged, "\(name): re-applying the edits to after.yaml changed it\n\(show("got", again))\n\(show("after.yaml", expected))")
      } catch {
        Issue.record("\(name): re-applying the edits to after.yaml failed: \(error)")
      }
    }

    checkUntouchedLines(name, before: before, expected: expected, got: got)
    checkLineBreaks(name, before: before, after: got)
  }

  // MARK: Invariants

  /// Collateral damage: the golden pair defines the edited window (from the first to the last
  /// line where before.yaml and after.yaml differ); every line of before.yaml outside that
  /// window must appear unchanged in the output, at the same distance from the start or the end.
  private func checkUntouchedLines(_ name: String, before: [UInt8], expected: [UInt8], got: [UInt8]) {
    let a = lines(before), e = lines(expected), g = lines(got)
    var prefix = 0
    while prefix < a.count, prefix < e.count, a[prefix] == e[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < e.count - prefix,
      a[a.count - 1 - suffix] == e[e.count - 1 - suffix]
    {
      suffix += 1
    }
    for i in 0..<prefix where i >= g.count || g[i] != a[i] {
      Issue.record("\(name): line \(i + 1) of before.yaml, outside the edited window, changed: \(text(a[i]).debugDescription) became \(i < g.count ? text(g[i]).debugDescription : "<missing>")")
      break
    }
    for k in 0..<suffix where k >= g.count || g[g.count - 1 - k] != a[a.count - 1 - k] {
      let line = a.count - k
      Issue.record("\(name): line \(line) of before.yaml (\(k + 1) from the end), outside the edited window, changed: \(text(a[line - 1]).debugDescription) became \(k < g.count ? text(g[g.count - 1 - k]).debugDescription : "<missing>")")
      break
    }
    // The window and the kept lines account for the whole of before.yaml.
    let bytes = a.reduce(0) { $0 + $1.count }
    #expect(prefix + suffix <= a.count && bytes == before.count, "\(name): lines do not account for the whole file")
  }

  private func text(_ line: [UInt8]) -> String { String(decoding: line, as: UTF8.self) }

  /// The result keeps the file's BOM and line-break style: CRLF files get only CRLF, LF files
  /// no CR; a file without a final newline does not gain one (and the reverse).
  private func checkLineBreaks(_ name: String, before: [UInt8], after: [UInt8]) {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    #expect(before.starts(with: bom) == after.starts(with: bom), "\(name): the BOM was not kept")
    let crlf = before.firstIndex(of: 0x0A).map { $0 > 0 && before[$0 - 1] == 0x0D } ?? false
    for (i, byte) in after.enumerated() where byte == 0x0A {
      let hasCR = i > 0 && after[i - 1] == 0x0D
      if hasCR != crlf {
        Issue.record("\(name): line \(after[..<i].filter { $0 == 0x0A }.count + 1) ends in \(hasCR ? "CRLF" : "LF"), the file uses \(crlf ? "CRLF" : "LF")")
        break
      }
    }
    if !before.isEmpty, before.contains(0x0A) {
      #expect(before.last == 0x0A ? after.last == 0x0A : after.last != 0x0A,
              "\(name): the final newline (or its absence) was not kept")
    }
  }

  // MARK: Helpers

  private func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

  private func parseEdits(_ text: String) throws -> [YAMLEdit] {
    var edits: [YAMLEdit] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
      var line = String(raw)
      if line.hasSuffix("\r") { line.removeLast() }
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      if line.hasPrefix("unset ") {
        edits.append(.remove(try YAMLPath.parse(String(line.dropFirst("unset ".count)))))
      } else {
        edits.append(try YAMLEdit.parseAssignment(line))
      }
    }
    return edits
  }

  /// Lines with their line breaks, so that CRLF and a missing final newline count.
  private func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
      out.append(Array(bytes[start...i]))
      start = i + 1
    }
    if start < bytes.count { out.append(Array(bytes[start...])) }
    return out
  }

  /// A text shown with line numbers, line breaks made visible (`␍` for CR, `⏎` for LF,
  /// `[no final newline]`).
  private func show(_ title: String, _ bytes: [UInt8]) -> String {
    var out = "----- \(title) (\(bytes.count) bytes) -----\n"
    for (n, line) in lines(bytes).enumerated() {
      var text = String(decoding: line, as: UTF8.self)
      var mark = ""
      if text.hasSuffix("\n") { text.removeLast(); mark = "⏎" } else { mark = "[no final newline]" }
      if text.hasSuffix("\r") { text.removeLast(); mark = "␍" + mark }
      out += String(format: "%3d| ", n + 1) + text + mark + "\n"
    }
    return out + "-----"
  }

  private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let la = lines(a), lb = lines(b)
    for i in 0..<max(la.count, lb.count) {
      let x = i < la.count ? String(decoding: la[i], as: UTF8.self) : "<none>"
      let y = i < lb.count ? String(decoding: lb[i], as: UTF8.self) : "<none>"
      if x != y { return "first difference at line \(i + 1): got \(x.debugDescription), expected \(y.debugDescription)" }
    }
    return "no line differs"
  }
}

extension YAMLEdit {
  /// True when applying the edit twice gives what applying it once gives.
  fileprivate var isIdempotent: Bool {
    switch self {
    case .set, .removeValue: return true
    case .remove(let path):
      if case .key? = path.last { return true }
      return false
    case .append, .insert: return false
    }
  }
}
