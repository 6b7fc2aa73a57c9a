/// One definition's configured values beside the live ones, and every difference.
public struct DeviceStatus: Sendable {
  /// A difference between the files and the live state.
  public struct Difference: Sendable, Equatable {
    public enum Kind: String, Sendable { case missing, unexpected, different }
    public var kind: Kind
    /// What differs: `address 192.0.2.5/24`, `mtu`, `default route via 192.0.2.1`, `link`.
    public var what: String
    /// In plain words, with the configured value's place when there is one.
    public var detail: String
    public var location: SourceLocation?
  }

  /// A live address and where it comes from: `static` (configured), `dhcp` (a lease, with
  /// the seconds left), `link-local`, `manual` (added by hand: in no file).
  public struct LiveAddress: Sendable, Equatable {
    public var address: String
    public var origin: String
    public var validLifetime: Int?
  }

  /// A DNS server or search domain the resolver has for the link now, and where it came from:
  /// `netplan` (with the file:line), `dhcp`, `router-advertisement`, `networkd` (a .network
  /// file netplan did not write), `NetworkManager`, `run-time` (resolvectl, or another tool),
  /// `unknown` (networkd could not be asked).
  public struct DNSEntry: Sendable, Equatable {
    public enum Kind: String, Sendable { case server, domain }
    public var kind: Kind
    public var value: String
    public var origin: String
    public var location: SourceLocation?
  }

  public var id: String
  public var type: String
  /// The kernel's name for it (set-name, or the id); nil when only `match:` names it.
  public var interface: String?
  /// The renderer that manages it: `networkd` or `NetworkManager`.
  public var backend: String
  /// The daemon that manages the link now: `networkd`, `NetworkManager`, `none`; nil when
  /// netcfg could not ask them.
  public var managedBy: String?
  /// The link's DNS as systemd-resolved has it now (empty when resolved does not run).
  public var dns: [DNSEntry] = []
  public var configured: DeviceSummary
  public var link: LiveState.Link?
  public var addresses: [LiveAddress]
  public var routes: [KernelRoute]
  public var differences: [Difference]

  /// Compares `device` with the live state.
  public init(_ device: NetplanDevice, in config: NetplanConfiguration, live: LiveState) {
    let summary = DeviceSummary(device, network: config.network)
    id = device.id
    type = device.type
    configured = summary
    backend = summary.renderer.value == "NetworkManager" ? "NetworkManager" : "networkd"
    let node = device.node
    if let name = node["set-name"]?.scalar {
      interface = name
    } else if node["match"] == nil {
      interface = device.id
    } else if let name = node["match"]?["name"]?.scalar, !name.contains(where: { "*?[".contains($0) }) {
      interface = name
    } else {
      interface = nil
    }
    link = interface.flatMap(live.link)
    routes = interface.map { name in live.routes.filter { $0.device == name } } ?? []
    addresses = []
    differences = []
    guard let interface else { return }
    guard let link else {
      differences.append(Difference(
        kind: .missing, what: "link", detail: "no network interface \(interface) on this host", location: device.keyLocations.first))
      return
    }
    compareLink(link, node: node)
    compareAddresses(link)
    compareRoutes()
    compareManager(link, live: live)
    compareDNS(link, live: live)
  }

  mutating func compareLink(_ link: LiveState.Link, node: NetplanNode) {
    if link.state == "DOWN" {
      differences.append(Difference(kind: .different, what: "link", detail: "\(link.name) is down", location: nil))
    } else if !link.carrier {
      differences.append(Difference(kind: .different, what: "link", detail: "\(link.name) has no carrier (no cable, or the other end is down)", location: nil))
    }
    if let mtu = configured.mtu, let wanted = Int(mtu.value), let live = link.mtu, wanted != live {
      differences.append(Difference(kind: .different, what: "mtu", detail: "mtu \(live), configured \(wanted)", location: mtu.location))
    }
  }

  mutating func compareAddresses(_ link: LiveState.Link) {
    let wanted = Dictionary(configured.addresses.compactMap { a in InterfaceAddress(a.value).map { ($0.description, a) } }) { a, _ in a }
    let dhcp = (v4: configured.dhcp4?.value == true, v6: configured.dhcp6?.value == true)
    for address in link.addresses where address.scope != "host" {
      let ipv6 = address.text.contains(":")
      let origin: String
      if address.scope == "link" {
        origin = "link-local"
      } else if wanted[InterfaceAddress(address.text)?.description ?? address.text] != nil {
        origin = "static"
      } else if address.validLifetime != nil {
        origin = "dhcp"
        if !(ipv6 ? dhcp.v6 : dhcp.v4) {
          let which = ipv6 ? "dhcp6" : "dhcp4"
          differences.append(Difference(
            kind: .unexpected, what: "address \(address.text)",
            detail: "\(address.text) is a lease (DHCP or a router advertisement) while \(which) is off"
              + (wanted.isEmpty ? "" : " and a fixed address is configured"), location: nil))
        }
      } else {
        origin = "manual"
        differences.append(Difference(
          kind: .unexpected, what: "address \(address.text)",
          detail: "\(address.text) is in no netplan file (added by hand, or by another tool)", location: nil))
      }
      addresses.append(LiveAddress(address: address.text, origin: origin, validLifetime: address.validLifetime))
    }
    let live = Set(link.addresses.compactMap { InterfaceAddress($0.text)?.description })
    for (text, source) in wanted.sorted(by: { $0.key < $1.key }) where !live.contains(text) {
      differences.append(Difference(
        kind: .missing, what: "address \(text)", detail: "\(text) is configured but not on \(link.name)", location: source.location))
    }
  }

  mutating func compareRoutes() {
    let main = routes.filter { $0.table == "main" && $0.isDefault }
    for gateway in configured.gateways where (gateway.table.map(KernelRoute.tableName) ?? "main") == "main" {
      guard let via = gateway.via else { continue }
      if !main.contains(where: { $0.gateway == via }) {
        differences.append(Difference(
          kind: .missing, what: "default route via \(via)", detail: "the default route via \(via) is configured but not in the main table",
          location: gateway.location))
      }
    }
    let wanted = Set(configured.gateways.compactMap(\.via))
    let leases = configured.dhcp4?.value == true || configured.dhcp6?.value == true
    for route in main {
      guard let via = route.gateway, !wanted.contains(via) else { continue }
      if leases && ["dhcp", "ra"].contains(route.origin ?? "") { continue }
      differences.append(Difference(
        kind: .unexpected, what: "default route via \(via)",
        detail: "a default route via \(via) (\(route.origin ?? "origin unknown")) is in no netplan file", location: nil))
    }
    for route in configured.routes {
      guard let via = route.via else { continue }
      let table = KernelRoute.tableName(route.table)
      let present = routes.contains { $0.gateway == via && $0.table == table && Self.sameDestination($0.destination, route.to) }
      if !present {
        differences.append(Difference(
          kind: .missing, what: "route \(route.to) via \(via)",
          detail: "the route to \(route.to) via \(via)\(table == "main" ? "" : " in table \(table)") is configured but not live",
          location: route.location))
      }
    }
  }

  static func sameDestination(_ live: String, _ configured: String) -> Bool {
    if live == configured { return true }
    // `ip` leaves out /32 and /128.
    return configured == live + "/32" || configured == live + "/128"
  }
}
