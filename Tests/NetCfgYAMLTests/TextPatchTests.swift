import Testing

@testable import NetCfgYAML

/// `TextPatch.restoring`: an edited file's first text kept as what the edit replaced.
@Suite struct TextPatchTests {
  @Test(arguments: [
    ("abc", "abc"), ("", ""), ("", "x"), ("x", ""), ("aa", "aaa"), ("aaa", "aa"), ("abcdef", "abXYef"),
    ("head\nmiddle\ntail\n", "head\nother\ntail\n"), ("same start", "same start, longer"), ("tail", "new tail"),
  ])
  func restoresTheFirstText(_ old: String, _ new: String) {
    let patch = TextPatch.restoring(Array(old.utf8), from: Array(new.utf8))
    #expect(patch.applied(to: Array(new.utf8)) == Array(old.utf8))
    // Only what differs is kept.
    #expect(patch.replacement.count <= old.utf8.count && patch.range.count <= new.utf8.count)
  }

  @Test func keepsOnlyTheChangedMiddle() {
    let head = String(repeating: "a: 1\n", count: 1000)
    let patch = TextPatch.restoring(Array((head + "b: 2\n" + head).utf8), from: Array((head + "b: 3\n" + head).utf8))
    #expect(patch.replacement == Array("2".utf8))
    #expect(patch.range == (head.utf8.count + 3)..<(head.utf8.count + 4))
  }

  @Test func randomTexts() {
    var rng = SplitMix64(seed: 23)
    for _ in 0..<500 {
      let old = (0..<Int.random(in: 0..<12, using: &rng)).map { _ in UInt8.random(in: 97...99, using: &rng) }
      let new = (0..<Int.random(in: 0..<12, using: &rng)).map { _ in UInt8.random(in: 97...99, using: &rng) }
      #expect(TextPatch.restoring(old, from: new).applied(to: new) == old, "\(old) from \(new)")
    }
  }
}
