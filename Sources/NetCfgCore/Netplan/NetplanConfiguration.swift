import NetCfgYAML

/// A host's netplan configuration as netplan reads it: the files, their merged content with
/// provenance, and everything found wrong with them.
public struct NetplanConfiguration: Sendable {
  public var hierarchy: NetplanHierarchy
  /// Parsed files by path (in force and shadowed ones); files that do not parse are absent.
  public var parsed: [String: YAMLFile]
  /// The merged configuration (its root mapping holds `network`), nil when no file has any.
  public var merged: NetplanNode?
  public var diagnostics: [Diagnostic]
  /// Whether cloud-init's network configuration was found disabled (kept for reloads).
  public var cloudInitNetworkDisabled = false
  /// The netplan whose rules the configuration was checked against.
  public var netplanVersion: NetplanVersion = .v1_1
  /// Whether Open vSwitch's `ovs-vsctl` is installed (netplan refuses OVS settings without it).
  public var ovsInstalled = true

  /// Whether the configuration was checked (`validate`); `diagnostics` then holds every
  /// finding, else only what reading and merging found (parse errors, device type changes).
  public private(set) var isValidated = true

  /// Reads and merges the hierarchy below `fs.root`. `validate: false` skips the grammar and
  /// cross-device checks, for commands that only read values or check their own result.
  /// `version`: the rules to check by; nil: those of the netplan installed below the root.
  public static func load(
    _ fs: FileSystem, validate: Bool = true, version: NetplanVersion? = nil
  ) throws(FileSystemError) -> NetplanConfiguration {
    load(
      try NetplanHierarchy.load(fs), cloudInitNetworkDisabled: CloudInit.networkConfigDisabled(fs), validate: validate,
      version: version ?? NetplanVersion.installed(fs).version, ovsInstalled: fs.exists("/usr/bin/ovs-vsctl"))
  }

  /// Reads the hierarchy below `fs.root` for the value at `path` alone: `merged` holds that
  /// path and what lies below it, `devices` only definitions on it, nothing is checked
  /// beyond reading and merging. For `get`: one value out of thousands of definitions.
  public static func load(_ fs: FileSystem, only path: YAMLPath) throws(FileSystemError) -> NetplanConfiguration {
    load(try NetplanHierarchy.load(fs), validate: false, scope: path)
  }

  /// Larger netplan files are refused with a located error (reading one whole would take
  /// memory and time out of all proportion to any real configuration).
  public static let maximumFileSize = 16 << 20

  /// `reusing`: files already parsed (by path); one is used when its bytes are the file's.
  /// `scope`: merge only this path (see `load(_:only:)`; nothing is checked then).
  /// `parallel`: whether the grammar checks run on a thread beside merging (nil: from
  /// `parallelThreshold` bytes on); the findings are the same either way.
  public static func load(
    _ hierarchy: NetplanHierarchy, cloudInitNetworkDisabled: Bool = false, reusing: [String: YAMLFile] = [:],
    validate: Bool = true, version: NetplanVersion = .v1_1, ovsInstalled: Bool = true, scope: YAMLPath? = nil,
    parallel: Bool? = nil
  ) -> NetplanConfiguration {
    let validate = validate && scope == nil  // a part of the configuration cannot be checked
    // Scoped: the files' trees too are built only along the path's keys.
    let scopeKeys = scope.map { path in
      Array(path.components.prefix { if case .key = $0 { true } else { false } }.map { if case .key(let k) = $0 { k } else { "" } })
    }
    var parsed: [String: YAMLFile] = [:]
    func parse(_ source: NetplanSourceFile) throws(YAMLError) -> YAMLFile {
      if source.bytes.count > maximumFileSize {
        throw YAMLError(
          file: source.path, line: 1, column: 1,
          message: "the file is larger than \(maximumFileSize >> 20) MiB; netcfg reads netplan files of up to \(maximumFileSize >> 20) MiB (a 10,000-device file is about 2.5 MiB)")
      }
      if let file = reusing[source.path], file.source.bytes == source.bytes { return file }
      return try YAMLFile(name: source.path, bytes: source.bytes, only: scopeKeys)
    }
    for source in hierarchy.shadowed {
      parsed[source.path] = try? parse(source)
    }
    // Each file in force: what reading it found (a parse error, several documents) or, for
    // the files netplan reads, the slot of its grammar findings; all in file order.
    var perFile: [[Diagnostic]] = []
    var read: [(slot: Int, file: YAMLFile)] = []
    for source in hierarchy.files {
      let file: YAMLFile
      do {
        file = try parse(source)
      } catch {
        perFile.append([Diagnostic(error)])
        continue
      }
      parsed[source.path] = file
      if file.documents.count > 1 {
        perFile.append([
          .warning(
            "the file holds \(file.documents.count) YAML documents; netplan reads nothing from it",
            code: "several-documents", at: SourceLocation(file: source.path, line: 1, column: 1))
        ])
        continue
      }
      read.append((perFile.count, file))
      perFile.append([])
    }
    // The grammar checks need only the parsed files; merging and the checks of the merged
    // whole need nothing of them: on a large configuration the two run at once.
    let parsedFiles = parsed
    let files = read.map(\.file)
    let build = { @Sendable () -> NetplanConfiguration in
      var merger = NetplanMerger()
      merger.scope = scope
      for file in files { merger.add(file) }
      var configuration = NetplanConfiguration(
        hierarchy: hierarchy, parsed: parsedFiles, merged: merger.root, diagnostics: merger.diagnostics)
      configuration.indexDevices(findingKeys: validate)
      configuration.cloudInitNetworkDisabled = cloudInitNetworkDisabled
      configuration.netplanVersion = version
      configuration.ovsInstalled = ovsInstalled
      configuration.isValidated = validate
      return configuration
    }
    let grammar = { @Sendable () -> [[Diagnostic]] in
      files.map { NetplanValidator.check($0, version: version) }
    }
    var configuration: NetplanConfiguration
    var found: NetplanValidator.Findings = ([], [])
    var checked: [[Diagnostic]] = []
    if validate && (parallel ?? (files.reduce(0, { $0 + $1.source.bytes.count }) >= parallelThreshold)) {
      (configuration, found, checked) = NetplanValidator.checkConcurrently(
        build: build, grammar: grammar, cloudInitNetworkDisabled: cloudInitNetworkDisabled)
    } else {
      configuration = build()
      if validate {
        found = NetplanValidator.findings(configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled)
        checked = grammar()
      }
    }
    for (i, diagnostics) in checked.enumerated() { perFile[read[i].slot] = diagnostics }
    configuration.diagnostics = perFile.flatMap { $0 } + configuration.diagnostics
    if validate {
      configuration.diagnostics += NetplanValidator.combine(found, given: configuration.diagnostics, version)
    }
    configuration.attachSourceLines()
    return configuration
  }

  /// From this many bytes of netplan files on, the grammar checks run on a thread of their
  /// own beside merging (below it, starting the thread costs more than it saves).
  static let parallelThreshold = 64 << 10

  /// Gives every located diagnostic the text of its line, for the caret display.
  private mutating func attachSourceLines() {
    for i in diagnostics.indices where diagnostics[i].sourceLine == nil {
      guard let location = diagnostics[i].location, let file = parsed[location.file] else { continue }
      diagnostics[i].sourceLine = file.source.lineText(location.line - 1)
    }
  }

  /// The same configuration with some files replaced or added (path → parsed new content),
  /// checked anew; the files not replaced are not parsed again.
  public func replacing(_ replaced: [String: YAMLFile]) -> NetplanConfiguration {
    replacing(replaced.mapValues(\.source.bytes), reusing: replaced)
  }

  /// The same configuration with some files replaced or added (path → bytes), checked anew.
  public func replacing(_ contents: [String: [UInt8]], reusing replaced: [String: YAMLFile] = [:]) -> NetplanConfiguration {
    var files = hierarchy.files
    for (path, bytes) in contents {
      if let i = files.firstIndex(where: { $0.path == path }) {
        files[i].bytes = bytes
      } else if let dir = NetplanDirectory.allCases.first(where: { path.hasPrefix($0.rawValue + "/") }) {
        let name = String(path.dropFirst(dir.rawValue.count + 1))
        files.append(NetplanSourceFile(path: path, directory: dir, name: name, bytes: bytes,
          info: FileInfo(mode: 0o600, owner: 0, group: 0, isRegular: true, isDirectory: false, isSymlink: false)))
      }
    }
    // A new name may shadow or be shadowed like any other.
    return NetplanConfiguration.load(
      NetplanHierarchy.arranging(files + hierarchy.shadowed), cloudInitNetworkDisabled: cloudInitNetworkDisabled,
      reusing: parsed.merging(replaced) { _, new in new }, version: netplanVersion, ovsInstalled: ovsInstalled)
  }

  /// The merged `network` mapping.
  public var network: NetplanNode? {
    assert(!isReleased, "the merged view was released (NetplanEditor.releaseMergedView) and is read again")
    return merged?["network"]
  }

  /// Every device definition, in netplan's order of types and then of ids.
  public private(set) var devices: [NetplanDevice] = []
  private var deviceIndex: [String: Int] = [:]

  /// `findingKeys`: whether each definition's `DeviceKey`s are found now (for the checks;
  /// a reading that is not checked leaves them to be looked up when asked).
  private mutating func indexDevices(findingKeys: Bool) {
    devices = []
    deviceIndex = [:]
    guard let network else { return }
    for section in network.entries where NetplanMerger.deviceTypes.contains(section.key) {
      // `renderer:` under a type sets that type's renderer; it is not a device.
      for entry in section.value.entries where entry.key != "renderer" {
        devices.append(
          NetplanDevice(id: entry.key, type: section.key, node: entry.value, keyLocations: entry.keyLocations, findingKeys: findingKeys))
      }
    }
    // The first definition of each id: written last, backwards (one lookup per definition).
    deviceIndex.reserveCapacity(devices.count)
    for i in devices.indices.reversed() { deviceIndex[devices[i].id] = i }
  }

  public func device(_ id: String) -> NetplanDevice? {
    assert(!isReleased, "the merged view was released (NetplanEditor.releaseMergedView) and is read again")
    return deviceIndex[id].map { devices[$0] }
  }

  /// Set by `release`: a read of the merged view after it is a planning mistake (caught by
  /// the assertion in debug builds, the tests' builds).
  private var isReleased = false

  /// Frees the merged view and the parsed trees of `paths` (an editor's first reading, once
  /// its edits are made: the result is merged anew, and at 10,000 devices each merged view
  /// and tree is tens of MiB); the files' bytes stay.
  public mutating func release(parsedFiles paths: some Sequence<String>) {
    isReleased = true
    merged = nil
    devices = []
    deviceIndex = [:]
    for path in paths { parsed[path] = nil }
  }
}

/// One device definition of the merged configuration. A class: the checks pass thousands of
/// definitions around many times over, and copying one as a value retained each of its
/// parts every time (a sixth of `validate`'s time at 10,000 devices).
public final class NetplanDevice: Sendable {
  public let id: String
  /// The section it is defined in: `ethernets`, `bonds`, `vlans`, ...
  public let type: String
  public let node: NetplanNode
  public let keyLocations: [SourceLocation]
  /// The `DeviceKey`s the definition has, a bit each (`has`); `DeviceKey.unknown` when they
  /// were not looked for.
  let keys: UInt64

  public init(id: String, type: String, node: NetplanNode, keyLocations: [SourceLocation], findingKeys: Bool = true) {
    self.id = id
    self.type = type
    self.node = node
    self.keyLocations = keyLocations
    keys = findingKeys ? node.keyBits(DeviceKey.byBytes) : DeviceKey.unknown
  }

  private init(_ device: NetplanDevice, node: NetplanNode) {
    id = device.id
    type = device.type
    self.node = node
    keyLocations = device.keyLocations
    keys = device.keys
  }

  /// The same definition, its node read through `reader` (see `YAMLReader`): for a thread
  /// that reads thousands of definitions while another thread reads them too.
  public func read(by reader: inout YAMLReader) -> NetplanDevice {
    NetplanDevice(self, node: node.read(by: &reader))
  }
}
