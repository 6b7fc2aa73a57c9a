/// A replacement of a byte range of the original text. Edits are only ever made of these, so
/// every byte outside them stays as it was.
public struct TextPatch: Sendable, Hashable {
  public var range: Range<Int>
  public var replacement: [UInt8]

  public init(_ range: Range<Int>, _ replacement: String) {
    self.range = range
    self.replacement = Array(replacement.utf8)
  }

  public static func insert(at offset: Int, _ text: String) -> TextPatch {
    TextPatch(offset..<offset, text)
  }

  /// Applies non-overlapping patches to `bytes`.
  public static func apply(_ patches: [TextPatch], to bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    // From the end backwards so earlier offsets stay valid; at one offset, deletions first
    // then insertions so that an insertion lands just before the next text.
    let ordered = patches.sorted {
      $0.range.lowerBound != $1.range.lowerBound
        ? $0.range.lowerBound > $1.range.lowerBound : $0.range.count > $1.range.count
    }
    for patch in ordered { out.replaceSubrange(patch.range, with: patch.replacement) }
    return out
  }
}
