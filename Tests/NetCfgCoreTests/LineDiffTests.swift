import Testing
@testable import NetCfgCore

@Suite struct LineDiffTests {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test func equalTextsHaveNoDiff() {
    #expect(LineDiff.unified(bytes("a\nb\n"), bytes("a\nb\n"), oldName: "a", newName: "b") == "")
  }

  @Test func oneChangedLineWithContext() {
    let old = (1...10).map { "line \($0)\n" }.joined()
    let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
    let diff = LineDiff.unified(bytes(old), bytes(new), oldName: "a/f", newName: "b/f")
    #expect(diff == """
      --- a/f
      +++ b/f
      @@ -2,7 +2,7 @@
       line 2
       line 3
       line 4
      -line 5
      +line five
       line 6
       line 7
       line 8

      """)
  }

  @Test func separateHunksAndMissingFinalNewline() {
    let old = (1...20).map { "l\($0)" }.joined(separator: "\n")
    var lines = (1...20).map { "l\($0)" }
    lines[0] = "first"
    lines[19] = "last"
    let diff = LineDiff.unified(bytes(old), bytes(lines.joined(separator: "\n")), oldName: "a", newName: "b")
    #expect(diff.components(separatedBy: "@@ -").count == 3)
    #expect(diff.contains("-l20\n\\ No newline at end of file\n+last\n\\ No newline at end of file\n"))
  }

  @Test func crlfLinesAndEmptySides() {
    let diff = LineDiff.unified(bytes(""), bytes("a\r\nb\r\n"), oldName: "a", newName: "b")
    #expect(diff == "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\r\n+b\r\n")
  }

  @Test func scriptIsMinimal() {
    let script = LineDiff.script(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"])
    #expect(script == [.same("a"), .removed("b"), .added("x"), .same("c"), .same("d"), .added("e")])
  }

  /// Leaving out the common ends before diffing changes nothing in the output: random texts
  /// of few distinct lines (so repeats make the alignment ambiguous), random edits.
  @Test func trimmingTheCommonEndsKeepsTheOutput() {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      seed = seed &* 6364136223846793005 &+ 1442695040888963407
      return Int((seed >> 33) % UInt64(n))
    }
    let pool = ["a\n", "b\n", "c\n", "  key: value\n", "\n", "x\r\n"]
    var compared = 0
    for _ in 0..<3000 {
      var lines = (0..<next(40)).map { _ in pool[next(pool.count)] }
      var changed = lines
      for _ in 0..<(1 + next(3)) {
        let at = next(changed.count + 1)
        switch next(3) {
        case 0: changed.insert(pool[next(pool.count)], at: at)
        case 1: if at < changed.count { changed.remove(at: at) }
        default: if at < changed.count { changed[at] = "changed \(next(5))\n" }
        }
      }
      if next(4) == 0, !lines.isEmpty { lines[lines.count - 1] = String(lines[lines.count - 1].dropLast()) }
      if next(4) == 0, !changed.isEmpty { changed[changed.count - 1] = String(changed[changed.count - 1].dropLast()) }
      let old = bytes(lines.joined()), new = bytes(changed.joined())
      for context in [0, 1, 3] {
        let trimmed = LineDiff.unified(old, new, oldName: "a", newName: "b", context: context, trimming: true)
        let whole = LineDiff.unified(old, new, oldName: "a", newName: "b", context: context, trimming: false)
        #expect(trimmed == whole, "\(lines) -> \(changed), context \(context)")
        compared += 1
      }
    }
    #expect(compared == 9000)
  }

  /// Applies an edit script: what it turns `a` into (checking its kept and removed lines).
  func apply(_ script: [LineDiff.Line], to a: [String]) -> [String]? {
    var out: [String] = []
    var i = 0
    for line in script {
      switch line {
      case .same(let text): guard i < a.count, a[i] == text else { return nil }; out.append(text); i += 1
      case .removed(let text): guard i < a.count, a[i] == text else { return nil }; i += 1
      case .added(let text): out.append(text)
      }
    }
    return i == a.count ? out : nil
  }

  /// Random small edits: the script is right and as short as Myers' (each line of the
  /// longest common subsequence kept).
  @Test func scriptsAreRightAndShortest() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
      let a = (0..<Int.random(in: 0...30, using: &rng)).map { _ in "l\(Int.random(in: 0...5, using: &rng))\n" }
      let b = (0..<Int.random(in: 0...30, using: &rng)).map { _ in "l\(Int.random(in: 0...5, using: &rng))\n" }
      let script = LineDiff.script(a, b)
      #expect(apply(script, to: a) == b)
      // The kept lines are a longest common subsequence (dynamic programming).
      var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
      for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
          lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
        }
      }
      #expect(script.filter { if case .same = $0 { return true } else { return false } }.count == lcs[0][0])
    }
  }

  /// Finding 10 of the security review: a diff of two large, wholly different middles stays
  /// small in memory (beyond `maximumEdits` the middle is shown removed, then added) and is
  /// still right.
  @Test func hugeDiffsStayLinear() {
    let a = (0..<40_000).map { "old \($0)\n" }
    let b = (0..<40_000).map { $0 % 2 == 0 ? "old \($0)\n" : "new \($0)\n" }
    let script = LineDiff.script(a, b)
    #expect(apply(script, to: a) == b)
  }
}
