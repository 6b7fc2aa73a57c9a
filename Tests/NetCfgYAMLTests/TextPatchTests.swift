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

  /// The block-wise comparisons give what a byte loop gives: texts of up to three blocks
  /// that differ at one or two places (around the block edges too), or not at all.
  @Test func commonBytesMatchAByteLoop() {
    var rng = SplitMix64(seed: 41)
    let block = CommonBytes.block
    for round in 0..<2_000 {
      let count = Int.random(in: 0...(3 * block + 2), using: &rng)
      let a = (0..<count).map { _ in UInt8.random(in: 9...10, using: &rng) }
      var b = a
      if round % 7 != 0, !b.isEmpty {
        let edges = [0, block - 1, block, block + 1, 2 * block, b.count - block, b.count - 1]
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
          let at = round % 2 == 0 ? Int.random(in: 0..<b.count, using: &rng) : edges.randomElement(using: &rng)!
          if (0..<b.count).contains(at) { b[at] = 0x41 }
        }
      }
      if round % 3 == 0 { b += (0..<Int.random(in: 0...(block + 3), using: &rng)).map { _ in UInt8.random(in: 9...10, using: &rng) } }
      if round % 5 == 0 { b = Array(b.dropFirst(Int.random(in: 0...min(b.count, 5), using: &rng))) }
      var prefix = 0
      while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
      #expect(CommonBytes.prefix(a, b) == prefix)
      let limit = Int.random(in: -1...(min(a.count, b.count) + 1), using: &rng)
      var suffix = 0
      while suffix < min(a.count, b.count, limit), a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
      #expect(CommonBytes.suffix(a, b, within: limit) == suffix)
      let end = Int.random(in: -1...(a.count + 1), using: &rng)
      #expect(CommonBytes.lineFeeds(a, before: end) == a.prefix(max(end, 0)).filter { $0 == 0x0A }.count)
    }
  }
}
