import Foundation

/// netplan's corpus (Tests/Fixtures/netplan-corpus, or $NETCFG_CORPUS): 813 real netplan
/// configs and YAML probes.
enum Corpus {
  static var directory: URL {
    if let env = ProcessInfo.processInfo.environment["NETCFG_CORPUS"] {
      return URL(fileURLWithPath: env)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/netplan-corpus")
  }

  /// Every YAML file of the corpus (relative paths, sorted).
  static let files: [String] = {
    let base = directory
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    var out: [String] = []
    while let path = walker.nextObject() as? String {
      if path.hasSuffix(".yaml") || path.contains(".extra__") { out.append(path) }
    }
    return out.sorted()
  }()

  static func bytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(relative)))
  }
}

/// A small deterministic PRNG (SplitMix64), so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// FNV-1a, a stable seed from a file name.
func stableHash(_ text: String) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
  return h
}
