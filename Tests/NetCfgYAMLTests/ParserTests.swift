import Testing
@testable import NetCfgYAML

@Suite struct ParserTests {
  /// A plain scalar ends at `: ` (a value follows) or ` #` (a comment): text with either needs
  /// quotes; a colon or hash inside a word does not.
  @Test(arguments: [
    ("a: b", false), ("a #b", false), ("x:", false), ("a:b", true), ("a#b", true), ("192.0.2.1/24", true),
    ("fe80::1", true), ("http://example.com/#x", true),
  ])
  func plainSafety(_ text: String, _ safe: Bool) {
    #expect(ScalarRules.isPlainSafe(text, inFlow: false) == safe)
  }

  @Test func mapsCharacterMarksToBytesAfterNonASCII() throws {
    let text = "\u{FEFF}a: 1\n# 中文注释\nb: [x, \"y\"]\n"
    let file = try YAMLFile(text: text)
    let root = try #require(file.root)
    let b = root.entries[1]
    let bytes = file.source.bytes
    #expect(String(decoding: bytes[b.key.start.offset..<b.key.endOffset], as: UTF8.self) == "b")
    #expect(b.key.start.line == 3 && b.key.start.column == 1)
    let y = b.value.items[1]
    #expect(String(decoding: bytes[y.start.offset..<y.endOffset], as: UTF8.self) == "\"y\"")
  }
}

/// libyaml counts characters; the editor needs bytes. The mapping against a direct count, on
/// texts mixing one- to four-byte characters, with and without a byte order mark.
@Suite struct CharacterOffsetTests {
  @Test func characterIndexesMapToByteOffsets() {
    let pieces = ["a", " ", "\n", "ä", "№", "中", "🙂", "é"]
    var seed: UInt64 = 42
    for round in 0..<200 {
      var text = ""
      for _ in 0..<(round % 40) {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        text += pieces[Int((seed >> 33) % UInt64(pieces.count))]
      }
      let bom: [UInt8] = round % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []
      let source = SourceText(bom + Array(text.utf8))
      var offset = bom.count
      var cursor = 0
      var offsets: [Int] = []
      for (i, character) in text.unicodeScalars.enumerated() {
        #expect(source.byteOffset(characterIndex: i) == offset, "\(text.debugDescription) index \(i)")
        #expect(source.byteOffset(characterIndex: i, cursor: &cursor) == offset)
        offsets.append(offset)
        offset += String(character).utf8.count
      }
      // In any order, the cursor only saves work.
      for i in offsets.indices.reversed() where i % 3 == 0 {
        #expect(source.byteOffset(characterIndex: i, cursor: &cursor) == offsets[i])
      }
      let count = text.unicodeScalars.count
      #expect(source.byteOffset(characterIndex: count) == bom.count + text.utf8.count)
      #expect(source.byteOffset(characterIndex: count + 5) == bom.count + text.utf8.count)
    }
  }
}
