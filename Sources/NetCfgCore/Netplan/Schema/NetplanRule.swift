import NetCfgYAML

/// What netplan accepts at one place of its configuration. The tables in
/// `NetplanSchema+*.swift` describe netplan's whole grammar with these; `SchemaContext`
/// walks a file against them and reports every problem at its position.
///
/// Only the cases that hold a rule are boxed (`indirect`): the others hold one object, so a
/// rule taken out of a table and checked retains that object alone.
public enum NetplanRule: Sendable {
  /// A scalar, checked by the rule.
  case scalar(ScalarRule)
  /// A mapping with fixed keys; any other key is an error ("unknown key").
  case mapping(MappingSchema)
  /// A mapping with free keys (device ids, SSIDs, ...): each key checked by `key` (when given),
  /// each value by `value`.
  indirect case map(key: ScalarRule?, value: NetplanRule)
  /// A sequence whose items follow the rule.
  indirect case sequence(NetplanRule)
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
  let table: KeyTable<NetplanRule>

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

/// Values by key (a mapping's keys' rules, a definition's keys' bits), found by the bytes of
/// a key as the source has them: no string is made and none hashed (open addressing over
/// FNV-1a of the bytes, each candidate compared byte for byte).
struct KeyTable<Value: Sendable>: Sendable {
  private let names: [UInt8]
  /// Per slot: -1 when empty, else the index of a key in `starts`/`values`.
  private let slots: [Int32]
  private let starts: [Int32]
  private let values: [Value]
  private let mask: Int

  init(_ keys: [String: Value]) {
    var size = 8
    while size < keys.count * 3 { size <<= 1 }
    var slots = [Int32](repeating: -1, count: size)
    var names: [UInt8] = [], starts: [Int32] = [0], values: [Value] = []
    names.reserveCapacity(keys.count * 12)
    starts.reserveCapacity(keys.count + 1)
    values.reserveCapacity(keys.count)
    // Built for every schema when the first file is checked: no copy of a key is made.
    for (key, value) in keys {
      let start = names.count
      names.append(contentsOf: key.utf8)
      var slot = names.withUnsafeBufferPointer { KeyHash.fnv1a(UnsafeBufferPointer(rebasing: $0[start...])) } & (size - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
      slots[slot] = Int32(values.count)
      starts.append(Int32(names.count))
      values.append(value)
    }
    self.names = names
    self.slots = slots
    self.starts = starts
    self.values = values
    mask = size - 1
  }

  /// The value of the key spelled by `bytes`, or nil when the table has no such key.
  func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    var slot = KeyHash.fnv1a(bytes) & mask
    return slots.withUnsafeBufferPointer { slots in
      names.withUnsafeBufferPointer { names in
        starts.withUnsafeBufferPointer { starts -> Value? in
          while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let start = Int(starts[index]), length = Int(starts[index + 1]) - start
            if length == bytes.count && (length == 0 || Bytes.equal(names.baseAddress! + start, bytes.baseAddress!, count: length)) {
              return values[index]
            }
            slot = (slot + 1) & mask
          }
        }
      }
    }
  }
}

/// FNV-1a over a key's bytes (`KeyTable`).
enum KeyHash {
  static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}
