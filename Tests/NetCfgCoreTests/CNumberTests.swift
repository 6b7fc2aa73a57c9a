import Glibc
import Testing

@testable import NetCfgCore

/// netplan reads numbers with C's strtoull/strtol: `CNumber` must read what they read, from
/// a string or a part of one, held against the C library itself.
@Suite struct CNumberTests {
  static let inputs = [
    "", " ", "0", "7", "007", "24", " 24", "\t\n24", "+5", "-1", "-0", "12abc", "abc", "-", "+", " -3 ",
    "18446744073709551615", "18446744073709551616", "99999999999999999999", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "\u{0B}\u{0C}\r 8", "4\u{301}",
  ]

  @Test func readsWhatTheCLibraryReads() {
    for text in Self.inputs {
      var end: UnsafeMutablePointer<CChar>?
      let (unsigned, unsignedConsumed) = text.withCString { start -> (UInt64, Bool) in
        errno = 0
        let value = strtoull(start, &end, 10)
        return (UInt64(value), end!.pointee == 0 && end! != UnsafeMutablePointer(mutating: start) || text.isEmpty)
      }
      let long = text.withCString { strtol($0, nil, 10) }
      let prefixed = "x/" + text
      for number in [CNumber(text), CNumber(prefixed[prefixed.utf8.index(prefixed.startIndex, offsetBy: 2)...])] {
        #expect(number.unsignedValue == unsigned, "strtoull(\"\(text)\")")
        #expect(number.longValue == Int64(long), "strtol(\"\(text)\")")
        #expect(number.consumedAll == unsignedConsumed, "end of \"\(text)\"")
      }
    }
  }
}
