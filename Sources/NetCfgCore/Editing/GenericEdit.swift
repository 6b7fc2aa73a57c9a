import NetCfgYAML

/// `set KEY=VALUE`, `KEY+=VALUE`, `KEY-=VALUE` and `unset KEY` on netplan paths.
public enum GenericEdit {
  static let deviceSections: Set<String> = NetplanMerger.deviceTypes

  /// Plans `edits` (paths with or without `network.`); returns the check of the result.
  public static func plan(
    _ edits: [YAMLEdit], _ editor: inout NetplanEditor
  ) throws(EditError) -> (NetplanConfiguration) -> [String] {
    var checks: [(NetplanConfiguration) -> String?] = []
    for raw in edits {
      let edit = withNetworkPrefix(raw)
      let path = edit.path
      if path.components.count < 2 { throw EditError(.usage, "'\(raw.path)' is not a key below network") }
      let fallback = devicePrefix(path)
      // A new physical device by a name nothing has: likely a typo (virtual ones, bridges,
      // bonds, VLANs..., are created by being defined).
      if case .key(let id) = fallback.components.last, fallback.components.count == 3,
        case .key(let type) = fallback.components[1], ["ethernets", "wifis", "modems"].contains(type),
        editor.original.device(id) == nil
      {
        switch edit {
        case .set, .append, .insert: try editor.checkNewDevice(id)
        case .remove, .removeValue: break
        }
      }
      switch edit {
      case .set(_, let value):
        let target = editor.targetFile(for: path, fallbackPrefix: fallback)
        // A list or mapping in another file would merge with the new one: it goes.
        if case .scalar = value {} else {
          for other in editor.etcFiles(defining: path) where other != target {
            try editor.edit(other, [.remove(path)])
          }
        }
        try editor.edit(target, [.set(path, value)])
        checks.append { config in
          let now = config.merged?.node(at: path)?.value
          return now.map { sameSetting($0, value) } == true ? nil : "\(path) would be \(now.map(\.description) ?? "unset")"
        }
      case .append(_, let value):
        // Already in the list (as netplan reads it): nothing to add.
        let present = editor.original.merged?.node(at: path)?.items.contains { sameSetting($0.value, value) } ?? false
        if !present { try editor.edit(editor.targetFile(for: path, fallbackPrefix: fallback), [.append(path, value)]) }
        checks.append { config in
          let items = config.merged?.node(at: path)?.items.map(\.value) ?? []
          return items.contains { sameSetting($0, value) } ? nil : "\(path) would not hold \(value)"
        }
      case .removeValue(_, let value):
        for file in editor.etcFiles(defining: path) { try editor.edit(file, [.removeValue(path, value)]) }
        checks.append { config in
          let items = config.merged?.node(at: path)?.items.map(\.value) ?? []
          return items.contains { sameSetting($0, value) } ? "\(path) would still hold \(value)" : nil
        }
      case .remove:
        for file in editor.etcFiles(defining: path) { try editor.edit(file, [.remove(path)]) }
        checks.append { config in
          config.merged?.node(at: path).map { "\(path) would still be \($0.value)" }
        }
      case .insert:
        throw EditError(.usage, "inserting at an index is not supported here")
      }
    }
    return { config in checks.compactMap { $0(config) } }
  }

  static func withNetworkPrefix(_ edit: YAMLEdit) -> YAMLEdit {
    func fix(_ path: YAMLPath) -> YAMLPath {
      path.components.first == .key("network") ? path : YAMLPath([.key("network")] + path.components)
    }
    switch edit {
    case .set(let p, let v): return .set(fix(p), v)
    case .remove(let p): return .remove(fix(p))
    case .append(let p, let v): return .append(fix(p), v)
    case .removeValue(let p, let v): return .removeValue(fix(p), v)
    case .insert(let p, let i, let v): return .insert(fix(p), index: i, v)
    }
  }

  /// `network.TYPE.ID` for a path inside a device, else `network`.
  static func devicePrefix(_ path: YAMLPath) -> YAMLPath {
    let c = path.components
    if c.count >= 3, case .key(let section) = c[1], deviceSections.contains(section) {
      return YAMLPath(Array(c.prefix(3)))
    }
    return YAMLPath([.key("network")])
  }

  /// Same setting as netplan reads it: booleans by value, other scalars by text, mappings as
  /// maps, lists item by item.
  public static func sameSetting(_ a: YAMLValue, _ b: YAMLValue) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
      if let p = NetplanBool.parse(x.text), let q = NetplanBool.parse(y.text) { return p == q }
      // Addresses however spelled (`2001:DB8::1` is `2001:db8::1`).
      if let p = IPAddress(x.text), let q = IPAddress(y.text) { return p == q }
      if let p = InterfaceAddress(x.text), let q = InterfaceAddress(y.text) { return p == q }
      return x.text == y.text
    case (.sequence(let x), .sequence(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { sameSetting($0, $1) }
    case (.mapping, .mapping):
      let x = a.effectivePairs, y = b.effectivePairs
      return x.count == y.count
        && x.allSatisfy { p in y.first { $0.key == p.key }.map { sameSetting(p.value, $0.value) } ?? false }
    default:
      return false
    }
  }
}

/// `dhcp IFACE [--off] [--ipv6]`.
public struct DHCPRequest: Sendable {
  public var interface: String
  public var enable: Bool
  public var ipv6: Bool

  public init(interface: String, enable: Bool, ipv6: Bool) {
    self.interface = interface
    self.enable = enable
    self.ipv6 = ipv6
  }

  public func plan(_ editor: inout NetplanEditor) throws(EditError) -> (NetplanConfiguration) -> [String] {
    let target = try DeviceTarget.resolve(interface, in: editor)
    let key = ipv6 ? "dhcp6" : "dhcp4"
    let path = target.path.appending(.key(key))
    let file = editor.targetFile(for: path, fallbackPrefix: target.path)
    // A key that already says it (`dhcp4: no`) stays as written; off is the default.
    let here = editor.value(at: path, in: file)
    var already = false
    if case .scalar(let s)? = here { already = NetplanBool.parse(s.text) == enable }
    let offByDefault = !enable && here == nil
      && NetplanBool.parse(editor.original.device(target.id)?.node[key]?.scalar ?? "") != true
    if !already && !offByDefault { try editor.edit(file, [.set(path, .bool(enable))]) }
    return { config in
      let now = config.device(target.id)?.node[key]
      return NetplanBool.parse(now?.scalar ?? "false") == enable ? [] : ["\(key) would be \(now?.scalar ?? "unset") (\(now?.location.description ?? ""))"]
    }
  }
}
