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
}
