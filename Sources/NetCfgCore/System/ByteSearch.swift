import CSystemCalls

/// Byte searches with libc's memmem: no String, no _StringProcessing (whose first use costs a
/// measurable part of a short command).
enum ByteSearch {
  /// Where `needle` first occurs in `hay` at or after `from`, or nil.
  static func find(_ needle: [UInt8], in hay: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
    guard from < hay.count, let base = hay.baseAddress, !needle.isEmpty else { return nil }
    return needle.withUnsafeBytes { n in
      guard let p = netcfg_memmem(base + from, hay.count - from, n.baseAddress!, n.count) else { return nil }
      return base.distance(to: UnsafeRawPointer(p))
    }
  }

  /// True when `needle` occurs in `bytes`.
  static func contains(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBytes { find(needle, in: $0) != nil }
  }
}
