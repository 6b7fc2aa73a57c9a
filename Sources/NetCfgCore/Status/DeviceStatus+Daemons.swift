/// The parts of a device's status the daemons answer: which one manages the link, and the DNS
/// systemd-resolved has for it.
extension DeviceStatus {
  /// Netplan's networkd files: /run/systemd/network/10-netplan-ID.network.
  static let netplanNetworkFile = "/run/systemd/network/10-netplan-"

  mutating func compareManager(_ link: LiveState.Link, live: LiveState) {
    let managers = live.managers
    let networkd = managers.networkdLink(link.name), manager = managers.device(link.name)
    managedBy = managers.manager(of: link.name)
    guard let managedBy else { return }
    if managedBy != backend {
      let detail: String
      switch (managedBy, backend) {
      case ("none", "networkd") where live.networkd.value == nil:
        detail = "systemd-networkd is not running: nothing applies this definition to \(link.name)"
      case ("none", "networkd"):
        detail = "systemd-networkd leaves \(link.name) unmanaged: netplan's file for it is not in effect (`netcfg apply`)"
      case ("none", _):
        detail = live.networkManager.value == nil
          ? "NetworkManager is not running: nothing applies this definition to \(link.name)"
          : "NetworkManager does not manage \(link.name) (\(manager?.state ?? "no such device"))"
      default:
        detail = "\(link.name) is managed by \(managedBy), but the files give it to \(backend)"
      }
      differences.append(Difference(kind: .different, what: "backend", detail: detail, location: configured.renderer.location))
      return
    }
    if managedBy == "networkd", let networkd {
      if networkd.administrativeState == "failed" {
        differences.append(Difference(
          kind: .different, what: "backend", detail: "systemd-networkd failed to configure \(link.name) (journalctl -u systemd-networkd)",
          location: nil))
      }
      if let file = networkd.networkFile, !file.hasPrefix(Self.netplanNetworkFile) {
        differences.append(Difference(
          kind: .different, what: "backend", detail: "systemd-networkd applies \(file) to \(link.name), not netplan's file", location: nil))
      }
    }
    if managedBy == "NetworkManager", let connection = manager?.connection, !connection.hasPrefix("netplan-") {
      differences.append(Difference(
        kind: .different, what: "backend", detail: "NetworkManager applies its connection '\(connection)' to \(link.name), not netplan's",
        location: nil))
    }
  }

  mutating func compareDNS(_ link: LiveState.Link, live: LiveState) {
    guard let resolved = live.resolved.value, link.index > 0 else { return }
    let networkd = live.networkd.value?.first { $0.index == link.index }
    let servers = resolved.servers.filter { $0.ifindex == link.index }.map(\.address)
    let domains = resolved.domains.filter { $0.ifindex == link.index && !$0.routeOnly }.map(\.name)
    let wantedServers = configured.nameservers.map { (IPAddress.canonical($0.value), $0.location) }
    let wantedDomains = configured.search.map { ($0.value, $0.location) }
    let pushed = managedBy == "networkd" || !servers.isEmpty || !domains.isEmpty
    compare(.server, live: servers, wanted: wantedServers, networkd: networkd.map { $0.dns.map { ($0.address, $0.source) } }, link: link.name, pushed: pushed)
    compare(.domain, live: domains, wanted: wantedDomains, networkd: networkd.map { $0.domains.map { ($0.name, $0.source) } }, link: link.name, pushed: pushed)
  }

  /// `networkd`: what networkd gave resolved for the link, with its sources; nil when it was
  /// not asked (then a value in no netplan file has an `unknown` origin, and is no difference).
  private mutating func compare(
    _ kind: DNSEntry.Kind, live: [String], wanted: [(String, SourceLocation?)], networkd: [(String, String)]?, link: String, pushed: Bool
  ) {
    let noun = kind == .server ? "DNS server" : "search domain"
    for value in live {
      if let configured = wanted.first(where: { $0.0 == value }) {
        dns.append(DNSEntry(kind: kind, value: value, origin: "netplan", location: configured.1))
        continue
      }
      let origin: String
      switch (networkd?.first(where: { $0.0 == value })?.1, networkd != nil) {
      case ("DHCPv4"?, _), ("DHCPv6"?, _), ("DHCP-PD"?, _): origin = "dhcp"
      case ("NDisc"?, _): origin = "router-advertisement"
      case (_?, _): origin = "networkd"
      case (nil, _) where managedBy == "NetworkManager": origin = "NetworkManager"
      case (nil, true): origin = "run-time"
      case (nil, false): origin = "unknown"
      }
      dns.append(DNSEntry(kind: kind, value: value, origin: origin, location: nil))
      if origin == "run-time" || origin == "networkd" {
        differences.append(Difference(
          kind: .unexpected, what: "\(noun) \(value)",
          detail: "resolved has \(noun) \(value) for \(link), in no netplan file ("
            + (origin == "networkd" ? "a .network file netplan did not write" : "set at run time: resolvectl, or another tool") + ")",
          location: nil))
      }
    }
    guard pushed else { return }
    for (value, location) in wanted where !live.contains(value) {
      differences.append(Difference(
        kind: .missing, what: "\(noun) \(value)", detail: "\(noun) \(value) is configured for \(link) but resolved does not have it",
        location: location))
    }
  }
}
