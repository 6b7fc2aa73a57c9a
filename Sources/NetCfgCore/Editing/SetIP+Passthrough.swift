import NetCfgYAML

extension SetIPRequest {
  /// A `networkmanager:` mapping without the passthrough keys that would override what this
  /// edit sets (passthrough wins over netplan's own keys in the rendered keyfile): the address
  /// keys, method and default routes of the families set, the gateway when a new one is given,
  /// the DNS servers and search domains when given. Gateways that removed address keys carried
  /// (`ADDR,GATEWAY`) go to `carried`. An emptied `passthrough:` goes too.
  func clearingPassthrough(
    _ networkManager: YAMLValue, dhcpOn: Set<IPAddress.Family>, carried: inout [IPAddress]
  ) -> YAMLValue {
    guard case .mapping = networkManager, case .mapping(let keys)? = networkManager["passthrough"] else {
      return networkManager
    }
    // Routes with options naming a table are not main-table default routes.
    let inTables = Set(keys.compactMap { pair -> String? in
      guard pair.key.hasSuffix("_options"), case .scalar(let s) = pair.value, s.text.contains("table=") else { return nil }
      return String(pair.key.dropLast("_options".count))
    })
    var removedRoutes: Set<String> = []
    var kept: [YAMLPair] = []
    for pair in keys {
      guard let key = NMPassthroughKey(pair.key), case .scalar(let value) = pair.value else {
        kept.append(pair)
        continue
      }
      let family = key.family
      let newGateway = gateways.contains { $0.family == family }
      switch key.setting {
      case .address where families.contains(family):
        if !newGateway, let gateway = NMPassthroughKey.addresses(value.text).gateway { carried.append(gateway) }
        continue
      case .address where newGateway && NMPassthroughKey.addresses(value.text).gateway != nil:
        // The old gateway goes; the addresses stay.
        let bare = value.text.split(separator: ";").map { $0.split(separator: ",").first.map(String.init) ?? "" }
        kept.append(YAMLPair(pair.key, .string(bare.joined(separator: ";"))))
        continue
      case .gateway where newGateway: continue
      case .dns where dns != nil: continue
      case .search where search != nil: continue
      case .method where families.contains(family):
        if value.text != (keepDHCP && dhcpOn.contains(family) ? "auto" : "manual") { continue }
      case .route where newGateway && NMPassthroughKey.isDefaultRoute(value.text) && !inTables.contains(pair.key):
        removedRoutes.insert(pair.key)
        continue
      default: break
      }
      kept.append(pair)
    }
    kept.removeAll { $0.key.hasSuffix("_options") && removedRoutes.contains(String($0.key.dropLast("_options".count))) }
    var fields = networkManager.effectivePairs
    let i = fields.firstIndex { $0.key == "passthrough" }!
    if kept.isEmpty { fields.remove(at: i) } else { fields[i].value = .mapping(kept) }
    return .mapping(fields)
  }
}
