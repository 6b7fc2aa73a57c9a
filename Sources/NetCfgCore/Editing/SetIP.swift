import NetCfgYAML

/// `set-ip IFACE ADDR/PREFIX... [--gateway IP] [--gateway6 IP] [--dns IP...] [--search D...]`:
/// the interface's addresses of the families given, DHCP off for them, one default route per
/// gateway, and DNS — each replaced in place where it was written.
public struct SetIPRequest: Sendable {
  public var interface: String
  public var addresses: [InterfaceAddress]
  public var gateways: [IPAddress]
  public var dns: [IPAddress]?
  public var search: [String]?
  public var keepDHCP: Bool
  public var onLink: Bool
  /// Also on a bridge or bond member, or when the loopback loses 127.0.0.1/8.
  public var force: Bool

  public init(
    interface: String, addresses: [InterfaceAddress], gateways: [IPAddress] = [], dns: [IPAddress]? = nil,
    search: [String]? = nil, keepDHCP: Bool = false, onLink: Bool = false, force: Bool = false
  ) {
    self.interface = interface
    self.addresses = addresses
    self.gateways = gateways
    self.dns = dns
    self.search = search
    self.keepDHCP = keepDHCP
    self.onLink = onLink
    self.force = force
  }

  /// The families whose addresses are replaced.
  public var families: Set<IPAddress.Family> { Set(addresses.map(\.address.family)) }

  /// Plans the edit (and checks the gateways against the subnets the device will have).
  /// `lastReader`: nothing reads the editor's merged view after this plan (the `set-ip`
  /// command, not a plan that goes on with more edits): it is freed before the edits.
  public func plan(_ editor: inout NetplanEditor, lastReader: Bool = false) throws(EditError) -> DeviceTarget {
    let target = try DeviceTarget.resolve(interface, in: editor)
    if !force { try checkRole(target, editor.original) }
    try checkGateways(target, editor.original)
    let (dhcpOn, routed) = SetIPRequest.inForce(editor.original.device(target.id)?.node)
    var plan = DevicePlan(target: target)
    let file = editor.chosenFile ?? editor.etcFiles(defining: target.path).last ?? NetplanEditor.defaultFile
    let files = Array(Set(editor.etcFiles(defining: target.path) + [file])).sorted {
      editor.order(of: $0).lexicographicallyPrecedes(editor.order(of: $1))
    }
    var remaining = Remaining(addresses: addresses.map(\.description), dns: dns?.map(\.description), search: search)
    var routeDone: Set<IPAddress.Family> = []
    for path in files {
      var device = editor.value(at: target.path, in: path) ?? .emptyMapping
      device = rewrite(device, remaining: &remaining, routeDone: &routeDone, dhcpOn: dhcpOn)
      if path == file {
        device = complete(device, remaining: remaining, routeDone: routeDone, routed: routed, dhcpOn: dhcpOn)
      }
      plan.values[path] = device
    }
    // Nothing below reads the merged configuration: its memory goes to the edited trees.
    if lastReader { editor.releaseMergedView() }
    try plan.apply(&editor)
    return target
  }

  /// The families the device in force gets by DHCP, and those it has a default route for.
  /// A function of its own: no handle on the first reading's trees outlives it (the edits
  /// splice the tree in place when nothing else holds it).
  static func inForce(_ node: NetplanNode?) -> (dhcp: Set<IPAddress.Family>, routed: Set<IPAddress.Family>) {
    let dhcpOn = Set([("dhcp4", IPAddress.Family.ipv4), ("dhcp6", .ipv6)].compactMap { key, family in
      NetplanBool.parse(node?[key]?.scalar ?? "") == true ? family : nil
    })
    let routed = Set((node?["routes"]?.items ?? []).compactMap { SetIPRequest.defaultRouteFamily($0.value) }
      + [("gateway4", IPAddress.Family.ipv4), ("gateway6", .ipv6)].compactMap { node?[$0.0] == nil ? nil : $0.1 })
    return (dhcpOn, routed)
  }

  /// What still has to be written after the files that had it kept it.
  struct Remaining {
    var addresses: [String]
    var dns: [String]?
    var search: [String]?
    /// Gateways that NetworkManager passthrough address keys carried (`ADDR,GATEWAY`), which
    /// went with those keys and no new gateway replaces: kept as netplan default routes.
    var carried: [IPAddress] = []
  }

  /// One file's device with the replaced families filtered and default routes rewritten.
  func rewrite(
    _ device: YAMLValue, remaining: inout Remaining, routeDone: inout Set<IPAddress.Family>, dhcpOn: Set<IPAddress.Family>
  ) -> YAMLValue {
    var pairs = device.effectivePairs
    func update(_ key: String, _ transform: (YAMLValue?) -> YAMLValue?) {
      let old = pairs.first { $0.key == key }?.value
      let new = transform(old)
      if let i = pairs.firstIndex(where: { $0.key == key }) {
        if let new { pairs[i].value = new } else { pairs.remove(at: i) }
      } else if let new {
        pairs.append(YAMLPair(key, new))
      }
    }
    update("addresses") { old in
      guard case .sequence(let items)? = old else { return old }
      let kept = items.filter { item in
        guard let text = SetIPRequest.addressText(item), let address = InterfaceAddress(text) else { return true }
        if !families.contains(address.address.family) { return true }
        if let i = remaining.addresses.firstIndex(of: text) {
          remaining.addresses.remove(at: i)
          return true
        }
        return false
      }
      return kept.isEmpty ? nil : .sequence(kept)
    }
    for (key, family) in [("gateway4", IPAddress.Family.ipv4), ("gateway6", .ipv6)]
    where gateways.contains(where: { $0.family == family }) {
      update(key) { _ in nil }
    }
    update("routes") { old in
      guard case .sequence(let items)? = old else { return old }
      var out: [YAMLValue] = []
      for item in items {
        guard let family = SetIPRequest.defaultRouteFamily(item), let gateway = gateways.first(where: { $0.family == family })
        else { out.append(item); continue }
        if routeDone.contains(family) { continue }  // a second default route of the family goes
        routeDone.insert(family)
        var route = item.effectivePairs
        if let i = route.firstIndex(where: { $0.key == "via" }) { route[i].value = .string(gateway.description) } else {
          route.append(YAMLPair("via", .string(gateway.description)))
        }
        if onLink, !route.contains(where: { $0.key == "on-link" }) { route.append(YAMLPair("on-link", .bool(true))) }
        out.append(.mapping(route))
      }
      return out.isEmpty ? nil : .sequence(out)
    }
    if dns != nil || search != nil {
      update("nameservers") { old in
        var ns = old?.effectivePairs ?? []
        for key in ["addresses", "search"] where key == "addresses" ? dns != nil : search != nil {
          guard let i = ns.firstIndex(where: { $0.key == key }), case .sequence(let items) = ns[i].value else {
            continue
          }
          var left = key == "addresses" ? remaining.dns ?? [] : remaining.search ?? []
          let kept = items.filter { item in
            guard case .scalar(let s) = item, let j = left.firstIndex(of: s.text) else { return false }
            left.remove(at: j)
            return true
          }
          if key == "addresses" { remaining.dns = left } else { remaining.search = left }
          if kept.isEmpty { ns.remove(at: i) } else { ns[i].value = .sequence(kept) }
        }
        return old == nil && ns.isEmpty ? nil : .mapping(ns)
      }
    }
    update("networkmanager") { old in old.map { clearingPassthrough($0, dhcpOn: dhcpOn, carried: &remaining.carried) } }
    update("access-points") { old in
      guard case .mapping(let points)? = old else { return old }
      return .mapping(points.map { point in
        var point = point
        if let nm = point.value["networkmanager"] {
          var fields = point.value.effectivePairs
          let i = fields.firstIndex { $0.key == "networkmanager" }!
          fields[i].value = clearingPassthrough(nm, dhcpOn: dhcpOn, carried: &remaining.carried)
          point.value = .mapping(fields)
        }
        return point
      })
    }
    return .mapping(pairs)
  }

  /// The target file's device with what no file kept: new addresses, DHCP off, default routes
  /// and DNS. `routeDone`: the families whose default route was rewritten; `routed`: those
  /// that had one before (a carried gateway is not added to them).
  func complete(
    _ device: YAMLValue, remaining: Remaining, routeDone: Set<IPAddress.Family>, routed: Set<IPAddress.Family>,
    dhcpOn: Set<IPAddress.Family>
  ) -> YAMLValue {
    var pairs = device.effectivePairs
    func list(_ key: String) -> [YAMLValue] {
      if case .sequence(let items)? = pairs.first(where: { $0.key == key })?.value { return items }
      return []
    }
    func put(_ key: String, _ value: YAMLValue) {
      if let i = pairs.firstIndex(where: { $0.key == key }) { pairs[i].value = value } else { pairs.append(YAMLPair(key, value)) }
    }
    if !remaining.addresses.isEmpty { put("addresses", .sequence(list("addresses") + remaining.addresses.map(YAMLValue.string))) }
    if !keepDHCP {
      // Only where DHCP is on: `dhcp4: no` stays as written, an absent key (off) stays absent.
      for (key, family) in [("dhcp4", IPAddress.Family.ipv4), ("dhcp6", .ipv6)] where families.contains(family) {
        let here = pairs.first { $0.key == key }?.value
        if case .scalar(let s)? = here, NetplanBool.parse(s.text) == false { continue }
        if here == nil, !dhcpOn.contains(family) { continue }
        if case .scalar(let s)? = here, let off = NetplanBool.falseSpelled(like: s.text) {
          put(key, .plain(off))
        } else {
          put(key, .bool(false))
        }
      }
    }
    var wanted = gateways.filter { !routeDone.contains($0.family) }
    for gateway in remaining.carried
    where !routed.contains(gateway.family) && !gateways.contains(where: { $0.family == gateway.family })
      && !wanted.contains(where: { $0.family == gateway.family })
    {
      wanted.append(gateway)
    }
    let newRoutes = wanted.map { gateway -> YAMLValue in
      var route = [YAMLPair("to", .string("default")), YAMLPair("via", .string(gateway.description))]
      if onLink, gateways.contains(gateway) { route.append(YAMLPair("on-link", .bool(true))) }
      return .mapping(route)
    }
    if !newRoutes.isEmpty { put("routes", .sequence(list("routes") + newRoutes)) }
    if dns != nil || search != nil {
      var ns = pairs.first { $0.key == "nameservers" }?.value.effectivePairs ?? []
      for (key, left) in [("addresses", remaining.dns), ("search", remaining.search)] {
        guard let left, !left.isEmpty else { continue }
        let existing: [YAMLValue]
        if case .sequence(let items)? = ns.first(where: { $0.key == key })?.value { existing = items } else { existing = [] }
        let value = YAMLValue.sequence(existing + left.map(YAMLValue.string))
        if let i = ns.firstIndex(where: { $0.key == key }) { ns[i].value = value } else { ns.append(YAMLPair(key, value)) }
      }
      if !ns.isEmpty { put("nameservers", .mapping(ns)) }
    }
    return .mapping(pairs)
  }

  /// The address of an `addresses:` item (`1.2.3.4/24` or `{1.2.3.4/24: {label: x}}`).
  static func addressText(_ item: YAMLValue) -> String? {
    switch item {
    case .scalar(let s): return s.text
    case .mapping(let pairs): return pairs.first?.key
    default: return nil
    }
  }

  /// The family of a default route of the main table (`to: default`, `0.0.0.0/0`, `::/0`),
  /// or nil: routes in other tables, with `from:` (policy routing) or of another type
  /// (`blackhole`...) are no default gateway.
  /// `anyTable`: default routes of every table (the verifier checks those too).
  static func defaultRouteFamily(_ route: YAMLValue, anyTable: Bool = false) -> IPAddress.Family? {
    guard case .scalar(let to)? = route["to"], route["from"] == nil else { return nil }
    if !anyTable, case .scalar(let table)? = route["table"], !["254", "main"].contains(table.text) { return nil }
    if case .scalar(let type)? = route["type"], type.text != "unicast" { return nil }
    switch to.text {
    case "0.0.0.0/0", "0.0.0.0": return .ipv4
    case "::/0", "::": return .ipv6
    case "default":
      guard case .scalar(let via)? = route["via"] else { return nil }
      return IPAddress(via.text)?.family
    default: return nil
    }
  }

}

/// The new value of one device in each file that is written.
struct DevicePlan {
  let target: DeviceTarget
  var values: [String: YAMLValue] = [:]

  /// Turns each file's new device value into one `set` (the YAML layer keeps it minimal).
  func apply(_ editor: inout NetplanEditor) throws(EditError) {
    for (path, value) in values.sorted(by: { $0.key < $1.key }) {
      let old = editor.value(at: target.path, in: path)
      if let old, old.isEquivalent(to: value) { continue }
      if old == nil, value.effectivePairs.isEmpty { continue }
      try editor.edit(path, [.set(target.path, value)])
    }
  }
}

extension NetplanEditor {
  /// Position of `path` in netplan's reading order (new files by name among the others).
  func order(of path: String) -> [UInt8] { Array(path.split(separator: "/").last.map(String.init)?.utf8 ?? "".utf8) }
}

extension SetIPRequest {
  /// Why `address` cannot be an interface's own address, or nil.
  static func hostProblem(_ address: InterfaceAddress) -> String? {
    let ip = address.address
    let hostBits = ip.maxPrefixLength - address.prefixLength
    if ip.isMulticast { return "a multicast address is not a host address" }
    if hostBits >= 2, ip == address.network {
      return "this is the network address of \(address.network)/\(address.prefixLength), not a host address"
    }
    if ip.family == .ipv4, hostBits >= 2, UInt128Value(ip) == address.subnetRange.upperBound {
      return "this is the broadcast address of \(address.network)/\(address.prefixLength), not a host address"
    }
    return nil
  }

  /// What the operator probably meant by an address that does not parse.
  static func hint(_ text: String, interface: String) -> String {
    if ["dhcp", "dhcp4", "dhcp6", "auto"].contains(text.lowercased()) {
      return "; to turn DHCP on, run `netcfg dhcp \(interface)`"
    }
    let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
    if parts.count == 2, case .v4(let mask)? = IPAddress(parts[1]), let host = IPAddress(parts[0]) {
      let ones = mask.value.nonzeroBitCount
      if mask.value == (ones == 0 ? 0 : UInt32.max << UInt32(32 - ones)) {
        return "; write \(host)/\(ones): the prefix length, not the netmask \(parts[1])"
      }
    }
    if parts.count == 1, let host = IPAddress(text) {
      return "; give the prefix length, e.g. \(host)/\(host.family == .ipv4 ? 24 : 64)"
    }
    return ""
  }

  /// Parses and checks the command-line arguments (usage errors name the problem).
  public static func parse(
    interface: String, addresses: [String], gateway: String?, gateway6: String?, dns: [String],
    search: [String], keepDHCP: Bool, onLink: Bool, force: Bool = false
  ) throws(EditError) -> SetIPRequest {
    // `--dns A --search D ADDR/PREFIX`: the options took the address that follows them; and
    // `--dns 1.1.1.1,8.8.8.8` as nmcli takes lists.
    let lists = { (values: [String]) in values.flatMap { $0.split(separator: ",").map(String.init) } }
    var addresses = addresses
    var dns = lists(dns)
    var search = lists(search)
    for (i, list) in [dns, search].enumerated() {
      let taken = list.filter { $0.contains("/") && InterfaceAddress($0) != nil }
      guard !taken.isEmpty else { continue }
      addresses += taken
      if i == 0 { dns.removeAll(where: taken.contains) } else { search.removeAll(where: taken.contains) }
    }
    var parsed: [InterfaceAddress] = []
    for text in addresses {
      switch InterfaceAddress.parse(text) {
      case .success(let a):
        if let problem = hostProblem(a) { throw EditError(.usage, "\(text): \(problem)") }
        parsed.append(a)
      case .failure(let problem): throw EditError(.usage, problem.message(text) + hint(text, interface: interface))
      }
    }
    guard !parsed.isEmpty else { throw EditError(.usage, "give at least one ADDRESS/PREFIX") }
    var gateways: [IPAddress] = []
    if let gateway {
      guard let ip = IPAddress(gateway) else { throw EditError(.usage, "gateway '\(gateway)' is not an IP address") }
      gateways.append(ip)
    }
    if let gateway6 {
      guard let ip = IPAddress(gateway6), ip.family == .ipv6 else {
        throw EditError(.usage, "--gateway6 '\(gateway6)' is not an IPv6 address")
      }
      gateways.append(ip)
    }
    if Set(gateways.map(\.family)).count < gateways.count {
      throw EditError(.usage, "two gateways of the same family")
    }
    var servers: [IPAddress] = []
    if !dns.isEmpty { try DNSEdit.check(servers: dns, search: search) }  // resolved's stub is no upstream
    for text in dns {
      guard let ip = IPAddress(text) else { throw EditError(.usage, "DNS server '\(text)' is not an IP address") }
      servers.append(ip)
    }
    for domain in search where domain.isEmpty || domain.contains(where: { $0.isWhitespace || $0 == "/" }) {
      throw EditError(.usage, "search domain '\(domain)' is not a domain name")
    }
    return SetIPRequest(
      interface: interface, addresses: parsed, gateways: gateways, dns: dns.isEmpty ? nil : servers,
      search: search.isEmpty ? nil : search, keepDHCP: keepDHCP, onLink: onLink, force: force)
  }
}
