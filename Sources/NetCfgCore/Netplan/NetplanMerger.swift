import NetCfgYAML

/// Merges netplan files the way netplan does: later files amend earlier ones; scalars are
/// replaced, mappings merged key by key, sequences appended (identical addresses and routes
/// only once). A device defined again under another type is an error.
struct NetplanMerger {
  static let deviceTypes: Set<String> = [
    "ethernets", "bonds", "bridges", "vlans", "wifis", "tunnels", "vrfs", "modems",
    "dummy-devices", "virtual-ethernets", "nm-devices",
  ]
  /// Sequences whose identical items netplan keeps once: a device's addresses and routes (but
  /// not `nameservers.addresses`, whose repeats netplan keeps).
  static func isDeduplicated(_ key: String?, parent: String?) -> Bool {
    (key == "addresses" && parent != "nameservers") || key == "routes"
  }

  private(set) var root: NetplanNode?
  /// The files added (root and file), for the device type check (`diagnostics`).
  private var added: [(node: YAMLNode, file: YAMLFile)] = []
  /// The device types the files define devices under.
  private var deviceTypesSeen: Set<String> = []

  /// Only the nodes on this path and below it are merged (nil: all): what a reader of one
  /// value needs, without converting thousands of other definitions.
  var scope: YAMLPath?
  /// False while adding a file without any `&`: nothing skipped can define an anchor.
  private var mayHaveAnchors = true

  /// Adds one parsed file (whose root is a mapping).
  mutating func add(_ file: YAMLFile) {
    guard let node = file.root else { return }
    var anchors: [String: YAMLNode] = [:]
    mayHaveAnchors = file.mayHaveAnchors
    let incoming = convert(node, FileNames.shared.id(file.name), &anchors, scope: scope.map { $0.components[...] })
    added.append((node, file))
    if let network = Self.network(of: node) {
      for section in network.entries {
        if let type = section.keyText, Self.deviceTypes.contains(type) { deviceTypesSeen.insert(type) }
      }
    }
    if let root { self.root = merge(root, incoming, key: nil) } else { root = incoming }
  }

  /// What merging found: each device id that changes type, at its key in the later file
  /// (in file order). Only looked for when devices are defined under two types or more:
  /// with one, no id can change type (and thousands of ids need no table).
  var diagnostics: [Diagnostic] {
    guard deviceTypesSeen.count > 1 else { return [] }
    var deviceTypeOf: [String: String] = [:]
    var found: [Diagnostic] = []
    for (node, file) in added { Self.checkDeviceTypes(node, file, &deviceTypeOf, &found) }
    return found
  }

  /// The `network` mapping of a file's root (its last, as netplan reads repeated keys).
  private static func network(of node: YAMLNode) -> YAMLNode? {
    node.entries.last(where: { $0.keyText == "network" })?.value
  }

  /// Reports a device id that changes type (`deviceTypeOf`: id → the type it was first
  /// defined under, so far), at its key in the later file.
  private static func checkDeviceTypes(
    _ node: YAMLNode, _ file: YAMLFile, _ deviceTypeOf: inout [String: String], _ diagnostics: inout [Diagnostic]
  ) {
    guard let network = network(of: node) else { return }
    for section in network.entries {
      guard let type = section.keyText, Self.deviceTypes.contains(type) else { continue }
      for device in section.value.entries {
        guard let id = device.keyText, id != "renderer" else { continue }  // the type's renderer
        // One lookup for an id met first (the usual case); the first type is kept.
        if let previous = deviceTypeOf.updateValue(type, forKey: id), previous != type {
          deviceTypeOf[id] = previous
          diagnostics.append(
            Diagnostic(
              .error, "Updated definition '\(id)' changes device type", code: "device-type-changed",
              at: SourceLocation(file: file.name, line: device.key.start.line, column: device.key.start.column),
              sourceLine: file.source.lineText(device.key.start.line - 1),
              notes: ["'\(id)' was defined under '\(previous)' before; a device keeps its type across files"]))
        }
      }
    }
  }

  /// `scope`: the rest of the path to keep (nil: everything). A mapping keeps only the
  /// entries of its next key (every occurrence: repeated keys merge); anything else that
  /// the path goes through (a sequence, which merges by appending) is kept whole.
  private func convert(
    _ node: YAMLNode, _ file: UInt32, _ anchors: inout [String: YAMLNode], scope: ArraySlice<YAMLPath.Component>? = nil
  ) -> NetplanNode {
    var node = node
    // In a file without `&` no alias has a target (it stays an alias, read as null below).
    if mayHaveAnchors {
      if let anchor = node.anchor { anchors[anchor] = node }
      if case .alias(let name) = node.content, let target = anchors[name] { node = target }
    }
    // Written once, in this file, and read the same in place: not copied (a file with
    // anchors is converted whole, aliases resolved).
    if !mayHaveAnchors, scope?.isEmpty ?? true, NetplanNode.canRefer(node) {
      return NetplanNode(referring: node, fileID: file)
    }
    let location = SourceLocation(fileID: file, line: node.start.line, column: node.start.column)
    let content: NetplanNode.Content
    switch node.content {
    case .scalar(let text, let style):
      content = .scalar(NetplanNode.scalar(node, text, style))
    case .alias:
      content = .scalar(YAMLScalar("", isString: false))
    case .sequence(let items, _):
      content = .sequence(items.map { convert($0, file, &anchors) })
    case .mapping(let entries, _):
      var out: [NetplanEntry] = []
      out.reserveCapacity(entries.count)
      var position = KeyPositions(expected: entries.count)
      var wanted: String?
      if case .key(let key)? = scope?.first { wanted = key }
      for entry in entries {
        guard let key = entry.keyText else { continue }
        // Anchors are recorded in document order: a skipped entry may define one.
        if let wanted, key != wanted {
          if mayHaveAnchors { recordAnchors(entry.value, &anchors) }
          continue
        }
        let keyLocation = SourceLocation(fileID: file, line: entry.key.start.line, column: entry.key.start.column)
        let value = convert(entry.value, file, &anchors, scope: wanted == nil ? nil : scope?.dropFirst())
        // A key repeated in one file: the last one wins, as in netplan.
        if let i = position.findOrAdd(key, at: out.count, in: out) {
          out[i].laterKeyLocations.append(keyLocation)
          out[i].value = merge(out[i].value, value, key: key, sameFile: true)
        } else {
          out.append(NetplanEntry(key: key, keyLocation: keyLocation, value: value))
        }
      }
      // The positions found are the mapping's key index (for a device section, thousands of ids).
      return NetplanNode(mapping: out, location: location, keyIndex: position.table)
    }
    return NetplanNode(content: content, location: location)
  }

  /// Records the anchors below a node that a scoped conversion skips, as `convert` would
  /// have (values and items, in document order), for aliases after it.
  private func recordAnchors(_ node: YAMLNode, _ anchors: inout [String: YAMLNode]) {
    if let anchor = node.anchor { anchors[anchor] = node }
    switch node.content {
    case .mapping(let entries, _): for entry in entries where entry.keyText != nil { recordAnchors(entry.value, &anchors) }
    case .sequence(let items, _): for item in items { recordAnchors(item, &anchors) }
    case .scalar, .alias: break
    }
  }

  /// `later` merged into `earlier`.
  private func merge(
    _ earlier: NetplanNode, _ later: NetplanNode, key: String?, parent: String? = nil, sameFile: Bool = false
  ) -> NetplanNode {
    let history = earlier.contributions.map { c -> Contribution in
      var c = c
      if later.isScalarLike || earlier.isScalarLike { c.overridden = true }
      return c
    } + later.contributions
    switch (earlier.content, later.content) {
    case (.mapping(let a), .mapping(let b)):
      var merged = a
      var position = KeyPositions(expected: a.count + b.count)
      for (i, entry) in a.enumerated() where position.find(entry.key, in: merged) == nil { position.add(entry.key, at: i) }
      for entry in b {
        if let i = position.find(entry.key, in: merged) {
          merged[i].laterKeyLocations += entry.keyLocations
          merged[i].value = merge(merged[i].value, entry.value, key: entry.key, parent: key)
        } else {
          position.add(entry.key, at: merged.count)
          merged.append(entry)
        }
      }
      return NetplanNode(content: .mapping(merged), location: earlier.location, contributions: history)
    case (.sequence(let a), .sequence(let b)) where !sameFile:
      var merged = a
      for item in b {
        if Self.isDeduplicated(key, parent: parent), merged.contains(where: { $0.value.isEquivalent(to: item.value) }) {
          continue
        }
        merged.append(item)
      }
      return NetplanNode(content: .sequence(merged), location: earlier.location, contributions: history)
    default:
      var replaced = later
      replaced.contributions = history
      return replaced
    }
  }
}

/// Finds keys among mapping entries: a linear scan for the usual handful of keys, a hash
/// table for device sections with thousands of ids.
struct KeyPositions {
  /// Each key's first position (nil: few keys, found by a scan).
  private(set) var table: [String: Int]?

  init(expected: Int) { table = expected > 16 ? Dictionary(minimumCapacity: expected) : nil }

  func find(_ key: String, in entries: [NetplanEntry]) -> Int? {
    if let table { return table[key] }
    return entries.firstIndex { $0.key == key }
  }

  mutating func add(_ key: String, at index: Int) { table?[key] = index }

  /// The position of `key` when it is already among `entries`; else nil, and `key` is
  /// recorded at `index` (where the caller appends it). One lookup for a new key.
  mutating func findOrAdd(_ key: String, at index: Int, in entries: [NetplanEntry]) -> Int? {
    guard table != nil else { return entries.firstIndex { $0.key == key } }
    guard let found = table!.updateValue(index, forKey: key) else { return nil }
    table![key] = found
    return found
  }
}
