/// The live state of the host's links, as `ip -j addr show` and `ip -j route show table all`
/// give it (decoded purely, so that `status` is tested on recorded output).
public struct LiveState: Sendable {
  public struct Link: Sendable, Equatable {
    public var name: String
    public var mtu: Int?
    /// `UP`, `DOWN`, `UNKNOWN` (as the kernel's operstate says).
    public var state: String
    /// The link has carrier (`LOWER_UP`).
    public var carrier: Bool
    public var addresses: [Address]
  }

  public struct Address: Sendable, Equatable {
    public var text: String
    /// `global`, `link`, `host`.
    public var scope: String
    /// Seconds left of its lease (DHCP, router advertisements); nil: forever.
    public var validLifetime: Int?
  }

  public var links: [Link]
  public var routes: [KernelRoute]

  public init(links: [Link], routes: [KernelRoute]) {
    self.links = links
    self.routes = routes
  }

  public func link(_ name: String) -> Link? { links.first { $0.name == name } }

  /// The links of `ip -j addr show`.
  public static func links(_ json: JSONValue) -> [Link] {
    (json.arrayValue ?? []).compactMap { link in
      guard let name = link["ifname"]?.stringValue else { return nil }
      let flags = (link["flags"]?.arrayValue ?? []).compactMap(\.stringValue)
      let addresses = (link["addr_info"]?.arrayValue ?? []).compactMap { info -> Address? in
        guard let local = info["local"]?.stringValue, let prefix = info["prefixlen"]?.intValue else { return nil }
        let lifetime = info["valid_life_time"]?.intValue
        return Address(
          text: "\(local)/\(prefix)", scope: info["scope"]?.stringValue ?? "global",
          validLifetime: lifetime == nil || lifetime == 4_294_967_295 ? nil : lifetime)
      }
      return Link(
        name: name, mtu: link["mtu"]?.intValue, state: link["operstate"]?.stringValue ?? "UNKNOWN",
        carrier: flags.contains("LOWER_UP"), addresses: addresses)
    }
  }

  /// Reads the live state through `ip` (both families' routes).
  public static func read(_ probe: KernelProbe = KernelProbe()) -> Result<LiveState, ProbeFailure> {
    let links = probe.ip(["-j", "addr", "show"]).map(LiveState.links)
    guard case .success(let found) = links else { return links.map { _ in LiveState(links: [], routes: []) } }
    var routes: [KernelRoute] = []
    for ipv6 in [false, true] {
      switch probe.routes(ipv6: ipv6) {
      case .success(let some): routes += some
      case .failure(let failure): return .failure(failure)
      }
    }
    return .success(LiveState(links: found, routes: routes))
  }
}
