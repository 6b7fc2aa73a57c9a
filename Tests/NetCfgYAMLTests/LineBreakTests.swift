import Testing

@testable import NetCfgYAML

/// The line breaks an edit refuses (`SourceText.unsupportedLineBreak`): the first in the
/// file is the one named, found the same as a plain walk over the bytes finds it.
@Suite struct LineBreakTests {
  /// The byte-by-byte reading of what the property answers.
  static func reference(_ bytes: [UInt8]) -> String? {
    for i in bytes.indices {
      switch bytes[i] {
      case 0x0D where i + 1 >= bytes.count || bytes[i + 1] != 0x0A: return "a lone carriage return (old Mac line ending)"
      case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85: return "a NEL (U+0085) line break"
      case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
        return "a Unicode line or paragraph separator"
      default: continue
      }
    }
    return nil
  }

  @Test func theFirstUnsupportedBreakIsNamed() {
    let pieces: [[UInt8]] = [
      Array("a: 1\n".utf8), [0x0D, 0x0A], [0x0D], [0xC2, 0x85], [0xC2, 0xA0], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9],
      [0xE2, 0x80, 0x99], Array("é".utf8), [0xEF, 0xBB, 0xBF], [0xC2], [0xE2, 0x80],
    ]
    var generator = SystemRandomNumberGenerator()
    var named = Set<String>()
    for length in 0..<6 {
      for _ in 0..<300 {
        let bytes = (0..<length).flatMap { _ in pieces.randomElement(using: &generator)! }
        let found = SourceText(bytes).unsupportedLineBreak
        #expect(found == Self.reference(bytes), "\(bytes)")
        if let found { named.insert(found) }
      }
    }
    #expect(named.count == 3)
    #expect(SourceText(Array("a: 1\r\nb: 2\r\n".utf8)).unsupportedLineBreak == nil)
    #expect(SourceText(Array("a: 1\rb: 2\n".utf8)).unsupportedLineBreak == "a lone carriage return (old Mac line ending)")
  }

  /// Line starts, `&` and ASCII-ness, as the word-at-a-time scan finds them, are what a walk
  /// over the bytes finds: every length around a word's 8 bytes, every byte value of note
  /// (the two searched for, their neighbours, the high bit, zero) at every position.
  @Test func theScanFindsWhatAWalkFinds() {
    let alphabet: [UInt8] = [0x0A, 0x26, 0x00, 0x09, 0x0B, 0x25, 0x27, 0x7F, 0x80, 0x8A, 0xA6, 0xFF, 0x61, 0x0D, 0x20, 0x01]
    var generator = SystemRandomNumberGenerator()
    for length in 0..<40 {
      for _ in 0..<200 {
        let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
        let scan = SourceText.scan(bytes)
        let starts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { Int32($0 + 1) }
        #expect(scan.lineStarts == starts, "\(bytes)")
        #expect(scan.ampersand == bytes.contains(0x26), "\(bytes)")
        #expect(scan.ascii == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
      }
    }
    // Each byte value alone among ASCII letters, at each position of a word and past it.
    for value in UInt8.min...UInt8.max {
      for position in 0..<17 {
        var bytes = [UInt8](repeating: 0x61, count: 17)
        bytes[position] = value
        let scan = SourceText.scan(bytes)
        #expect(scan.lineStarts == (value == 0x0A ? [0, Int32(position + 1)] : [0]))
        #expect(scan.ampersand == (value == 0x26))
        #expect(scan.ascii == (value < 0x80))
      }
    }
  }
}
