import NetCfgYAML

/// What netplan accepts at one place of its configuration. The tables in
/// `NetplanSchema+*.swift` describe netplan's whole grammar with these; `SchemaContext`
/// walks a file against them and reports every problem at its position.
public indirect enum NetplanRule: Sendable {
  /// A scalar, checked by the rule.
  case scalar(ScalarRule)
  /// A mapping with fixed keys; any other key is an error ("unknown key").
  case mapping(MappingSchema)
  /// A mapping with free keys (device ids, SSIDs, ...): each key checked by `key` (when given),
  /// each value by `value`.
  case map(key: ScalarRule?, value: NetplanRule)
  /// A sequence whose items follow the rule.
  case sequence(NetplanRule)
  /// Anything else: a check of its own.
  case custom(CustomRule)
  /// Accepted as it is (passthrough settings).
  case any
}

/// A check of a scalar's text: nil when valid, else the error message. A class, as the
/// other parts of rules: taking one out of its rule at every scalar then retains one object.
public final class ScalarRule: Sendable {
  public let name: String
  public let check: @Sendable (String) -> String?

  public init(_ name: String, _ check: @escaping @Sendable (String) -> String?) {
    self.name = name
    self.check = check
  }
}

/// The keys a mapping accepts. A class: the walk takes a mapping's schema out of its rule at
/// every mapping of a file, and a copy of a struct retained each of its parts.
public final class MappingSchema: Sendable {
  public let name: String
  public let keys: [String: NetplanRule]
  /// `keys` found by a key's bytes in the source (the lookup of every key of every file).
  let table: KeyTable

  public init(_ name: String, _ keys: [String: NetplanRule]) {
    self.name = name
    self.keys = keys
    table = KeyTable(keys)
  }

  /// This schema with more keys (later ones win), for tables built from shared parts.
  public func adding(_ more: [String: NetplanRule], name: String? = nil) -> MappingSchema {
    MappingSchema(name ?? self.name, keys.merging(more) { _, new in new })
  }
}

/// A check that needs the node itself (and may report several problems).
public final class CustomRule: Sendable {
  public let name: String
  public let check: @Sendable (YAMLNode, inout SchemaContext) -> Void

  public init(_ name: String, _ check: @escaping @Sendable (YAMLNode, inout SchemaContext) -> Void) {
    self.name = name
    self.check = check
  }
}

/// The rules of a mapping's keys, found by the bytes of a key as the source has them: no
/// string is made and none hashed (open addressing over FNV-1a of the bytes, each candidate
/// compared byte for byte).
struct KeyTable: Sendable {
  private let names: [UInt8]
  /// Per slot: -1 when empty, else the index of a key in `starts`/`rules`.
  private let slots: [Int32]
  private let starts: [Int32]
  private let rules: [NetplanRule]
  private let mask: Int

  init(_ keys: [String: NetplanRule]) {
    var size = 8
    while size < keys.count * 3 { size <<= 1 }
    var slots = [Int32](repeating: -1, count: size)
    var names: [UInt8] = [], starts: [Int32] = [0], rules: [NetplanRule] = []
    names.reserveCapacity(keys.count * 12)
    starts.reserveCapacity(keys.count + 1)
    rules.reserveCapacity(keys.count)
    // Built for every schema when the first file is checked: no copy of a key is made.
    for (key, rule) in keys {
      let start = names.count
      names.append(contentsOf: key.utf8)
      var slot = names.withUnsafeBufferPointer { KeyTable.hash(UnsafeBufferPointer(rebasing: $0[start...])) } & (size - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
      slots[slot] = Int32(rules.count)
      starts.append(Int32(names.count))
      rules.append(rule)
    }
    self.names = names
    self.slots = slots
    self.starts = starts
    self.rules = rules
    mask = size - 1
  }

  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  /// The rule of the key spelled by `bytes`, or nil when the schema has no such key.
  func rule(for bytes: UnsafeBufferPointer<UInt8>) -> NetplanRule? {
    var slot = KeyTable.hash(bytes) & mask
    return slots.withUnsafeBufferPointer { slots in
      names.withUnsafeBufferPointer { names in
        starts.withUnsafeBufferPointer { starts -> NetplanRule? in
          while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let start = Int(starts[index]), length = Int(starts[index + 1]) - start
            if length == bytes.count && (length == 0 || Bytes.equal(names.baseAddress! + start, bytes.baseAddress!, count: length)) {
              return rules[index]
            }
            slot = (slot + 1) & mask
          }
        }
      }
    }
  }
}
