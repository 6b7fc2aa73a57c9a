#if canImport(Glibc)
  import Glibc
#endif

/// The bytes of one YAML file, with the geometry the parser and the editor need: libyaml's
/// character marks mapped to byte offsets, line starts, and the file's line-break style.
public struct SourceText: Sendable {
  /// The file exactly as read.
  public let bytes: [UInt8]
  /// 3 when the file starts with a UTF-8 byte order mark, else 0. libyaml skips it.
  public let bomLength: Int
  /// Where characters take more than one byte: the index of each such character and the
  /// extra bytes (beyond one per character) up to and including it. Empty for ASCII text,
  /// where a character index is a byte offset; small for text with a few umlauts.
  private let multiByteCharacters: [Int]
  private let extraBytesThrough: [Int]
  /// The number of characters after the byte order mark.
  private let characterCount: Int
  /// Byte offset of the first byte of every line ("\n"-separated).
  public let lineStarts: LineStarts
  /// The line break new lines get: "\r\n" when the file's first break is CRLF, else "\n".
  public let lineBreak: [UInt8]
  /// Whether an `&` occurs anywhere (no `&`: no anchor, so no alias either).
  public let hasAmpersand: Bool

  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
    let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    bomLength = bom
    let scan = SourceText.scan(bytes)
    let ascii = scan.ascii
    lineStarts = LineStarts(scan.lineStarts)
    hasAmpersand = scan.ampersand
    if let firstBreak = bytes.firstIndex(of: 0x0A), firstBreak > 0, bytes[firstBreak - 1] == 0x0D {
      lineBreak = [0x0D, 0x0A]
    } else {
      lineBreak = [0x0A]
    }
    var characters: [Int] = []
    var extras: [Int] = []
    var index = -1
    if ascii {
      index = bytes.count - bom - 1
    } else {
      var extra = 0
      for i in bom..<bytes.count {
        // Every byte that is not a UTF-8 continuation byte starts a character.
        if bytes[i] & 0xC0 != 0x80 {
          index += 1
        } else {
          extra += 1
          if characters.last == index { extras[extras.count - 1] = extra } else {
            characters.append(index)
            extras.append(extra)
          }
        }
      }
    }
    multiByteCharacters = characters
    extraBytesThrough = extras
    characterCount = index + 1
  }

  public init(_ text: String) { self.init(Array(text.utf8)) }

  /// One pass over `bytes` a word (8 bytes) at a time: where each line starts, whether an
  /// `&` occurs, whether every byte is ASCII. A byte equal to `b` is found in a word `w` as
  /// a zero byte of `w ^ bbbbbbbb`, exactly (no borrow from one byte into the next: the
  /// sum of each byte's low 7 bits and 0x7F reaches bit 7 only for bytes that are not zero).
  /// On netplan's short lines a memchr per line cost more (a 10,000-device file, 2.5 MB: 1.0
  /// ms, now 0.6), and this runs on one thread before a large file's parse is split in two.
  static func scan(_ bytes: [UInt8]) -> (lineStarts: [Int32], ampersand: Bool, ascii: Bool) {
    var any: UInt64 = 0  // or of the `&` marks
    var high: UInt64 = 0  // or of all words
    // Room for a line per byte: only the pages written are ever touched.
    let starts = [Int32](unsafeUninitializedCapacity: bytes.count + 1) { out, n in
      out[0] = 0
      n = 1
      bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        /// The high bit of each byte of `w` that is zero.
        @inline(__always) func zeros(_ w: UInt64) -> UInt64 { ~(((w & low7) &+ low7) | w) & ~low7 }
        let words = count / 8
        var k = 1
        for i in 0..<words {
          let w = UInt64(littleEndian: UnsafeRawPointer(base + i * 8).loadUnaligned(as: UInt64.self))
          high |= w
          any |= zeros(w ^ 0x2626_2626_2626_2626)
          var breaks = zeros(w ^ 0x0A0A_0A0A_0A0A_0A0A)
          while breaks != 0 {
            out[k] = Int32(truncatingIfNeeded: i &* 8 &+ breaks.trailingZeroBitCount &>> 3 &+ 1)
            k &+= 1
            breaks &= breaks &- 1
          }
        }
        for i in (words * 8)..<count {
          high |= UInt64(base[i])
          if base[i] == 0x26 { any = 1 }
          if base[i] == 0x0A {
            out[k] = Int32(truncatingIfNeeded: i + 1)
            k += 1
          }
        }
        n = k
      }
    }
    return (starts, any != 0, high & 0x8080_8080_8080_8080 == 0)
  }

  /// The text as a Swift string (invalid UTF-8 is repaired; libyaml rejects such files anyway).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// The byte offset of libyaml's `mark.index` (which counts characters after the BOM).
  public func byteOffset(characterIndex index: Int) -> Int {
    guard index < characterCount else { return bytes.count }
    // The extra bytes of the multi-byte characters before `index` (binary search).
    var low = 0
    var high = multiByteCharacters.count
    while low < high {
      let mid = (low + high) / 2
      if multiByteCharacters[mid] < index { low = mid + 1 } else { high = mid }
    }
    return index + (low > 0 ? extraBytesThrough[low - 1] : 0) + bomLength
  }

  /// The same, for lookups in increasing order: `cursor` (start at 0) remembers where the
  /// last one ended, so a parse's marks cost no search.
  func byteOffset(characterIndex index: Int, cursor: inout Int) -> Int {
    guard index < characterCount else { return bytes.count }
    guard !multiByteCharacters.isEmpty else { return index + bomLength }
    var i = min(cursor, multiByteCharacters.count)
    while i < multiByteCharacters.count, multiByteCharacters[i] < index { i += 1 }
    while i > 0, multiByteCharacters[i - 1] >= index { i -= 1 }
    cursor = i
    return index + (i > 0 ? extraBytesThrough[i - 1] : 0) + bomLength
  }

  /// Index (0-based) of the line that holds byte `offset`.
  public func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The mark of byte `offset`: its line, and its column in characters, as libyaml counts
  /// them (in a file whose lines end in "\n" or "\r\n").
  public func mark(at offset: Int) -> YAMLMark {
    let line = lineIndex(of: offset)
    var column = 1
    var i = max(lineStarts[line], line == 0 ? bomLength : 0)
    while i < min(offset, bytes.count) {
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return YAMLMark(offset: offset, line: line + 1, column: column)
  }

  /// Byte offset where the line holding `offset` starts.
  public func lineStart(of offset: Int) -> Int { lineStarts[lineIndex(of: offset)] }

  /// Byte offset of the line break ending the line that holds `offset` (or the end of file).
  public func lineEnd(of offset: Int) -> Int {
    let line = lineIndex(of: offset)
    guard line + 1 < lineStarts.count else { return bytes.count }
    let next = lineStarts[line + 1]  // bytes[next - 1] is "\n"
    return next - 2 >= lineStarts[line] && bytes[next - 2] == 0x0D ? next - 2 : next - 1
  }

  /// Byte offset just after the line break ending the line that holds `offset`, or the end of
  /// file when that line has no break.
  public func nextLineStart(of offset: Int) -> Int {
    let line = lineIndex(of: offset)
    return line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
  }

  /// The text of the line with 0-based index `line`, without its line break.
  public func lineText(_ line: Int) -> String {
    guard line >= 0, line < lineStarts.count else { return "" }
    let start = lineStarts[line]
    let end = lineEnd(of: start)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// True when only spaces stand between the start of its line and `offset`.
  public func isFirstOnLine(_ offset: Int) -> Bool {
    var i = offset - 1
    let start = lineStart(of: offset)
    while i >= start {
      if bytes[i] != 0x20 { return false }
      i -= 1
    }
    return true
  }

  /// Why this text cannot be edited safely by line geometry, or nil: line breaks libyaml
  /// honours but "\n"-based line geometry does not (lone CR, NEL, LINE/PARAGRAPH SEPARATOR).
  /// True when every character after the byte order mark is ASCII.
  var isASCII: Bool { multiByteCharacters.isEmpty }

  /// The first line break libyaml reads and netplan files must not have, said in words; nil
  /// when there is none. Each kind starts with a byte of its own, found by memchr (a file of
  /// megabytes is not read byte by byte at every edit); the two multi-byte kinds only in a
  /// file that is not ASCII.
  public var unsupportedLineBreak: String? {
    bytes.withUnsafeBufferPointer { b -> String? in
      guard let base = b.baseAddress else { return nil }
      let count = b.count
      /// The first position where `lead` starts one (`matches`), else nil.
      func first(_ lead: UInt8, _ matches: (Int) -> Bool) -> Int? {
        var at = 0
        while at < count, let found = memchr(base + at, Int32(lead), count - at) {
          let i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
          if matches(i) { return i }
          at = i + 1
        }
        return nil
      }
      let found: [(at: Int?, reason: String)] = [
        (first(0x0D) { $0 + 1 >= count || b[$0 + 1] != 0x0A }, "a lone carriage return (old Mac line ending)"),
        (isASCII ? nil : first(0xC2) { $0 + 1 < count && b[$0 + 1] == 0x85 }, "a NEL (U+0085) line break"),
        (isASCII ? nil : first(0xE2) { $0 + 2 < count && b[$0 + 1] == 0x80 && (b[$0 + 2] == 0xA8 || b[$0 + 2] == 0xA9) },
         "a Unicode line or paragraph separator"),
      ]
      return found.filter { $0.at != nil }.min { $0.at! < $1.at! }?.reason
    }
  }
}

/// Line starts kept in 32 bits (netcfg reads files far below 2 GiB): half the room of `Int`s,
/// read as `Int`s.
public struct LineStarts: RandomAccessCollection, Sendable {
  private let starts: [Int32]

  init(_ starts: [Int32]) { self.starts = starts }

  public var startIndex: Int { 0 }
  public var endIndex: Int { starts.count }
  public subscript(position: Int) -> Int { Int(starts[position]) }
}
