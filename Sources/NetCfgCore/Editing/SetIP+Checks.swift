import NetCfgYAML

extension SetIPRequest {
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
  /// The bridge or bond whose `interfaces:` lists `id`.
  public func parent(of id: String) -> (id: String, kind: String, location: SourceLocation)? {
    for device in devices where device.type == "bridges" || device.type == "bonds" {
      if let item = device.node["interfaces"]?.items.first(where: { $0.scalar == id }) {
        return (device.id, device.type == "bridges" ? "bridge" : "bond", item.location)
      }
    }
    return nil
  }

  /// Whether the target is the loopback (by id, set-name or matched name).
  func isLoopback(_ target: DeviceTarget) -> Bool {
    guard let node = device(target.id)?.node else { return target.id == "lo" }
    return target.id == "lo" || node["set-name"]?.scalar == "lo" || node["match"]?["name"]?.scalar == "lo"
  }
}
