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
}
