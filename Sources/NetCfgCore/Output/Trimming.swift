extension StringProtocol {
  /// The text without the characters of `set` at either end.
  public func trimming(_ set: String) -> String {
    var s = self[...]
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
