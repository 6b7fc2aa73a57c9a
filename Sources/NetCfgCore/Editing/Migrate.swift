import NetCfgYAML

#if canImport(Glibc)
  import Glibc
#endif

/// `migrate`: every `gateway4`/`gateway6` under /etc becomes a default route in the same file
/// (so netplan renders the same routes), and netplan files readable by others become 0600.
public enum Migrate {
  public static func plan(_ editor: inout NetplanEditor) throws(EditError) -> (NetplanConfiguration) -> [String] {
    for file in editor.etcFiles {
      guard let doc = try? editor.document(file.path), let network = doc.root?.node(at: YAMLPath(keys: "network"))
      else { continue }
      for section in network.entries where NetplanMerger.deviceTypes.contains(section.keyText ?? "") {
        for device in section.value.entries {
          guard let type = section.keyText, let id = device.keyText, let value = try? YAMLValue(device.value) else { continue }
          let migrated = migrateDevice(value)
          if !migrated.isEquivalent(to: value) {
            try editor.edit(file.path, [.set(YAMLPath(keys: "network", type, id), migrated)])
          }
        }
      }
    }
    return { config in
      config.devices.compactMap { device in
        device.node["gateway4"] != nil || device.node["gateway6"] != nil ? "\(device.id) still has gateway4/gateway6" : nil
      }
    }
  }

  /// The device with its gateway keys turned into default routes.
  static func migrateDevice(_ device: YAMLValue) -> YAMLValue {
    var pairs = device.effectivePairs
    var routes: [YAMLValue] = []
    if case .sequence(let items)? = pairs.first(where: { $0.key == "routes" })?.value { routes = items }
    var added = false
    for key in ["gateway4", "gateway6"] {
      guard let i = pairs.firstIndex(where: { $0.key == key }) else { continue }
      let via = pairs[i].value
      pairs.remove(at: i)
      let route = YAMLValue.mapping([YAMLPair("to", .string("default")), YAMLPair("via", via)])
      if !routes.contains(where: { GenericEdit.sameSetting($0, route) }) {
        routes.append(route)
        added = true
      }
    }
    if added {
      if let i = pairs.firstIndex(where: { $0.key == "routes" }) { pairs[i].value = .sequence(routes) } else {
        pairs.append(YAMLPair("routes", .sequence(routes)))
      }
    }
    return .mapping(pairs)
  }

  /// Mode fixes for /etc files readable or writable by others (content unchanged).
  public static func modeFixes(_ config: NetplanConfiguration, excluding written: Set<String>) -> [FileChange] {
    config.hierarchy.files.compactMap { file in
      guard file.directory == .etc, let info = file.info, info.mode & 0o077 != 0, !written.contains(file.path) else { return nil }
      return FileChange(
        path: file.path, before: file.bytes, after: file.bytes, mode: 0o600, owner: nil, modeOnly: true)
    }
  }
}
