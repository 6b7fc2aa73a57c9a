/// An IPv4 address, parsed exactly as inet_pton(AF_INET) does (what netplan uses): four
/// decimal octets, no leading zeros.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let value: UInt32

  public init(_ value: UInt32) { self.value = value }

  public init?(_ text: String) {
    // A native string's bytes are read in place (not one by one through its UTF-8 view).
    guard let value = text.utf8.withContiguousStorageIfAvailable({ IPv4Address.parse($0) }) ?? IPv4Address.parse(text.utf8)
    else { return nil }
    self.value = value
  }

  /// The address in dotted quads (four decimal octets without leading zeros, as inet_pton).
  private static func parse<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32? {
    var value: UInt32 = 0
    var octets = 0, digits = 0, current: UInt32 = 0
    var leadingZero = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        guard digits > 0, octets < 3 else { return nil }
        value = value << 8 | current
        octets += 1
        digits = 0
        current = 0
      } else if byte >= 0x30 && byte <= 0x39 {
        if digits == 1 && leadingZero { return nil }  // no leading zeros, as inet_pton
        if digits == 0 { leadingZero = byte == 0x30 }
        current = current * 10 + UInt32(byte - 0x30)
        digits += 1
        guard digits <= 3, current <= 255 else { return nil }
      } else {
        return nil
      }
    }
    guard octets == 3, digits > 0 else { return nil }
    return value << 8 | current
  }

  public var description: String {
    (0..<4).map { String((value >> (24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
  }

  public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv6 address, parsed as inet_pton(AF_INET6) does: groups of 1–4 hex digits, one `::`,
/// an optional dotted IPv4 tail.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The 128 bits, high then low.
  public let high: UInt64
  public let low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  public init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count >= 2, bytes.count <= 45 else { return nil }
    var head: [UInt16] = [], tail: [UInt16] = []
    var sawGap = false
    var i = 0
    if bytes[0] == UInt8(ascii: ":") {
      guard bytes[1] == UInt8(ascii: ":") else { return nil }
      sawGap = true
      i = 2
    }
    while i < bytes.count {
      // One group of 1-4 hex digits, or a dotted IPv4 tail.
      var j = i, value: UInt32 = 0
      while j < bytes.count, let digit = IPv6Address.hexValue(bytes[j]), j - i < 4 {
        value = value << 4 | UInt32(digit)
        j += 1
      }
      if j < bytes.count, bytes[j] == UInt8(ascii: ".") {
        guard let v4 = IPv4Address(String(decoding: bytes[i...], as: UTF8.self)) else { return nil }
        let pair = [UInt16(v4.value >> 16), UInt16(v4.value & 0xFFFF)]
        if sawGap { tail += pair } else { head += pair }
        i = bytes.count
        break
      }
      guard j > i else { return nil }
      if sawGap { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
      i = j
      guard i < bytes.count else { break }
      guard bytes[i] == UInt8(ascii: ":"), i + 1 < bytes.count else { return nil }
      if bytes[i + 1] == UInt8(ascii: ":") {
        guard !sawGap else { return nil }
        sawGap = true
        i += 2
      } else {
        i += 1
      }
    }
    let count = head.count + tail.count
    guard sawGap ? count <= 7 : count == 8 else { return nil }
    let all = head + Array(repeating: 0, count: 8 - count) + tail
    high = all[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
    low = all[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
  }

  private static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x61...0x66: return b - 0x61 + 10
    case 0x41...0x46: return b - 0x41 + 10
    default: return nil
    }
  }

  var groups: [UInt16] {
    (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
      + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
  }

  /// RFC 5952 text: lower case, the longest run of zero groups (2 or more) as `::`.
  public var description: String {
    let g = groups
    var bestStart = -1, bestLength = 0, i = 0
    while i < 8 {
      if g[i] == 0 {
        var j = i
        while j < 8, g[j] == 0 { j += 1 }
        if j - i > bestLength, j - i >= 2 { bestStart = i; bestLength = j - i }
        i = j
      } else { i += 1 }
    }
    func hex(_ range: Range<Int>) -> String { g[range].map { String($0, radix: 16) }.joined(separator: ":") }
    guard bestStart >= 0 else { return hex(0..<8) }
    return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
  }

  public static func < (a: IPv6Address, b: IPv6Address) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// An IPv4 or IPv6 address.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
  case v4(IPv4Address)
  case v6(IPv6Address)

  public enum Family: String, Sendable, Hashable { case ipv4, ipv6 }

  public init?(_ text: String) {
    if let v4 = IPv4Address(text) { self = .v4(v4) } else if let v6 = IPv6Address(text) { self = .v6(v6) } else {
      return nil
    }
  }

  /// `text` spelled as netcfg prints the address (IPv6 compressed), or as it is when it is
  /// none: for comparing servers written by hand with those a daemon reports.
  public static func canonical(_ text: String) -> String { IPAddress(text)?.description ?? text }

  public var family: Family {
    if case .v4 = self { return .ipv4 }
    return .ipv6
  }

  public var maxPrefixLength: Int { family == .ipv4 ? 32 : 128 }

  public var description: String {
    switch self {
    case .v4(let a): return a.description
    case .v6(let a): return a.description
    }
  }

  /// The address with all bits after the first `prefix` cleared.
  public func masked(_ prefix: Int) -> IPAddress {
    switch self {
    case .v4(let a):
      let mask: UInt32 = prefix <= 0 ? 0 : prefix >= 32 ? .max : ~(UInt32.max >> UInt32(prefix))
      return .v4(IPv4Address(a.value & mask))
    case .v6(let a):
      func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
      return .v6(IPv6Address(high: a.high & mask(prefix), low: a.low & mask(prefix - 64)))
    }
  }

  /// 224.0.0.0/4 or ff00::/8.
  public var isMulticast: Bool {
    switch self {
    case .v4(let a): return a.value >> 28 == 0xE
    case .v6(let a): return a.high >> 56 == 0xFF
    }
  }

  /// 127.0.0.0/8 or ::1.
  public var isLoopback: Bool {
    switch self {
    case .v4(let a): return a.value >> 24 == 127
    case .v6(let a): return a.high == 0 && a.low == 1
    }
  }

  public var isLinkLocal: Bool {
    switch self {
    case .v4(let a): return a.value >> 16 == 0xA9FE
    case .v6(let a): return a.high >> 54 == 0x3FA  // fe80::/10
    }
  }
}

/// An address with a prefix length, as in `addresses:` (`192.0.2.10/24`), and the network it
/// lies in.
public struct InterfaceAddress: Sendable, Hashable, CustomStringConvertible {
  public let address: IPAddress
  public let prefixLength: Int

  public init(address: IPAddress, prefixLength: Int) {
    self.address = address
    self.prefixLength = prefixLength
  }

  /// Why `text` is not a valid `ADDRESS/PREFIX`, in netplan's words.
  public enum Problem: Sendable, Hashable, Error {
    case missingPrefix, malformed, invalidPrefix

    public func message(_ text: String) -> String {
      switch self {
      case .missingPrefix: return "address '\(text)' is missing /prefixlength"
      case .malformed: return "malformed address '\(text)', must be X.X.X.X/NN or X:X:X:X:X:X:X:X/NN"
      case .invalidPrefix: return "invalid prefix length in address '\(text)'"
      }
    }
  }

  /// Parses `ADDRESS/PREFIX` as netplan does (a prefix of 0 is refused when
  /// `allowZeroPrefix` is false, as for interface addresses).
  public static func parse(_ text: String, allowZeroPrefix: Bool = false) -> Result<InterfaceAddress, Problem> {
    // The last slash byte, as netplan's strrchr finds it (not a search by characters).
    guard let slash = text.utf8.lastIndex(of: UInt8(ascii: "/")) else { return .failure(.missingPrefix) }
    guard let address = IPAddress(String(text[..<slash])) else { return .failure(.malformed) }
    // netplan reads the prefix with strtoull: spaces and a sign may lead, digits count up to
    // the first non-digit, no digits read as 0, a minus wraps around to a huge number.
    let number = CNumber(text[text.utf8.index(after: slash)...]).unsignedValue
    let prefix = number > UInt64(Int.max) ? Int.max : Int(number)
    if (prefix == 0 && !allowZeroPrefix) || prefix > address.maxPrefixLength {
      return .failure(.invalidPrefix)
    }
    return .success(InterfaceAddress(address: address, prefixLength: prefix))
  }

  public init?(_ text: String) {
    guard case .success(let value) = InterfaceAddress.parse(text) else { return nil }
    self = value
  }

  /// The network address (host bits cleared).
  public var network: IPAddress { address.masked(prefixLength) }

  /// True when `other` lies in this address's subnet.
  public func contains(_ other: IPAddress) -> Bool {
    other.family == address.family && other.masked(prefixLength) == network
  }

  /// True when the two subnets share addresses.
  public func overlaps(_ other: InterfaceAddress) -> Bool {
    guard other.address.family == address.family else { return false }
    let shorter = min(prefixLength, other.prefixLength)
    return address.masked(shorter) == other.address.masked(shorter)
  }

  public var description: String { "\(address)/\(prefixLength)" }

  /// The first and last address of the subnet, as 128-bit numbers (IPv4 in the low bits).
  public var subnetRange: ClosedRange<UInt128Value> {
    let first = UInt128Value(network)
    let hostBits = address.maxPrefixLength - prefixLength
    return first...first.settingLowBits(hostBits)
  }
}

/// A 128-bit unsigned number for address arithmetic (ordering and ranges).
public struct UInt128Value: Sendable, Hashable, Comparable {
  public var high: UInt64
  public var low: UInt64

  init(_ address: IPAddress) {
    switch address {
    case .v4(let a): high = 0; low = UInt64(a.value)
    case .v6(let a): high = a.high; low = a.low
    }
  }

  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// This value with its lowest `bits` bits set.
  func settingLowBits(_ bits: Int) -> UInt128Value {
    if bits <= 0 { return self }
    if bits >= 128 { return UInt128Value(high: .max, low: .max) }
    if bits >= 64 { return UInt128Value(high: high | (bits == 64 ? 0 : (UInt64.max >> (128 - bits))), low: .max) }
    return UInt128Value(high: high, low: low | (UInt64.max >> (64 - bits)))
  }

  public static func < (a: UInt128Value, b: UInt128Value) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
