import NetCfgYAML

/// The surprises netplan does not warn about (or only in passing), found in the merged
/// configuration: each at the line that causes it.
enum NetplanWarnings {
  static func check(_ config: NetplanConfiguration, cloudInitNetworkDisabled: Bool) -> [Diagnostic] {
    combine(
      config, cloudInitNetworkDisabled: cloudInitNetworkDisabled,
      pass: pass(config.devices[...], parents: config.memberParents()))
  }

  /// Default routes by family, table and metric (the text made only for a clash).
  struct DefaultRouteKey: Hashable, Sendable {
    var family: String, table: String, metric: String
    var text: String { "\(family) table \(table) metric \(metric)" }
  }

  /// What the pass over the definitions finds: each definition's keys are read once.
  struct DevicePass {
    /// `dhcp-and-static` and `gateway-off-subnet` (of default routes), in definition order.
    var early: [Diagnostic] = []
    /// The warnings about single definitions (`member`, `passthrough`, `routeGateways`),
    /// said after the ones across definitions.
    var single: [Diagnostic] = []
    var addresses: [StaticAddress] = []
    var defaults: [(key: DefaultRouteKey, device: String, location: SourceLocation)] = []

    /// What a pass over the definitions that follow found, after this one's.
    mutating func append(_ later: DevicePass) {
      early += later.early
      single += later.single
      addresses += later.addresses
      defaults += later.defaults
    }
  }

  /// The pass over `devices`.
  static func pass(_ devices: ArraySlice<NetplanDevice>, parents: [String: NetplanConfiguration.Parent]) -> DevicePass {
    var found = DevicePass()
    for device in devices {
      var statics: [InterfaceAddress] = []
      let addressItems = device[.addresses]?.items ?? []
      for item in addressItems {
        let text = item.scalar ?? item.entries.first?.key ?? ""
        if let address = InterfaceAddress(text) {
          statics.append(address)
          found.addresses.append((device.id, address, item.location))
        }
      }
      let routes = (device[.routes]?.items ?? []).map(Route.init)
      let gateways = gateways(of: device, routes: routes)
      found.single += member(device, parents.isEmpty ? nil : parents[device.id], hasAddresses: !addressItems.isEmpty, gateways: gateways)
      found.single += passthrough(device, statics: statics, gateways: gateways)
      found.single += routeGateways(device, routes: routes, statics: statics)
      let dhcp4 = device[.dhcp4]
      if let dhcp = dhcp4, NetplanBool.parse(dhcp.scalar ?? "") == true,
        statics.contains(where: { $0.address.family == .ipv4 })
      {
        found.early.append(
          .warning(
            "\(device.id): dhcp4 is on and static IPv4 addresses are set too; the interface gets both",
            code: "dhcp-and-static", at: dhcp.location,
            notes: ["set `dhcp4: false` for a fixed address only (netcfg set-ip does)"]))
      }
      for (via, onLink, location, table, metric) in gateways {
        guard let ip = IPAddress(via) else { continue }
        found.defaults.append((DefaultRouteKey(family: ip.family.rawValue, table: table, metric: metric), device.id, location))
        // DHCP (or router advertisements) of the gateway's family may bring the subnet.
        let dhcpOn = NetplanBool.parse((ip.family == .ipv4 ? dhcp4 : device[.dhcp6])?.scalar ?? "") == true
          || (ip.family == .ipv6 && statics.allSatisfy { $0.address.family != .ipv6 })
        if !onLink, !dhcpOn, !ip.isLinkLocal, !statics.contains(where: { $0.contains(ip) }) {
          found.early.append(
            .warning(
              "\(device.id): gateway \(via) is not on any subnet of the device's addresses",
              code: "gateway-off-subnet", at: location,
              notes: ["the kernel cannot reach it without `on-link: true`; check the address prefix or the gateway"]))
        }
      }
    }
    return found
  }

  /// The warnings, from the pass over all definitions.
  /// `addressWarnings`: `addressClashes(pass.addresses)` when already found (on two threads).
  static func combine(
    _ config: NetplanConfiguration, cloudInitNetworkDisabled: Bool, pass: DevicePass, addressWarnings: [Diagnostic]? = nil
  ) -> [Diagnostic] {
    var out: [Diagnostic] = []
    out += fileModes(config)
    out += cloudInitFiles(config, disabled: cloudInitNetworkDisabled)
    var defaults: [DefaultRouteKey: [(device: String, location: SourceLocation)]] = [:]
    out += pass.early
    for route in pass.defaults { defaults[route.key, default: []].append((route.device, route.location)) }
    let clashes = defaults.filter { $0.value.count > 1 }.map { (key: $0.key.text, routes: $0.value) }
    for (key, routes) in clashes.sorted(by: { $0.key < $1.key }) {
      for route in routes.dropFirst() {
        out.append(
          .warning(
            "\(route.device): a second default route for \(key) (the first is at \(routes[0].location))",
            code: "two-default-routes", at: route.location,
            notes: ["give them different metrics, or keep one"]))
      }
    }
    out += addressWarnings ?? addressClashes(pass.addresses)
    out += runShadowing(config)
    out += pass.single
    out += networkManagerFiles(config)
    return out
  }

  /// A route of a definition, with the `RouteKey`s it has and its `to` and `via` (read once
  /// for the warnings).
  struct Route {
    let node: NetplanNode
    let keys: UInt64
    let to: String?
    let via: NetplanNode?

    init(_ node: NetplanNode) {
      self.node = node
      let keys = node.keyBits(RouteKey.byBytes)
      self.keys = keys
      to = keys & RouteKey.to.bit == 0 ? nil : node["to"]?.scalar
      via = keys & RouteKey.via.bit == 0 ? nil : node["via"]
    }

    subscript(key: RouteKey) -> NetplanNode? { keys & key.bit == 0 ? nil : node[key.name] }
  }

  /// The keys of a route the warnings read.
  enum RouteKey: Int, CaseIterable {
    case to, via, from, type, onLink, table, metric

    static let names = ["to", "via", "from", "type", "on-link", "table", "metric"]
    static let byBytes = KeyTable(Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) }))
    var name: String { RouteKey.names[rawValue] }
    var bit: UInt64 { 1 << UInt64(rawValue) }
  }

  /// (via, on-link, where, table, metric) of each default route (of `routes`, the
  /// definition's) and gateway4/6 key.
  static func gateways(of device: NetplanDevice, routes: [Route]) -> [(String, Bool, SourceLocation, String, String)] {
    var out: [(String, Bool, SourceLocation, String, String)] = []
    for route in routes {
      guard let to = route.to, isDefaultDestination(to),
        let via = route.via?.scalar, route[.from] == nil, (route[.type]?.scalar ?? "unicast") == "unicast"
      else { continue }
      let onLink = NetplanBool.parse(route[.onLink]?.scalar ?? "") == true
      out.append((via, onLink, route.node.location, route[.table]?.scalar ?? "main", route[.metric]?.scalar ?? "default"))
    }
    if let g = device[.gateway4], let via = g.scalar { out.append((via, false, g.location, "main", "default")) }
    if let g = device[.gateway6], let via = g.scalar { out.append((via, false, g.location, "main", "default")) }
    return out
  }

  /// True for the ways of writing a default route's `to`.
  static func isDefaultDestination(_ to: String) -> Bool {
    switch to {
    case "default", "0.0.0.0/0", "::/0", "0.0.0.0": return true
    default: return false
    }
  }

  /// A static address of a definition, and where it is written.
  typealias StaticAddress = (device: String, address: InterfaceAddress, location: SourceLocation)

  /// The same address twice, then subnets of two devices that overlap (found by sorting the
  /// subnets by their first address and sweeping: n log n, for hosts with thousands of
  /// devices). `checkConcurrently` finds the two on two threads.
  static func addressClashes(_ all: [StaticAddress]) -> [Diagnostic] {
    duplicateAddresses(all) + overlappingSubnets(all)
  }

  /// Each address given again after its first place (a hash of every address).
  static func duplicateAddresses(_ all: [StaticAddress]) -> [Diagnostic] {
    var out: [Diagnostic] = []
    var seen: [IPAddress: Int] = [:]
    seen.reserveCapacity(all.count)
    for (i, a) in all.enumerated() {
      if let j = seen[a.address.address] {
        out.append(
          .warning(
            "\(a.device): address \(a.address.address) is also assigned at \(all[j].location) (\(all[j].device))",
            code: "duplicate-address", at: a.location))
      } else {
        seen[a.address.address] = i
      }
    }
    return out
  }

  /// Subnets of two devices that overlap (a sort of every subnet, by family).
  static func overlappingSubnets(_ all: [StaticAddress]) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for family in [IPAddress.Family.ipv4, .ipv6] {
      let ranges = all.indices.filter { all[$0].address.address.family == family }
        .map { (range: all[$0].address.subnetRange, index: $0) }
        .sorted { $0.range.lowerBound < $1.range.lowerBound }
      var widest: (end: UInt128Value, index: Int)?
      for (range, index) in ranges {
        if let w = widest, range.lowerBound <= w.end, all[w.index].device != all[index].device {
          let a = all[index], b = all[w.index]
          out.append(
            .warning(
              "\(a.device): subnet of \(a.address) overlaps \(b.address) of \(b.device) (\(b.location))",
              code: "overlapping-subnets", at: a.location,
              notes: ["two interfaces on one subnet make routing depend on order; usually one is wrong"]))
        }
        if widest == nil || range.upperBound > widest!.end { widest = (range.upperBound, index) }
      }
    }
    return out
  }

  static func fileModes(_ config: NetplanConfiguration) -> [Diagnostic] {
    config.hierarchy.files.compactMap { file in
      guard let mode = file.info?.mode, mode & 0o066 != 0 else { return nil }
      return .warning(
        "\(file.path) is readable by others (mode \(String(mode, radix: 8))); netplan files can hold secrets",
        code: "file-mode", at: SourceLocation(file: file.path, line: 1, column: 1),
        notes: ["`netcfg migrate` sets 0600; netplan itself warns about this"])
    }
  }

  /// What cloud-init writes at the top of the netplan files it generates.
  private static let cloudInitMarker = Array("generated from information provided by the datasource".utf8)

  static func cloudInitFiles(_ config: NetplanConfiguration, disabled: Bool) -> [Diagnostic] {
    guard !disabled else { return [] }
    return config.hierarchy.files.compactMap { file in
      guard file.name == "50-cloud-init.yaml" || ByteSearch.contains(cloudInitMarker, in: file.bytes.prefix(400))
      else { return nil }
      return .warning(
        "\(file.path) is written by cloud-init: edits to it are lost when cloud-init regenerates it",
        code: "cloud-init-owned", at: SourceLocation(file: file.path, line: 1, column: 1),
        notes: ["`netcfg cloud-init disable-network` stops cloud-init from rewriting it"])
    }
  }

  /// Settings of /etc or /lib that /run overrides: an edit there would not take effect.
  static func runShadowing(_ config: NetplanConfiguration) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for file in config.hierarchy.shadowed where file.shadowedBy?.hasPrefix("/run/") == true {
      out.append(
        .warning(
          "\(file.path) is replaced whole by \(file.shadowedBy!); nothing in it takes effect",
          code: "shadowed-by-run", at: SourceLocation(file: file.path, line: 1, column: 1)))
    }
    // Only a file in /run can override: without one there is nothing to look for.
    guard config.hierarchy.files.contains(where: { $0.directory == .run }) else { return out }
    for device in config.devices {
      var overridden: [String] = []
      var path: [String] = []
      collectOverridden(device.node, path: &path, into: &overridden)
      if !overridden.isEmpty, let first = device.keyLocations.first {
        out.append(
          .warning(
            "\(device.id): values set in /run/netplan override \(overridden.joined(separator: ", "))",
            code: "shadowed-by-run", at: first,
            notes: ["/run/netplan is written at runtime (cloud-init, installers); `netcfg explain \(device.id)` shows who sets what"]))
      }
    }
    return out
  }

  /// Paths (below a device) of scalars whose value in force comes from /run while a file
  /// outside /run set them too.
  static func collectOverridden(_ node: NetplanNode, path: inout [String], into out: inout [String]) {
    if node.isScalarLike {
      guard node.hasSeveralContributions else { return }
      let history = node.contributions
      if let last = history.last, last.location.file.hasPrefix("/run/"),
        history.dropLast().contains(where: { !$0.location.file.hasPrefix("/run/") })
      {
        out.append(path.joined(separator: "."))
      }
      return
    }
    for entry in node.entries {
      path.append(entry.key)
      collectOverridden(entry.value, path: &path, into: &out)
      path.removeLast()
    }
  }
}
