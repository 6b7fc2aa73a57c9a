import NetCfgYAML

extension SetIPRequest {
  /// Gateways must be usable: not a subnet's network or broadcast address, and on a subnet
  /// of the device (the new addresses, or the kept ones of the other family) unless on-link.
  func checkGateways(_ target: DeviceTarget, _ config: NetplanConfiguration) throws(EditError) {
    var subnets = addresses
    subnets += (config.device(target.id)?.node.interfaceAddresses ?? []).filter { !families.contains($0.address.family) }
    for gateway in gateways {
      let same = subnets.filter { $0.address.family == gateway.family }
      for subnet in same where subnet.contains(gateway) {
        let hostBits = subnet.address.maxPrefixLength - subnet.prefixLength
        if hostBits >= 2, gateway == subnet.network {
          throw EditError(.usage, "gateway \(gateway) is the network address of \(subnet), not a host")
        }
        if gateway.family == .ipv4, hostBits >= 2, UInt128Value(gateway) == subnet.subnetRange.upperBound {
          throw EditError(.usage, "gateway \(gateway) is the broadcast address of \(subnet), not a host")
        }
        if gateway == subnet.address {
          throw EditError(.usage, "gateway \(gateway) is the interface's own address")
        }
      }
      if !onLink, !gateway.isLinkLocal, !same.contains(where: { $0.contains(gateway) }) {
        let list = same.isEmpty ? "no \(gateway.family == .ipv4 ? "IPv4" : "IPv6") address" : same.map(\.description).joined(separator: ", ")
        throw EditError(
          .usage, "gateway \(gateway) is not on any subnet of \(interface) (\(list)); pass --on-link if it is reachable on the link anyway")
      }
    }
  }

  /// The intended values that are not in force in `config` (empty when the edit took).
  public func verify(_ config: NetplanConfiguration, _ target: DeviceTarget) -> [String] {
    guard let device = config.device(target.id) else { return ["\(target.id) is not defined"] }
    var missing: [String] = []
    let node = device.node
    let inForce = node.interfaceAddresses.filter { families.contains($0.address.family) }
    if Set(inForce.map(\.description)) != Set(addresses.map(\.description)) {
      missing.append("addresses in force would be \(inForce.map(\.description))")
    }
    if !keepDHCP {
      for (key, family) in [("dhcp4", IPAddress.Family.ipv4), ("dhcp6", .ipv6)] where families.contains(family) {
        if let value = node[key], NetplanBool.parse(value.scalar ?? "") == true {
          missing.append("\(key) stays on (\(value.location))")
        }
      }
    }
    for gateway in gateways {
      let routes = (node["routes"]?.items ?? []).filter { SetIPRequest.defaultRouteFamily($0.value) == gateway.family }
      let vias = routes.compactMap { $0["via"]?.scalar }
      let key = gateway.family == .ipv4 ? "gateway4" : "gateway6"
      if vias != [gateway.description] || node[key] != nil {
        missing.append("default routes would be \(vias + (node[key]?.scalar.map { [$0] } ?? []))")
      }
    }
    // NetworkManager passthrough that would still override the edit (in a file netcfg does not write).
    if let passthrough = node["networkmanager"]?["passthrough"] {
      var carried: [IPAddress] = []
      let kept = Set(clearingPassthrough(.mapping([YAMLPair("passthrough", passthrough.value)]), dhcpOn: [], carried: &carried)["passthrough"]?.effectivePairs.map(\.key) ?? [])
      for entry in passthrough.entries where !kept.contains(entry.key) && NMPassthroughKey(entry.key)?.setting != .method {
        missing.append("passthrough \(entry.key) (\(entry.keyLocation)) overrides it for NetworkManager")
      }
    }
    if let dns, Set((node["nameservers"]?["addresses"]?.items ?? []).compactMap(\.scalar)) != Set(dns.map(\.description)) {
      missing.append("nameservers in force would differ")
    }
    if let search, Set((node["nameservers"]?["search"]?.items ?? []).compactMap(\.scalar)) != Set(search) {
      missing.append("search domains in force would differ")
    }
    return missing
  }

  /// Refuses (unless `force`) addresses or a gateway on a bridge or bond member, whose
  /// addresses belong on the bridge or bond, and an edit that takes 127.0.0.1/8 (or ::1)
  /// from the loopback.
  func checkRole(_ target: DeviceTarget, _ config: NetplanConfiguration) throws(EditError) {
    guard !addresses.isEmpty || !gateways.isEmpty else { return }
    if let parent = config.parent(of: target.id) {
      throw EditError(
        .usage,
        "\(interface) is a member of \(parent.kind) \(parent.id) (\(parent.location)); its addresses and gateway belong on \(parent.id): netcfg set-ip \(parent.id) ... (--force to set them on \(interface) anyway)")
    }
    guard config.isLoopback(target) else { return }
    if !gateways.isEmpty {
      throw EditError(.usage, "\(interface) is the loopback; a default route via it is no gateway (--force to write it anyway)")
    }
    let kept = Set(addresses.map(\.description))
    for item in config.device(target.id)?.node["addresses"]?.items ?? [] {
      guard let text = item.scalar ?? item.entries.first?.key, let address = InterfaceAddress(text),
        families.contains(address.address.family), address.address.isLoopback, !kept.contains(address.description)
      else { continue }
      throw EditError(
        .usage,
        "set-ip replaces the addresses of \(interface) and would remove \(text) (\(item.location)); include it in the new addresses, add one with `netcfg set ethernets.\(target.id).addresses+=ADDR`, or --force")
    }
  }
}

extension NetplanConfiguration {
  /// A bridge or bond that lists a device in its `interfaces:`, and where.
  public typealias Parent = (id: String, kind: String, location: SourceLocation)

  /// The bridge or bond whose `interfaces:` lists `id` (the first in netplan's order).
  public func parent(of id: String) -> Parent? {
    for device in devices where device.type == "bridges" || device.type == "bonds" {
      if let item = device.node["interfaces"]?.items.first(where: { $0.scalar == id }) {
        return (device.id, device.type == "bridges" ? "bridge" : "bond", item.location)
      }
    }
    return nil
  }

  /// `parent(of:)` of every member at once (one pass, for checks over all devices).
  public func memberParents() -> [String: Parent] {
    var out: [String: Parent] = [:]
    for device in devices where device.type == "bridges" || device.type == "bonds" {
      for item in device.node["interfaces"]?.items ?? [] {
        guard let id = item.scalar, out[id] == nil else { continue }
        out[id] = (device.id, device.type == "bridges" ? "bridge" : "bond", item.location)
      }
    }
    return out
  }

  /// Whether the target is the loopback (by id, set-name or matched name).
  func isLoopback(_ target: DeviceTarget) -> Bool {
    guard let node = device(target.id)?.node else { return target.id == "lo" }
    return target.id == "lo" || node["set-name"]?.scalar == "lo" || node["match"]?["name"]?.scalar == "lo"
  }
}
