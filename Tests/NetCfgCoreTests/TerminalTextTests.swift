import Testing

@testable import NetCfgCore

/// `TerminalText.isPrintableASCII`, eight bytes at a time, says what a walk over the bytes says.
@Suite struct TerminalTextTests {
  static func reference(_ bytes: [UInt8]) -> Bool {
    bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }
  }

  static func check(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { TerminalText.isPrintableASCII($0) } }

  @Test func everyByteValueAtEveryPlaceOfAWord() {
    for value in UInt8.min...UInt8.max {
      for length in [1, 7, 8, 9, 16, 17] {
        for position in 0..<length {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
          bytes[position] = value
          #expect(Self.check(bytes) == Self.reference(bytes), "\(value) at \(position) of \(length)")
        }
      }
    }
  }

  @Test func randomMixes() {
    let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x9B, 0xC3, 0xFF]
    var generator = SystemRandomNumberGenerator()
    for length in 0..<40 {
      for _ in 0..<200 {
        // Mostly printable, so that words of nothing else occur too.
        let bytes = (0..<length).map { _ in
          Int.random(in: 0..<4, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0x20...0x7E, using: &generator)
        }
        #expect(Self.check(bytes) == Self.reference(bytes), "\(bytes)")
      }
    }
  }
}
