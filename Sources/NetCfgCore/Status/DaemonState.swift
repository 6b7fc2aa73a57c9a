/// What the network daemons say now, decoded purely from their recorded answers:
/// systemd-resolved's servers and domains (its D-Bus API through `busctl --json`),
/// systemd-networkd's links (its `Describe` method, the data `networkctl --json` shows) and
/// NetworkManager's devices (`nmcli -t`). A daemon that does not run is `.notRunning`; one
/// netcfg could not ask (no busctl, an answer it cannot read) is `.unknown`.
public enum DaemonAnswer<Value: Sendable>: Sendable {
  case answered(Value)
  case notRunning
  case unknown(String)

  public var value: Value? {
    if case .answered(let value) = self { return value }
    return nil
  }

  /// Why the daemon could not be asked; nil when it answered or does not run.
  public var unknownReason: String? {
    if case .unknown(let why) = self { return why }
    return nil
  }
}

/// What systemd-networkd and NetworkManager say about the links.
public struct LinkManagers: Sendable {
  public var networkd: DaemonAnswer<[NetworkdLink]>
  public var networkManager: DaemonAnswer<[NetworkManagerDevice]>

  public init(networkd: DaemonAnswer<[NetworkdLink]>, networkManager: DaemonAnswer<[NetworkManagerDevice]>) {
    self.networkd = networkd
    self.networkManager = networkManager
  }

  public func networkdLink(_ name: String) -> NetworkdLink? { networkd.value?.first { $0.name == name } }
  public func device(_ name: String) -> NetworkManagerDevice? { networkManager.value?.first { $0.name == name } }

  /// The daemon that manages link `name` now: `networkd`, `NetworkManager` or `none`; nil
  /// when neither manages it and one of them could not be asked.
  public func manager(of name: String) -> String? {
    if networkdLink(name)?.manages == true { return "networkd" }
    if device(name)?.manages == true { return "NetworkManager" }
    return networkd.unknownReason == nil && networkManager.unknownReason == nil ? "none" : nil
  }
}

/// systemd-resolved's configuration as it has it now: ifindex 0 is global.
public struct ResolvedState: Sendable, Equatable {
  public struct Server: Sendable, Equatable {
    public var ifindex: Int
    public var address: String
  }

  public struct Domain: Sendable, Equatable {
    public var ifindex: Int
    public var name: String
    /// `~domain`: used for routing queries only, not as a search domain.
    public var routeOnly: Bool
  }

  public var servers: [Server]
  public var domains: [Domain]

  /// From `busctl --json=short get-property org.freedesktop.resolve1 /org/freedesktop/resolve1
  /// org.freedesktop.resolve1.Manager DNS Domains`: two lines, `a(iiay)` and `a(isb)`.
  public static func parse(_ text: String) -> ResolvedState? {
    let lines = text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    guard lines.count == 2, let dns = lines[0]["data"]?.arrayValue, let domains = lines[1]["data"]?.arrayValue else { return nil }
    let servers = dns.compactMap { entry -> Server? in
      guard let fields = entry.arrayValue, fields.count >= 3, let index = fields[0].intValue,
        let address = ResolvedState.address(fields[2])
      else { return nil }
      return Server(ifindex: index, address: address)
    }
    let names = domains.compactMap { entry -> Domain? in
      guard let fields = entry.arrayValue, fields.count >= 3, let index = fields[0].intValue, let name = fields[1].stringValue
      else { return nil }
      return Domain(ifindex: index, name: name, routeOnly: fields[2].boolValue ?? false)
    }
    return ResolvedState(servers: servers, domains: names)
  }

  /// An address given as its bytes (4 or 16), as D-Bus and networkd's JSON carry them.
  static func address(_ json: JSONValue) -> String? {
    let bytes = (json.arrayValue ?? []).compactMap(\.intValue)
    if bytes.count == 4 {
      return IPv4Address(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1 & 0xFF) }).description
    }
    guard bytes.count == 16 else { return nil }
    let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1 & 0xFF) }
    let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1 & 0xFF) }
    return IPv6Address(high: high, low: low).description
  }
}

/// One link as systemd-networkd has it.
public struct NetworkdLink: Sendable, Equatable {
  public var index: Int
  public var name: String
  /// `configured`, `configuring`, `unmanaged`, `failed`, `pending`, `linger`, `initialized`.
  public var administrativeState: String
  /// The .network file it applies (netplan's are /run/systemd/network/10-netplan-*).
  public var networkFile: String?
  /// The DNS servers networkd gives resolved for the link, with where they came from
  /// (`static`: its .network file; `DHCPv4`, `DHCPv6`, `NDisc`: leases and advertisements).
  public var dns: [(address: String, source: String)]
  public var domains: [(name: String, source: String)]

  public var manages: Bool { !["unmanaged", "pending", "initialized", "linger"].contains(administrativeState) }

  public static func == (a: NetworkdLink, b: NetworkdLink) -> Bool {
    a.index == b.index && a.name == b.name && a.administrativeState == b.administrativeState && a.networkFile == b.networkFile
      && a.dns.map { [$0.address, $0.source] } == b.dns.map { [$0.address, $0.source] }
      && a.domains.map { [$0.name, $0.source] } == b.domains.map { [$0.name, $0.source] }
  }

  /// From `busctl --json=short call org.freedesktop.network1 /org/freedesktop/network1
  /// org.freedesktop.network1.Manager Describe` (a JSON string holding networkd's JSON).
  public static func parse(describe text: String) -> [NetworkdLink]? {
    // `busctl call` gives the method's return values as a list: one string here.
    guard let outer = try? JSONValue.parse(text), let inner = outer["data"]?.arrayValue?.first?.stringValue,
      let json = try? JSONValue.parse(inner), let interfaces = json["Interfaces"]?.arrayValue
    else { return nil }
    return interfaces.compactMap { link in
      guard let index = link["Index"]?.intValue, let name = link["Name"]?.stringValue else { return nil }
      let dns = (link["DNS"]?.arrayValue ?? []).compactMap { entry -> (String, String)? in
        guard let address = entry["Address"].flatMap(ResolvedState.address) else { return nil }
        return (address, entry["ConfigSource"]?.stringValue ?? "unknown")
      }
      let domains = (link["SearchDomains"]?.arrayValue ?? []).compactMap { entry -> (String, String)? in
        guard let domain = entry["Domain"]?.stringValue else { return nil }
        return (domain, entry["ConfigSource"]?.stringValue ?? "unknown")
      }
      return NetworkdLink(
        index: index, name: name, administrativeState: link["AdministrativeState"]?.stringValue ?? "unknown",
        networkFile: link["NetworkFile"]?.stringValue, dns: dns, domains: domains)
    }
  }
}

/// One device as NetworkManager has it (`nmcli -t -f DEVICE,STATE,CONNECTION device`).
public struct NetworkManagerDevice: Sendable, Equatable {
  public var name: String
  /// `connected`, `connecting (...)`, `disconnected`, `unmanaged`, `unavailable`.
  public var state: String
  public var connection: String?

  public var manages: Bool { state.hasPrefix("connect") }

  public static func parse(_ text: String) -> [NetworkManagerDevice] {
    text.split(separator: "\n").compactMap { line in
      let fields = NetworkManagerDevice.terse(Substring(line))
      guard fields.count >= 3, !fields[0].isEmpty else { return nil }
      return NetworkManagerDevice(name: fields[0], state: fields[1], connection: fields[2].isEmpty || fields[2] == "--" ? nil : fields[2])
    }
  }

  /// nmcli's terse fields: split at `:`, with `\:` and `\\` escaped.
  static func terse(_ line: Substring) -> [String] {
    var fields: [String] = [], current = "", escaped = false
    for c in line {
      if escaped {
        current.append(c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == ":" {
        fields.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    fields.append(current)
    return fields
  }
}
