import NetCfgYAML

/// What each definition needs by itself once netplan has read the file that defines it
/// (netplan's `validate_netdef_grammar`), and the VRF table rules.
extension SemanticContext {
  mutating func checkDefinitions() {
    let vethsNamed = Set(devices.filter { $0.type == "virtual-ethernets" }.compactMap { $0[.peer]?.scalar })
    for device in devices {
      let id = device.id, node = device.node

      if device.has(.setName), Self.isPhysical(device.type), !presentAtFirstDefinition(device, "match") {
        error(
          "\(id): 'set-name:' requires 'match:' properties", code: "set-name-without-match",
          at: location(device, "set-name"),
          notes: ["netplan renames only interfaces it matches: add `match:` (e.g. `macaddress:`)"])
      }

      if device.type == "wifis" {
        let points = device[.accessPoints]?.entries ?? []
        if !presentAtFirstDefinition(device, "access-points") {
          definitionError("\(id): No access points defined", code: "missing-property", device)
        } else if points.isEmpty {
          definitionError(
            "\(id): No access points defined", code: "missing-property", device, value: location(device, "access-points"))
        }
      }

      if device.type == "vlans" {
        if node["link"] == nil || !presentAtFirstDefinition(device, "link") {
          error("\(id): missing 'link' property", code: "missing-property", at: location(device))
        } else if node["id"] == nil || !presentAtFirstDefinition(device, "id") {
          error("\(id): missing 'id' property", code: "missing-property", at: location(device))
        } else if let vid = Self.unsigned(node["id"]), vid > 4094, vid <= UInt64(UInt32.max) {
          error(
            "\(id): invalid id '\(vid)' (allowed values are 0 to 4094)", code: "invalid-vlan-id",
            at: node["id"]?.location)
        }
      }

      if device.type == "vrfs", node["table"] == nil || !presentAtFirstDefinition(device, "table") {
        error("\(id): missing 'table' property", code: "missing-property", at: location(device))
      }

      if device.type == "virtual-ethernets", node["peer"] == nil, !vethsNamed.contains(id) {
        error("\(id): virtual-ethernet missing 'peer' property", code: "missing-property", at: location(device))
      }

      if let generation = device[.ipv6AddressGeneration], device.has(.ipv6AddressToken),
        ["eui64", "stable-privacy"].contains(generation.scalar ?? "")
      {
        error(
          "\(id): ipv6-address-generation and ipv6-address-token are mutually exclusive",
          code: "conflicting-properties", at: location(device, "ipv6-address-token"))
      }

      if device.type == "nm-devices" {
        let passthrough = node["networkmanager"]?["passthrough"]
        if passthrough?["connection.type"] == nil {
          definitionError(
            "\(id): network type 'nm-devices:' needs to provide a 'connection.type' via passthrough",
            code: "missing-property", device)
        }
      }

      // netplan 1.1 decides while reading the definition: a global renderer further down the
      // same file does not count yet (0.106 does not check; see NetplanVersionRules).
      if hasNetworkManagerSettings(device), let first = device.keyLocations.first,
        explicitBackends[id] ?? globalBackend(before: first) ?? .networkd != .networkManager
      {
        error(
          "\(id): networkmanager backend settings found but renderer is not NetworkManager.",
          code: "renderer-mismatch", at: location(device, "networkmanager") ?? location(device),
          notes: ["set `renderer: NetworkManager` (globally or in this definition), or drop `networkmanager:`"])
      }

      if device.type == "ethernets", Self.bool(device[.delayVirtualFunctionsRebind]) == true, !isSRIOVPF(device) {
        error(
          "\(id): This is not a SR-IOV PF", code: "not-sriov-pf", at: location(device, "delay-virtual-functions-rebind"))
      }
    }
  }

  /// The types of physical devices (which `set-name:` renames).
  static func isPhysical(_ type: String) -> Bool {
    switch type {
    case "ethernets", "wifis", "modems", "nm-devices": return true
    default: return false
    }
  }

  /// netplan notes NetworkManager settings when `networkmanager:` (of the definition or of an
  /// access point) sets anything.
  func hasNetworkManagerSettings(_ device: NetplanDevice) -> Bool {
    let keys = Self.networkManagerSettings
    if device[.networkmanager]?.entries.contains(where: { keys.contains($0.key) }) == true { return true }
    return device[.accessPoints]?.entries.contains { ap in
      ap.value["networkmanager"]?.entries.contains { keys.contains($0.key) } == true
    } ?? false
  }

  static let networkManagerSettings: Set<String> = ["name", "uuid", "stable-id", "device", "passthrough"]

  /// A physical function: says how many VFs it has, has VFs linked to it, or sets the eswitch.
  func isSRIOVPF(_ device: NetplanDevice) -> Bool {
    if device.has(.virtualFunctionCount) || device.has(.embeddedSwitchMode) { return true }
    return devices.contains { ($0.type == "ethernets" || $0.type == "nm-devices") && $0[.link]?.scalar == device.id }
  }

  /// A VRF's routes and rules use its table (or none, then they get it).
  mutating func checkVRFs() {
    for device in devices where device.type == "vrfs" {
      if device.node["routes"] != nil, device.node["routing-policy"] == nil {
        // netplan 0.106 crashes on it (LP: #2016427); 1.0 fixed it.
        error(
          "\(device.id): netplan 0.106 fails on a VRF with routes but no routing-policy (LP: #2016427)",
          code: "vrf-routes-without-policy", at: location(device))
      }
      guard let table = Self.unsigned(device.node["table"]) else { continue }
      for (key, what) in [("routes", "routes"), ("routing-policy", "routing-policy")] {
        for item in device.node[key]?.items ?? [] {
          guard let own = Self.unsigned(item["table"]), own != table else { continue }
          error(
            "\(device.id): VRF \(what) table mismatch (\(table) != \(own))", code: "vrf-table-mismatch",
            at: item["table"]?.location ?? item.location,
            notes: ["routes and rules of a VRF belong to its table \(table); leave `table:` out or set \(table)"])
        }
      }
    }
  }
}
