import NetCfgYAML

/// The checks netplan makes once files are parsed: references between definitions, properties a
/// definition type requires, and what the renderer in charge of a definition cannot express
/// (netplan's validation.c, the cross-reference handlers of parse.c, and the errors its networkd,
/// NetworkManager and Open vSwitch generators raise). Every finding is an error, located at the
/// node that causes it, worded as netplan words it.
enum NetplanSemanticChecks {
  static func check(_ config: NetplanConfiguration) -> [Diagnostic] {
    unknown(findings(config), given: config.diagnostics)
  }

  /// Every finding once, in reading order (stable for findings at one place). Reads nothing
  /// of `config.diagnostics`, so it can run beside the grammar checks.
  static func findings(_ config: NetplanConfiguration) -> [Diagnostic] {
    guard config.network != nil else { return [] }
    var context = SemanticContext(config)
    context.checkReferences()
    context.checkMemberships()
    context.checkDefinitions()
    context.checkTunnels()
    context.checkVRFs()
    context.checkNetworkd()
    context.checkNetworkManager()
    context.checkOpenVSwitch()
    context.checkSecondPassAccessPoints()
    var seen = Set<String>()
    let found = context.diagnostics.filter { d in
      seen.insert("\(d.location?.file ?? ""):\(d.message)@\(d.location?.description ?? "")").inserted
    }
    return found.enumerated().sorted { a, b in
      let ra = a.element.location.map(context.rank) ?? (Int.max, 0, 0)
      let rb = b.element.location.map(context.rank) ?? (Int.max, 0, 0)
      return ra != rb ? ra < rb : a.offset < b.offset
    }.map(\.element)
  }

  /// `found` without the errors the per-file grammar already said (it sees duplicates
  /// within a file): same file, same message.
  static func unknown(_ found: [Diagnostic], given: [Diagnostic]) -> [Diagnostic] {
    let known = Set(given.filter { $0.severity == .error }.map { "\($0.location?.file ?? ""):\($0.message)" })
    if known.isEmpty { return found }
    return found.filter { !known.contains("\($0.location?.file ?? ""):\($0.message)") }
  }
}

/// The renderers netplan knows.
enum NetplanBackend: Sendable, Hashable {
  case networkd, networkManager, openVSwitch

  init?(renderer: String) {
    switch renderer {
    case "networkd": self = .networkd
    case "NetworkManager": self = .networkManager
    default: return nil
    }
  }
}

/// The first definition of each id among the definitions the checks read: the
/// configuration's own index when those are all its definitions (no second index of
/// thousands of ids), else one of their own.
struct DevicesByID {
  private let config: NetplanConfiguration
  private let own: [String: NetplanDevice]?

  init(_ config: NetplanConfiguration, _ devices: [NetplanDevice]) {
    self.config = config
    if devices.count == config.devices.count {
      own = nil
    } else {
      var own: [String: NetplanDevice] = [:]
      own.reserveCapacity(devices.count)
      // The first definition of each id: written last, backwards.
      for device in devices.reversed() { own[device.id] = device }
      self.own = own
    }
  }

  subscript(id: String) -> NetplanDevice? {
    if let own { return own[id] }
    return config.device(id)
  }
}

/// The merged configuration, indexed for the semantic checks, and the findings so far.
struct SemanticContext {
  let config: NetplanConfiguration
  /// Definitions (the `renderer` key of a type section excluded), in netplan's order.
  let devices: [NetplanDevice]
  /// The first definition of each id (`byID[id]`).
  let byID: DevicesByID
  /// Position of each file in netplan's reading order.
  let fileOrder: [String: Int]
  /// Patch ports declared in `openvswitch: ports:`, with where each is first named.
  let ovsPorts: [String: SourceLocation]
  /// The backend each definition chose itself (renderer key, Open vSwitch settings), if any.
  private(set) var explicitBackends: [String: NetplanBackend] = [:]
  /// The global `renderer:` after all files (`globalBackend()`), asked for each definition.
  private var finalGlobalBackend: NetplanBackend?
  /// `references()`.
  private(set) var allReferences: [NetplanReference] = []
  var diagnostics: [Diagnostic] = []

  init(_ config: NetplanConfiguration) {
    self.config = config
    var order: [String: Int] = [:]
    for (i, file) in config.hierarchy.files.enumerated() { order[file.path] = i }
    fileOrder = order
    let devices = config.devices.filter(\.node.isMapping)
    self.devices = devices
    byID = DevicesByID(config, devices)
    var ports: [String: SourceLocation] = [:]
    for pair in config.network?["openvswitch"]?["ports"]?.items ?? [] {
      for port in pair.items {
        guard let name = port.scalar, ports[name] == nil else { continue }
        ports[name] = port.location
      }
    }
    ovsPorts = ports
    finalGlobalBackend = globalBackend(asOf: nil)
    explicitBackends = computeExplicitBackends()
    allReferences = findReferences()
  }

  // MARK: Reporting

  mutating func error(_ message: String, code: String, at location: SourceLocation?, notes: [String] = []) {
    diagnostics.append(.error(message, code: code, at: location, notes: notes))
  }

  // MARK: Order of reading

  /// Where `location` falls in netplan's reading order (file, then position).
  func rank(_ location: SourceLocation) -> (Int, Int, Int) {
    (fileOrder[location.file] ?? Int.max, location.line, location.column)
  }

  func precedes(_ a: SourceLocation, _ b: SourceLocation) -> Bool { rank(a) < rank(b) }

  func fileIndex(_ location: SourceLocation) -> Int { fileOrder[location.file] ?? Int.max }

  /// Where `id` is first defined (device key or Open vSwitch port), nil when nowhere.
  func definitionLocation(_ id: String) -> SourceLocation? {
    var candidates: [SourceLocation] = []
    if let device = byID[id] { candidates += device.keyLocations }
    if let port = ovsPorts[id] { candidates.append(port) }
    return candidates.min { precedes($0, $1) }
  }

  /// True when netplan knows `id` by the time it has read the file of `location`: definitions
  /// in that file count wherever they are (netplan reads a file until its references settle),
  /// definitions in later files do not.
  func isDefined(_ id: String, asOf location: SourceLocation) -> Bool {
    guard let defined = definitionLocation(id) else { return false }
    return fileIndex(defined) <= fileIndex(location)
  }

  // MARK: Backends

  /// The global `renderer:` as netplan knows it when it reaches `location` (within its file too).
  func globalBackend(before location: SourceLocation) -> NetplanBackend? {
    guard let renderer = config.network?["renderer"] else { return nil }
    let value = renderer.contributions.last { precedes($0.location, location) }?.scalar
    return value.flatMap(NetplanBackend.init(renderer:))
  }

  /// The global `renderer:` as netplan knows it after reading the file of `location` (all files
  /// when nil).
  func globalBackend(asOf location: SourceLocation? = nil) -> NetplanBackend? {
    guard let renderer = config.network?["renderer"] else { return nil }
    let limit = location.map(fileIndex) ?? Int.max
    let value = renderer.contributions.last { fileIndex($0.location) <= limit }?.scalar
    return value.flatMap(NetplanBackend.init(renderer:))
  }

  /// The backend that renders `device`: its own choice, else the global renderer, else networkd.
  func backend(_ device: NetplanDevice) -> NetplanBackend {
    // Most configurations choose no backend per definition: no lookup for them.
    (explicitBackends.isEmpty ? nil : explicitBackends[device.id]) ?? finalGlobalBackend ?? .networkd
  }

  /// The backend in force for `device` while netplan reads the file of `location`.
  func backend(_ device: NetplanDevice, asOf location: SourceLocation) -> NetplanBackend {
    explicitBackends[device.id] ?? globalBackend(asOf: location) ?? .networkd
  }

  private func computeExplicitBackends() -> [String: NetplanBackend] {
    var out: [String: NetplanBackend] = [:]
    // Each type section's `renderer:`, read once (not once per definition of the type).
    var sectionRenderers: [String: NetplanNode] = [:]
    for section in config.network?.entries ?? [] {
      if let renderer = section.value["renderer"] { sectionRenderers[section.key] = renderer }
    }
    for device in devices {
      let type = device.type
      if type == "nm-devices" {
        out[device.id] = .networkManager
        continue
      }
      // The latest of the settings that pick a backend wins, as netplan applies them in order.
      var latest: (at: SourceLocation, backend: NetplanBackend)?
      func choose(_ at: SourceLocation, _ backend: NetplanBackend) {
        if latest == nil || precedes(latest!.at, at) { latest = (at, backend) }
      }
      if let renderer = device.entry(.renderer), let text = renderer.value.scalar,
        let backend = NetplanBackend(renderer: text)
      {
        choose(renderer.lastKeyLocation, backend)
      }
      if let ovs = device.entry(.openvswitch) {
        let keys = ovs.value.entries.map(\.key)
        let dataOnly = !keys.isEmpty && keys.allSatisfy { $0 == "external-ids" || $0 == "other-config" }
        if type == "bonds" || type == "bridges" || !dataOnly {
          choose(ovs.lastKeyLocation, .openVSwitch)
        }
      }
      if type == "bonds", let mode = device[.parameters]?["mode"], mode.scalar == "balance-tcp" || mode.scalar == "balance-slb" {
        choose(mode.location, .openVSwitch)
      }
      if let latest {
        out[device.id] = latest.backend
      } else if !sectionRenderers.isEmpty, let renderer = sectionRenderers[type], let first = device.keyLocations.first {
        // A type's `renderer:` applies to the definitions that follow it in the same file.
        let written = renderer.contributions.last {
          $0.location.file == first.file && precedes($0.location, first)
        }
        if let text = written?.scalar, let backend = NetplanBackend(renderer: text) { out[device.id] = backend }
      }
    }
    // Bonds and bridges holding an Open vSwitch interface, and VLANs on one, are Open vSwitch too.
    guard !ovsPorts.isEmpty || out.values.contains(.openVSwitch) else { return out }
    var changed = true
    while changed {
      changed = false
      for device in devices where device.type == "bonds" || device.type == "bridges" || device.type == "vlans" {
        guard out[device.id] != .openVSwitch, !device.has(.renderer) else { continue }
        var ovs = false
        if device.type != "vlans" {
          ovs = device[.interfaces]?.items.contains { item in
            guard let name = item.scalar else { return false }
            return out[name] == .openVSwitch || (byID[name] == nil && ovsPorts[name] != nil)
          } ?? false
        } else if let link = device[.link]?.scalar {
          ovs = out[link] == .openVSwitch
        }
        if ovs {
          out[device.id] = .openVSwitch
          changed = true
        }
      }
    }
    return out
  }

  // MARK: Node helpers

  func entry(_ node: NetplanNode, _ key: String) -> NetplanEntry? {
    node.entry(key)
  }

  /// Where to point for a property of `device`: the key when written, else the definition.
  /// Where netplan reports a problem of a whole definition: the start of its body in the
  /// first file that defines it (netplan checks each definition as that file is read).
  func body(_ device: NetplanDevice, in file: String? = nil) -> SourceLocation {
    guard let file else { return device.node.location }
    return device.node.contributions.first { $0.location.file == file }?.location ?? device.node.location
  }

  /// A problem of one definition, reported where netplan reports it (its body), with a note
  /// pointing at the value at fault.
  mutating func definitionError(
    _ message: String, code: String, _ device: NetplanDevice, value: SourceLocation? = nil,
    inFile file: String? = nil, notes: [String] = []
  ) {
    var notes = notes
    let at = body(device, in: file)
    if let value, value != at { notes.insert("the value at fault is at \(value)", at: 0) }
    error(message, code: code, at: at, notes: notes)
  }

  func location(_ device: NetplanDevice, _ key: String? = nil) -> SourceLocation? {
    if let key, let at = device.node.entry(key)?.lastKeyLocation { return at }
    return device.keyLocations.first
  }

  /// True when `key` of `device` is written in a file read no later than the file where the
  /// device is first defined (netplan checks each definition as soon as a file defines it).
  func presentAtFirstDefinition(_ device: NetplanDevice, _ key: String, in node: NetplanNode? = nil) -> Bool {
    guard let first = device.keyLocations.min(by: { precedes($0, $1) }),
      let written = entry(node ?? device.node, key)?.keyLocations.min(by: { precedes($0, $1) })
    else { return false }
    return fileIndex(written) <= fileIndex(first)
  }

  /// A scalar read as netplan's unsigned integers (nil when it is none: the grammar says so).
  static func unsigned(_ node: NetplanNode?) -> UInt64? {
    guard let text = node?.scalar else { return nil }
    return UInt64(text)
  }

  static func bool(_ node: NetplanNode?) -> Bool? {
    node?.scalar.flatMap(NetplanBool.parse)
  }

  static func devices(_ all: [NetplanDevice], ofType type: String) -> [NetplanDevice] {
    all.filter { $0.type == type }
  }
}
