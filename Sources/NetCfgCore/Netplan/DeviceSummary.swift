import NetCfgYAML

/// A value in force and where it was written.
public struct Sourced<Value: Sendable>: Sendable {
  public var value: Value
  public var location: SourceLocation?
  /// Values other files set before and that this one overrides (text and place).
  public var overridden: [Contribution]

  public init(_ value: Value, _ location: SourceLocation?, overridden: [Contribution] = []) {
    self.value = value
    self.location = location
    self.overridden = overridden
  }

  /// The value of a merged scalar node, with the values it overrides.
  init(_ value: Value, node: NetplanNode) {
    self.init(value, node.location, overridden: node.hasSeveralContributions ? node.contributions.filter(\.overridden) : [])
  }
}

/// What `show` reports of one device: the settings operators care about, each with its
/// origin.
public struct DeviceSummary: Sendable {
  public struct Route: Sendable {
    public var to: String
    public var via: String?
    public var metric: String?
    public var table: String?
    public var location: SourceLocation
  }

  public var id: String
  public var type: String
  public var renderer: Sourced<String>
  public var addresses: [Sourced<String>]
  public var dhcp4: Sourced<Bool>?
  public var dhcp6: Sourced<Bool>?
  /// Default routes (`to: default`, `0.0.0.0/0`, `::/0`) and the deprecated gateway4/6 keys.
  public var gateways: [Route]
  public var routes: [Route]
  public var nameservers: [Sourced<String>]
  public var search: [Sourced<String>]
  public var setName: Sourced<String>?
  public var match: [String: String]
  public var mtu: Sourced<String>?

  /// What every device's summary looks up in the network section (`renderer:` globally and
  /// per type), found once: `show` summarises thousands of devices, and each of these
  /// lookups hashed a key into a section of thousands.
  public struct Context: Sendable {
    let global: NetplanNode?
    let sections: [String: NetplanNode]

    /// For devices of the given types.
    public init(network: NetplanNode?, types: some Sequence<String>) {
      global = network?["renderer"]
      var sections: [String: NetplanNode] = [:]
      for type in Set(types) {
        if let renderer = network?[type]?["renderer"] { sections[type] = renderer }
      }
      self.sections = sections
    }
  }

  public init(_ device: NetplanDevice, network: NetplanNode?) {
    self.init(device, context: Context(network: network, types: [device.type]))
  }

  public init(_ device: NetplanDevice, context: Context) {
    id = device.id
    type = device.type
    // Keys by `DeviceKey`: one bit test for each the definition does not have.
    if let r = device[.renderer], let text = r.scalar {
      renderer = Sourced(text, node: r)
    } else if let sectionRenderer = context.sections[device.type], let first = device.keyLocations.first,
      let r = sectionRenderer.contributions.last(where: {
        $0.location.file == first.file && ($0.location.line, $0.location.column) < (first.line, first.column)
      }), let text = r.scalar
    {
      // A type's `renderer:` applies to the definitions after it in the same file.
      renderer = Sourced(text, r.location)
    } else if let r = context.global, let text = r.scalar {
      renderer = Sourced(text, node: r)
    } else {
      renderer = Sourced("networkd", nil)
    }
    addresses = device[.addresses]?.items.compactMap { item in
      if let text = item.scalar { return Sourced(text, item.location) }
      return item.entries.first.map { Sourced($0.key, item.location) }
    } ?? []
    dhcp4 = DeviceSummary.bool(device[.dhcp4])
    dhcp6 = DeviceSummary.bool(device[.dhcp6])
    var gateways: [Route] = []
    var routes: [Route] = []
    for item in device[.routes]?.items ?? [] {
      let to = item["to"]?.scalar ?? ""
      let route = Route(
        to: to, via: item["via"]?.scalar, metric: item["metric"]?.scalar, table: item["table"]?.scalar,
        location: item.location)
      switch to {
      case "default", "0.0.0.0/0", "::/0": gateways.append(route)
      default: routes.append(route)
      }
    }
    for key in [DeviceKey.gateway4, .gateway6] {
      if let g = device[key], let via = g.scalar {
        gateways.append(Route(to: "default", via: via, metric: nil, table: nil, location: g.location))
      }
    }
    self.gateways = gateways
    self.routes = routes
    let nameserverNode = device[.nameservers]
    nameservers = DeviceSummary.list(nameserverNode?["addresses"])
    search = DeviceSummary.list(nameserverNode?["search"])
    setName = device[.setName].flatMap { n in n.scalar.map { Sourced($0, node: n) } }
    var match: [String: String] = [:]
    for entry in device[.match]?.entries ?? [] {
      match[entry.key] = entry.value.scalar ?? entry.value.items.compactMap(\.scalar).joined(separator: ",")
    }
    self.match = match
    mtu = device[.mtu].flatMap { n in n.scalar.map { Sourced($0, node: n) } }
  }

  static func bool(_ node: NetplanNode?) -> Sourced<Bool>? {
    guard let node, let text = node.scalar, let value = NetplanBool.parse(text) else { return nil }
    return Sourced(value, node: node)
  }

  static func list(_ node: NetplanNode?) -> [Sourced<String>] {
    node?.items.compactMap { item in item.scalar.map { Sourced($0, item.location) } } ?? []
  }
}
