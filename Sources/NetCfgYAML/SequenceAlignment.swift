/// How to turn one list into another with the fewest item edits.
enum SequenceAlignment {
  enum Step: Equatable {
    case keep(Int)
    /// Rewrite old item `Int` (index in the old list) as the value.
    case replace(Int, YAMLValue)
    case remove(Int)
    /// Insert before old index `Int` (the old list's count: at the end).
    case insert(Int, YAMLValue)
  }

  /// Steps in old-list order. Applied from last to first, every index stays valid.
  static func steps(from old: [YAMLValue], to new: [YAMLValue]) -> [Step] {
    let n = old.count, m = new.count
    // lcs[i][j]: length of the longest common subsequence of old[i...] and new[j...].
    var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        lcs[i][j] = old[i].isEquivalent(to: new[j])
          ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var steps: [Step] = []
    var removed: [Int] = []
    var inserted: [YAMLValue] = []
    var i = 0, j = 0
    func flush(before oldIndex: Int) {
      // Pair unmatched old and new items: rewrite in place, then remove or insert the rest.
      let pairs = min(removed.count, inserted.count)
      for k in 0..<pairs { steps.append(.replace(removed[k], inserted[k])) }
      for r in removed.dropFirst(pairs) { steps.append(.remove(r)) }
      for v in inserted.dropFirst(pairs) { steps.append(.insert(oldIndex, v)) }
      removed = []
      inserted = []
    }
    while i < n || j < m {
      if i < n, j < m, old[i].isEquivalent(to: new[j]) {
        flush(before: i)
        steps.append(.keep(i))
        i += 1
        j += 1
      } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
        removed.append(i)
        i += 1
      } else {
        inserted.append(new[j])
        j += 1
      }
    }
    flush(before: n)
    return steps
  }
}
