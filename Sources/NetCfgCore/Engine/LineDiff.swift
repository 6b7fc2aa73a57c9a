import NetCfgYAML

/// Line-level differences between two texts (Myers' algorithm after trimming the common head
/// and tail), and their unified-diff rendering.
public enum LineDiff {
  /// One line of an edit script.
  public enum Line: Equatable, Sendable {
    case same(String)
    case removed(String)
    case added(String)
  }

  /// Splits text into lines, each keeping its line break, so that a missing final newline or
  /// a CRLF shows up as a difference.
  public static func lines(_ bytes: [UInt8]) -> [String] {
    var out: [String] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
      out.append(String(decoding: bytes[start...i], as: UTF8.self))
      start = i + 1
    }
    if start < bytes.count { out.append(String(decoding: bytes[start...], as: UTF8.self)) }
    return out
  }

  /// The edit script turning `a` into `b`.
  public static func script(_ a: [String], _ b: [String]) -> [Line] {
    var head = 0
    while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
    var tail = 0
    while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] {
      tail += 1
    }
    let middle = myers(Array(a[head..<(a.count - tail)]), Array(b[head..<(b.count - tail)]))
    return a[..<head].map(Line.same) + middle + a[(a.count - tail)...].map(Line.same)
  }

  /// Edits beyond which the shortest script is not searched for: the rest of the middle is
  /// shown as removed, then added (a correct, longer diff). Memory stays at about
  /// `maximumEdits`² / 2 integers (16 MB) whatever the size of the files.
  static let maximumEdits = 1500

  /// Myers' O((N+M)·D) shortest edit script, keeping for each step d only the 2d + 1
  /// diagonals it reached (O(D²) memory, capped by `maximumEdits`).
  private static func myers(_ a: [String], _ b: [String]) -> [Line] {
    let n = a.count, m = b.count
    if n == 0 { return b.map(Line.added) }
    if m == 0 { return a.map(Line.removed) }
    let max = n + m
    var v = Array(repeating: 0, count: 2 * max + 2)
    // trace[d][k + d]: v[k] before step d (k from -d to d).
    var trace: [[Int]] = []
    var found = false
    outer: for d in 0...min(max, maximumEdits) {
      trace.append(Array(v[(max - d)...(max + d)]))
      for k in stride(from: -d, through: d, by: 2) {
        var x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1
        var y = x - k
        while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
        v[max + k] = x
        if x >= n, y >= m { found = true; break outer }
      }
    }
    guard found else { return a.map(Line.removed) + b.map(Line.added) }
    // Walk the trace back from the end to recover the script.
    var out: [Line] = []
    var x = n, y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let row = trace[d]
      func at(_ k: Int) -> Int { row[k + d] }
      let k = x - y
      let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
      let prevX = d == 0 ? 0 : at(prevK)
      let prevY = prevX - prevK
      if d == 0 {
        while x > 0, y > 0 { x -= 1; y -= 1; out.append(.same(a[x])) }
        break
      }
      while x > prevX, y > prevY { x -= 1; y -= 1; out.append(.same(a[x])) }
      if x == prevX { y -= 1; out.append(.added(b[y])) } else { x -= 1; out.append(.removed(a[x])) }
    }
    return out.reversed()
  }

  /// A unified diff (`--- a`, `+++ b`, `@@` hunks with `context` lines), or "" when equal.
  public static func unified(
    _ old: [UInt8], _ new: [UInt8], oldName: String, newName: String, context: Int = 3
  ) -> String {
    unified(old, new, oldName: oldName, newName: newName, context: context, trimming: true)
  }

  /// `trimming`: the common lines at both ends beyond the context are left out before the
  /// lines are split and compared (one changed line in a file of 100,000 costs no more than
  /// in a file of ten); the output is the same either way.
  static func unified(
    _ old: [UInt8], _ new: [UInt8], oldName: String, newName: String, context: Int, trimming: Bool
  ) -> String {
    let (head, oldEnd, newEnd, skipped) = trimming
      ? commonEnds(old, new, context: context) : (0, old.count, new.count, 0)
    let script = script(lines(Array(old[head..<oldEnd])), lines(Array(new[head..<newEnd])))
    guard script.contains(where: { if case .same = $0 { return false } else { return true } }) else {
      return ""
    }
    var out = "--- \(oldName)\n+++ \(newName)\n"
    var i = 0
    var oldLine = 1 + skipped, newLine = 1 + skipped
    // Positions (in the script) of changes, grouped into hunks.
    while i < script.count {
      guard script[i] != .same(script[i].text) else {
        i += 1; oldLine += 1; newLine += 1
        continue
      }
      var start = i
      var oldStart = oldLine, newStart = newLine
      var back = 0
      while back < context, start > 0 { start -= 1; back += 1; oldStart -= 1; newStart -= 1 }
      var end = i
      var sameRun = 0
      var j = i
      while j < script.count {
        if case .same = script[j] {
          sameRun += 1
          if sameRun > 2 * context { break }
        } else {
          sameRun = 0
          end = j
        }
        j += 1
      }
      let stop = min(script.count, end + 1 + context)
      var body = ""
      var oldCount = 0, newCount = 0
      for line in script[start..<stop] {
        switch line {
        case .same(let t): body += " " + t; oldCount += 1; newCount += 1
        case .removed(let t): body += "-" + t; oldCount += 1
        case .added(let t): body += "+" + t; newCount += 1
        }
        if body.utf8.last != 0x0A { body += "\n\\ No newline at end of file\n" }
      }
      // An empty side is numbered by the line before it, as diff(1) does.
      let oldHead = oldCount == 0 ? oldStart - 1 : oldStart
      let newHead = newCount == 0 ? newStart - 1 : newStart
      out += "@@ -\(oldHead),\(oldCount) +\(newHead),\(newCount) @@\n" + body
      for line in script[i..<stop] {
        switch line {
        case .same: oldLine += 1; newLine += 1
        case .removed: oldLine += 1
        case .added: newLine += 1
        }
      }
      i = stop
    }
    return out
  }
}

extension LineDiff {
  /// Where the part worth diffing starts (the same offset in both texts: the line `context`
  /// lines above the first difference) and ends in each (`context` lines below the last
  /// difference; the rest is the same bytes in both), and how many lines the start skips.
  static func commonEnds(_ a: [UInt8], _ b: [UInt8], context: Int) -> (Int, Int, Int, Int) {
    let shorter = min(a.count, b.count)
    let prefix = CommonBytes.prefix(a, b)
    if prefix == a.count, prefix == b.count { return (0, a.count, b.count, 0) }
    // Back to the start of the line of the first difference, then `context` lines up.
    func lineStart(before i: Int) -> Int {
      var j = i
      while j > 0, a[j - 1] != 0x0A { j -= 1 }
      return j
    }
    let firstChanged = lineStart(before: prefix)
    var head = firstChanged
    for _ in 0..<context where head > 0 { head = lineStart(before: head - 1) }
    // The common tail, as the line comparison sees it: not into the common head.
    let suffix = CommonBytes.suffix(a, b, within: shorter - firstChanged)
    // The first line break inside the common tail ends the last changed line; then `context`
    // lines down.
    var end = a.count - suffix
    func nextLineStart(from i: Int) -> Int? {
      var j = i
      while j < a.count, a[j] != 0x0A { j += 1 }
      return j < a.count ? j + 1 : nil
    }
    var oldEnd = a.count
    if let first = nextLineStart(from: end) {
      end = first
      for _ in 0..<context {
        guard end < a.count, let next = nextLineStart(from: end) else { end = a.count; break }
        end = next
      }
      oldEnd = end
    }
    let skipped = CommonBytes.lineFeeds(a, before: head)
    return (head, oldEnd, b.count - (a.count - oldEnd), skipped)
  }
}

extension LineDiff.Line {
  var text: String {
    switch self {
    case .same(let t), .removed(let t), .added(let t): return t
    }
  }
}
