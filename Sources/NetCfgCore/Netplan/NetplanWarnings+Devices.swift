import NetCfgYAML

// Warnings about single definitions: addresses on bridge and bond members, NetworkManager
// passthrough keys that override netplan keys, files NetworkManager owns, routes whose
// gateway no subnet of the device reaches. `check` makes them in its pass over each
// definition, with what it read there (the valid static addresses, the default routes).
extension NetplanWarnings {
  /// Addresses, DHCP or a gateway on a bridge port or bond member: the traffic goes through
  /// the bridge or bond, so they belong there.
  static func member(
    _ device: NetplanDevice, _ parent: NetplanConfiguration.Parent?, hasAddresses: Bool,
    gateways: [(String, Bool, SourceLocation, String, String)]
  ) -> [Diagnostic] {
    guard let parent else { return [] }
    var what: [(String, SourceLocation)] = []
    if hasAddresses, let a = device[.addresses] { what.append(("addresses", a.location)) }
    for key in [DeviceKey.dhcp4, .dhcp6] {
      if let dhcp = device[key], NetplanBool.parse(dhcp.scalar ?? "") == true { what.append((key.name, dhcp.location)) }
    }
    if let g = gateways.first { what.append(("a default route", g.2)) }
    guard let first = what.first else { return [] }
    return [
      .warning(
        "\(device.id): \(what.map(\.0).joined(separator: ", ")) on a member of \(parent.kind) \(parent.id) (\(parent.location))",
        code: "address-on-member", at: first.1,
        notes: ["traffic of a \(parent.kind) member goes through \(parent.id): give \(parent.id) the addresses (`netcfg set-ip \(parent.id) ...`)"])
    ]
  }

  /// Passthrough keys that set what netplan keys set too, with other values: NetworkManager
  /// gets the passthrough value (netplan writes it last).
  static func passthrough(
    _ device: NetplanDevice, statics: [InterfaceAddress], gateways: [(String, Bool, SourceLocation, String, String)]
  ) -> [Diagnostic] {
    // Most definitions have neither key: nothing is built for them.
    let direct = device[.networkmanager]?["passthrough"], points = device[.accessPoints]
    guard direct != nil || points != nil else { return [] }
    var passthroughs = direct.map { [$0] } ?? []
    for point in points?.entries ?? [] {
      if let passthrough = point.value["networkmanager"]?["passthrough"] { passthroughs.append(passthrough) }
    }
    guard !passthroughs.isEmpty else { return [] }
    var out: [Diagnostic] = []
    func addresses(_ family: IPAddress.Family) -> Set<InterfaceAddress> {
      Set(statics.filter { $0.address.family == family })
    }
    func gateway(_ family: IPAddress.Family) -> IPAddress? {
      gateways.compactMap { IPAddress($0.0) }.first { $0.family == family }
    }
    let servers = (device[.nameservers]?["addresses"]?.items ?? []).compactMap { $0.scalar.flatMap(IPAddress.init) }
    let search = (device[.nameservers]?["search"]?.items ?? []).compactMap(\.scalar)
    for passthrough in passthroughs {
      for entry in passthrough.entries {
        guard let key = NMPassthroughKey(entry.key), let value = entry.value.scalar else { continue }
        let family = key.family
        var netplan: String?
        switch key.setting {
        case .address:
          let (set, via) = NMPassthroughKey.addresses(value)
          let own = addresses(family)
          if !own.isEmpty, Set(set) != own {
            netplan = "addresses " + own.map(\.description).sorted().joined(separator: ", ")
          } else if let via, let own = gateway(family), own != via {
            netplan = "default route via \(own)"
          }
        case .gateway:
          if let own = gateway(family), IPAddress(value) != own { netplan = "default route via \(own)" }
        case .dns:
          let own = servers.filter { $0.family == family }
          if !own.isEmpty, NMPassthroughKey.list(value).compactMap(IPAddress.init) != own {
            netplan = "nameservers " + own.map(\.description).joined(separator: ", ")
          }
        case .search:
          if !search.isEmpty, NMPassthroughKey.list(value) != search { netplan = "search " + search.joined(separator: ", ") }
        case .method:
          let dhcp = NetplanBool.parse(device[family == .ipv4 ? .dhcp4 : .dhcp6]?.scalar ?? "") == true
          let wanted = dhcp ? "auto" : addresses(family).isEmpty ? nil : "manual"
          if let wanted, value != wanted { netplan = "method \(wanted) (from \(dhcp ? "DHCP" : "static addresses"))" }
        case .route:
          break
        }
        guard let netplan else { continue }
        out.append(
          .warning(
            "\(device.id): passthrough \(entry.key) = \"\(value)\" overrides \(netplan): NetworkManager gets the passthrough value",
            code: "passthrough-shadows", at: entry.keyLocation,
            notes: ["remove the passthrough key, or make it agree (`netcfg set-ip` updates both)"]))
      }
    }
    return out
  }

  /// Routes (not default ones, which `gateway-off-subnet` covers) whose `via` is on no subnet
  /// of the device's static addresses.
  static func routeGateways(_ device: NetplanDevice, routes: [Route], statics: [InterfaceAddress]) -> [Diagnostic] {
    guard !routes.isEmpty else { return [] }
    var out: [Diagnostic] = []
    for route in routes {
      guard let to = route.to, !isDefaultDestination(to),
        let viaNode = route.via, let viaText = viaNode.scalar, let via = IPAddress(viaText), !via.isLinkLocal,
        NetplanBool.parse(route[.onLink]?.scalar ?? "") != true
      else { continue }
      // Found without a list (made only for the warning): this runs for every route.
      guard statics.contains(where: { $0.address.family == via.family }),
        !statics.contains(where: { $0.address.family == via.family && $0.contains(via) })
      else { continue }
      let same = statics.filter { $0.address.family == via.family }
      out.append(
        .warning(
          "\(device.id): the route to \(to) goes via \(viaText), which is on no subnet of the device (\(same.map(\.description).joined(separator: ", ")))",
          code: "gateway-off-subnet", at: viaNode.location,
          notes: ["the kernel cannot reach it without `on-link: true`; fix the route or the address"]))
    }
    return out
  }

  /// Files NetworkManager wrote (`90-NM-<uuid>.yaml`): it writes them anew when the
  /// connection is changed through NetworkManager (nmcli, the desktop settings).
  static func networkManagerFiles(_ config: NetplanConfiguration) -> [Diagnostic] {
    config.hierarchy.files.compactMap { file in
      guard file.name.hasPrefix("90-NM-"), file.name.hasSuffix(".yaml") else { return nil }
      return Diagnostic(
        .note, "\(file.path) is written by NetworkManager: changing the connection through NetworkManager (nmcli, the desktop settings) writes it anew",
        code: "networkmanager-owned", at: SourceLocation(file: file.path, line: 1, column: 1),
        notes: ["edits made here survive only as long as nobody changes the connection in NetworkManager"])
    }
  }
}
