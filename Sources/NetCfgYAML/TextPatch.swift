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

  /// The patch that turns `new` back into `old`: the bytes between their common start and
  /// their common end (at most the whole of both).
  public static func restoring(_ old: [UInt8], from new: [UInt8]) -> TextPatch {
    old.withUnsafeBufferPointer { old in
      new.withUnsafeBufferPointer { new in
        var start = 0
        while start < old.count, start < new.count, old[start] == new[start] { start += 1 }
        var end = 0
        while end < old.count - start, end < new.count - start, old[old.count - 1 - end] == new[new.count - 1 - end] { end += 1 }
        return TextPatch(range: start..<(new.count - end), replacement: Array(old[start..<(old.count - end)]))
      }
    }
  }

  public init(range: Range<Int>, replacement: [UInt8]) {
    self.range = range
    self.replacement = replacement
  }

  /// `bytes` with this patch applied.
  public func applied(to bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count - range.count + replacement.count)
    out += bytes[..<range.lowerBound]
    out += replacement
    out += bytes[range.upperBound...]
    return out
  }
}
