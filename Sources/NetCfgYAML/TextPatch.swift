#if canImport(Glibc)
  import Glibc
#endif

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
    let start = CommonBytes.prefix(old, new)
    let end = CommonBytes.suffix(old, new, within: min(old.count, new.count) - start)
    return TextPatch(range: start..<(new.count - end), replacement: Array(old[start..<(old.count - end)]))
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

/// The common start and end of two byte strings, compared a block at a time (`memcmp`), then
/// byte by byte inside the block that differs: a loop over every byte took about a
/// millisecond over a 2.5 MB file, twice per edit (its patch, its diff).
public enum CommonBytes {
  static let block = 1024

  /// How many bytes `a` and `b` start with in common.
  public static func prefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var i = 0
        while i + block <= n, memcmp(pa + i, pb + i, block) == 0 { i += block }
        while i < n, pa[i] == pb[i] { i += 1 }
        return i
      }
    }
  }

  /// How many bytes `a` and `b` end with in common, at most `limit`.
  public static func suffix(_ a: [UInt8], _ b: [UInt8], within limit: Int) -> Int {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        let n = min(a.count, b.count, max(limit, 0))
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var k = 0
        while k + block <= n, memcmp(pa + a.count - k - block, pb + b.count - k - block, block) == 0 { k += block }
        while k < n, pa[a.count - 1 - k] == pb[b.count - 1 - k] { k += 1 }
        return k
      }
    }
  }

  /// How many line feeds `bytes[..<end]` holds (`memchr` from one to the next).
  public static func lineFeeds(_ bytes: [UInt8], before end: Int) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, end > 0 else { return 0 }
      var count = 0
      var at = base
      let stop = base + min(end, buffer.count)
      while at < stop, let found = memchr(at, 0x0A, stop - at) {
        count += 1
        at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
      }
      return count
    }
  }
}
