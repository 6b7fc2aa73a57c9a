/// Text bound for a terminal.
public enum TerminalText {
  /// Whether every byte is printable ASCII (0x20-0x7E), a newline or a tab. Eight bytes at a
  /// time: an ASCII byte's seven bits plus 0x60 reach bit 7 exactly when it is 0x20 or more,
  /// plus 0x01 exactly when it is 0x7F (no carry from one byte into the next); a word with
  /// any other byte (a newline, a tab, or one not printable) is looked at byte by byte.
  /// `show` on 10,000 devices prints 5.5 MB: a loop over every byte took 3% of it.
  public static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    var i = 0
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    while i + 8 <= count {
      let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      let low = w & low7
      // High bit per byte: set for bytes >= 0x20 (low7 + 0x60 reaches 0x80), clear below.
      let atLeastSpace = (low &+ 0x6060_6060_6060_6060) & ~low7
      // High bit per byte: set for 0x7F (low7 + 0x01 reaches 0x80).
      let isDelete = (low &+ 0x0101_0101_0101_0101) & ~low7
      if w & ~low7 == 0, atLeastSpace == ~low7, isDelete == 0 {
        i += 8
        continue
      }
      // A byte to look at: a newline, a tab, or one that is not printable.
      for k in i..<(i + 8) where !isPrintable(bytes[k]) { return false }
      i += 8
    }
    while i < count {
      if !isPrintable(bytes[i]) { return false }
      i += 1
    }
    return true
  }

  @inline(__always) static func isPrintable(_ b: UInt8) -> Bool { (b >= 0x20 && b < 0x7F) || b == 0x0A || b == 0x09 }
}
