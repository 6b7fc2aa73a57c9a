#if canImport(Glibc)
import Glibc
#endif
import NetCfgCore
@_spi(Fuzzing) import NetCfgYAML

/// One fuzz input: parse it, edit it, and prove each edit by re-parsing the result.
///
/// The bytes are the YAML file itself (so netplan files seed the corpus unchanged); which
/// edits are made is derived from a hash of the bytes, so every input replays identically.
/// Refusals (`YAMLError`, `EditError`) are fine; a crash, a sanitizer report, or an edit that
/// was accepted but does not read back as intended (`fuzzFailure`) is a finding. With
/// NETCFG_FUZZ_STRICT=1 an edit refused by its own proof ("could not prove") is one too: the
/// proof kept the file safe, but the patcher produced something else than intended.
enum FuzzTarget {
  static let editsPerInput = 4
  static let strict = getenv("NETCFG_FUZZ_STRICT").map { String(cString: $0) == "1" } ?? false

  static func run(_ bytes: [UInt8]) {
    // A split parse (the path of files from 256 KiB on) at a line the input picks: the whole
    // parse's arena, or no split.
    if let agrees = YAMLFile.splitParseAgrees(bytes, near: Int(fnv1a(bytes) % UInt64(bytes.count + 1))), !agrees {
      fuzzFailure("the split parse differs from the whole parse")
    }
    guard let file = try? YAMLFile(name: "/etc/netplan/50-fuzz.yaml", bytes: bytes) else { return }
    var rng = FuzzRandom(seed: fnv1a(bytes))
    if let root = file.root, let before = try? file.meaning() {
      var spots: [(YAMLPath, YAMLNode)] = []
      collect(root, YAMLPath([]), into: &spots, limit: 4096)
      let texts = spots.compactMap { $0.1.scalarText }.filter { !$0.isEmpty }
      for _ in 0..<editsPerInput {
        guard let edit = makeEdit(spots, texts, &rng) else { break }
        check(file, before, edit)
      }
      if !spots.isEmpty { checkPartial(file, bytes, spots[rng.below(spots.count)].0) }
    }
    netplanEdit(bytes, &rng)
  }

  /// `file.edited([edit])` either refuses or yields text that parses to what the edit means.
  static func check(_ file: YAMLFile, _ before: YAMLValue, _ edit: YAMLEdit) {
    let result: YAMLFile
    do {
      result = try file.edited([edit])
    } catch {
      // Refusing is allowed; a failed proof means the patcher produced something else.
      if strict, error.message.contains("could not prove") {
        fuzzFailure("proof failed for \(edit): \(error)")
      }
      return
    }
    guard let intended = try? before.applying(edit) else {
      fuzzFailure("\(edit) was accepted but the model of the edit refuses it")
    }
    let reparsed: YAMLFile
    do { reparsed = try YAMLFile(name: "reparse", bytes: result.source.bytes) } catch {
      fuzzFailure("\(edit): the edited text does not parse: \(error)")
    }
    guard let actual = try? reparsed.meaning(), actual.isEquivalent(to: intended) else {
      fuzzFailure("\(edit): the edited text does not read back as intended")
    }
  }

  /// The tree built along the keys of `path` only (what `get` reads) holds at their end what
  /// the whole tree holds there: the same value, starting at the same place.
  static func checkPartial(_ file: YAMLFile, _ bytes: [UInt8], _ path: YAMLPath) {
    let keys = path.components.prefix { if case .key = $0 { true } else { false } }.map { component -> String in
      if case .key(let key) = component { return key }
      return ""
    }
    guard !keys.isEmpty else { return }
    let partial: YAMLFile
    do { partial = try YAMLFile(name: file.name, bytes: bytes, only: keys) } catch {
      fuzzFailure("the whole file parses, the tree along \(keys) does not: \(error)")
    }
    let at = YAMLPath(keys.map { .key($0) })
    let whole = file.root?.node(at: at), part = partial.root?.node(at: at)
    guard let whole, let part else {
      if (whole == nil) != (part == nil) { fuzzFailure("\(at) is in only one of the whole and the partial tree") }
      return
    }
    guard whole.start == part.start, whole.contentEnd == part.contentEnd,
      (try? YAMLValue(whole)) == (try? YAMLValue(part))
    else { fuzzFailure("\(at) differs between the whole and the partial tree") }
  }

  /// Every node with its path (keys that are scalars only), up to `limit` nodes.
  static func collect(_ node: YAMLNode, _ path: YAMLPath, into spots: inout [(YAMLPath, YAMLNode)], limit: Int) {
    guard spots.count < limit else { return }
    spots.append((path, node))
    if case .mapping = node.content {
      for entry in node.entries {
        guard let key = entry.keyText else { continue }
        collect(entry.value, path.appending(.key(key)), into: &spots, limit: limit)
      }
    } else if case .sequence = node.content {
      for (i, item) in node.items.enumerated() {
        collect(item, path.appending(.index(i)), into: &spots, limit: limit)
      }
    }
  }

  static func value(_ texts: [String], _ rng: inout FuzzRandom) -> YAMLValue {
    let fromInput = texts.isEmpty ? "x" : texts[rng.below(texts.count)]
    switch rng.below(12) {
    case 0: return .string(fromInput)
    case 1: return .plain("192.0.2.10/24")
    case 2: return .bool(rng.below(2) == 0)
    case 3: return .int(rng.below(70000))
    case 4: return .null
    case 5: return .emptyMapping
    case 6: return .sequence([])
    case 7: return .sequence([.string("192.0.2.53"), .string(fromInput)])
    case 8: return .mapping([YAMLPair("to", .plain("default")), YAMLPair("via", .plain("192.0.2.1"))])
    case 9: return .mapping([YAMLPair(fromInput, .sequence([.plain("a"), .string(fromInput)]))])
    case 10: return .string(["", "a: b", "# x", "- y", "'q'", "\"", "line\nbreak", "tab\there", "ü€😀", " lead"][rng.below(10)])
    default: return .plain(fromInput)
    }
  }

  static func makeEdit(_ spots: [(YAMLPath, YAMLNode)], _ texts: [String], _ rng: inout FuzzRandom) -> YAMLEdit? {
    guard !spots.isEmpty else { return nil }
    let (path, node) = spots[rng.below(spots.count)]
    let newKey = texts.isEmpty || rng.below(2) == 0 ? "netcfg-fuzz" : texts[rng.below(texts.count)]
    switch rng.below(7) {
    case 0: return .set(path, value(texts, &rng))
    case 1: return .set(path.appending(.key(newKey)), value(texts, &rng))
    case 2: return path.isEmpty ? nil : .remove(path)
    case 3: return .append(path, value(texts, &rng))
    case 4:
      let items = node.items
      guard !items.isEmpty, let item = try? YAMLValue(items[rng.below(items.count)]) else {
        return .removeValue(path, value(texts, &rng))
      }
      return .removeValue(path, item)
    case 5: return .insert(path, index: rng.below(node.items.count + 1), value(texts, &rng))
    default: return .set(path.appending(.key("network")).appending(.key("ethernets")).appending(.key(newKey)).appending(.key("addresses")), .sequence([.plain("192.0.2.10/24")]))
    }
  }

  /// The netplan layer over the same bytes: load and validate, then `set-ip` (address,
  /// gateway, nameserver) on one device; an accepted edit must parse and carry the address.
  static func netplanEdit(_ bytes: [UInt8], _ rng: inout FuzzRandom) {
    let path = "/etc/netplan/50-fuzz.yaml"
    let config = NetplanConfiguration.load(NetplanHierarchy(files: [])).replacing([path: bytes])
    guard !config.devices.isEmpty else { return }
    let device = config.devices[rng.below(config.devices.count)]
    let six = rng.below(3) == 0
    let request = SetIPRequest(
      interface: device.id,
      addresses: [InterfaceAddress(six ? "2001:db8::77/64" : "192.0.2.77/24")!],
      gateways: [IPAddress(six ? "2001:db8::1" : "192.0.2.1")!],
      dns: [IPAddress("192.0.2.53")!],
      search: rng.below(2) == 0 ? ["example.net"] : nil,
      keepDHCP: rng.below(4) == 0, force: true)
    let changes: ChangeSet
    let target: DeviceTarget
    do {
      var editor = try NetplanEditor(config)
      target = try request.plan(&editor)
      changes = try editor.finish { request.verify($0, target) }
    } catch {
      return
    }
    var contents: [String: [UInt8]] = [:]
    for change in changes.files {
      guard let edited = try? YAMLFile(name: change.path, bytes: change.after), (try? edited.meaning()) != nil else {
        fuzzFailure("set-ip \(device.id): \(change.path) does not parse after the edit")
      }
      contents[change.path] = change.after
    }
    // Read back from the bytes alone (nothing reused): the device has the new address.
    let address = request.addresses[0].description
    let after = config.replacing(contents)
    let inForce = (after.device(target.id)?.node["addresses"]?.items ?? []).compactMap { $0.scalar ?? $0.entries.first?.key }
    if !inForce.contains(address) {
      fuzzFailure("set-ip \(device.id): \(address) is not in force after the edit (\(inForce))")
    }
  }

  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}

/// SplitMix64: small, deterministic, good enough to pick edits.
struct FuzzRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// A finding: print it and abort, so libFuzzer saves the input.
func fuzzFailure(_ message: String) -> Never {
  printError("netcfg-fuzz: FAILURE: \(message)")
  fatalError(message)
}

/// One line on standard error (fd 2: `stderr` is not concurrency-safe in Swift 6).
func printError(_ line: String) {
  let bytes = Array((line + "\n").utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
