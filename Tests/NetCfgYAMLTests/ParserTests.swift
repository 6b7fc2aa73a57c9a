import Testing
@testable import NetCfgYAML

@Suite struct ParserTests {
  @Test func mapsCharacterMarksToBytesAfterNonASCII() throws {
    let text = "\u{FEFF}a: 1\n# 中文注释\nb: [x, \"y\"]\n"
    let file = try YAMLFile(text: text)
    let root = try #require(file.root)
    let b = root.entries[1]
    let bytes = file.source.bytes
    #expect(String(decoding: bytes[b.key.start.offset..<b.key.end.offset], as: UTF8.self) == "b")
    #expect(b.key.start.line == 3 && b.key.start.column == 1)
    let y = b.value.items[1]
    #expect(String(decoding: bytes[y.start.offset..<y.end.offset], as: UTF8.self) == "\"y\"")
  }
}
