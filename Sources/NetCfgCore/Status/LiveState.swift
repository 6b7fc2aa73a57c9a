import NetCfgYAML
#if canImport(Glibc)
  import Glibc
#endif

/// The live state of the host's links, as `ip -j addr show` and `ip -j route show table all`
/// give it, and what the daemons say (decoded purely, so that `status` is tested on recorded
/// output).
public struct LiveState: Sendable {
  public struct Link: Sendable, Equatable {
    public var index: Int = 0
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
  public var resolved: DaemonAnswer<ResolvedState>
  public var networkd: DaemonAnswer<[NetworkdLink]>
  public var networkManager: DaemonAnswer<[NetworkManagerDevice]>

  public init(
    links: [Link], routes: [KernelRoute], resolved: DaemonAnswer<ResolvedState> = .unknown("not asked"),
    networkd: DaemonAnswer<[NetworkdLink]> = .unknown("not asked"),
    networkManager: DaemonAnswer<[NetworkManagerDevice]> = .unknown("not asked")
  ) {
    self.links = links
    self.routes = routes
    self.resolved = resolved
    self.networkd = networkd
    self.networkManager = networkManager
  }

  public func link(_ name: String) -> Link? { links.first { $0.name == name } }

  public var managers: LinkManagers { LinkManagers(networkd: networkd, networkManager: networkManager) }

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
        index: link["ifindex"]?.intValue ?? 0, name: name, mtu: link["mtu"]?.intValue, state: link["operstate"]?.stringValue ?? "UNKNOWN",
        carrier: flags.contains("LOWER_UP"), addresses: addresses)
    }
  }

  /// Reads the live state: `ip` (links, both families' routes) and the daemons, all at once.
  public static func read(_ probe: KernelProbe = KernelProbe()) -> Result<LiveState, ProbeFailure> {
    let links = Handoff<Result<JSONValue, ProbeFailure>>(), ipv4 = Handoff<Result<[KernelRoute], ProbeFailure>>()
    let ipv6 = Handoff<Result<[KernelRoute], ProbeFailure>>(), resolved = Handoff<DaemonAnswer<ResolvedState>>()
    let networkd = Handoff<DaemonAnswer<[NetworkdLink]>>(), networkManager = Handoff<DaemonAnswer<[NetworkManagerDevice]>>()
    // Each read mostly waits (for a process, or a daemon's answer): a thread each.
    let reads: [@Sendable () -> Void] = [
      { links.value = probe.ip(["-j", "addr", "show"]) },
      { ipv4.value = probe.routes(ipv6: false) },
      { ipv6.value = probe.routes(ipv6: true) },
      { resolved.value = DaemonQuery.resolved() },
      { networkd.value = DaemonQuery.networkd() },
      { networkManager.value = DaemonQuery.networkManager(probe.runner) },
    ]
    concurrently(reads.count) { reads[$0]() }
    do {
      return .success(LiveState(
        links: LiveState.links(try links.value!.get()), routes: try ipv4.value!.get() + ipv6.value!.get(),
        resolved: resolved.value!, networkd: networkd.value!, networkManager: networkManager.value!))
    } catch {
      return .failure(error)
    }
  }
}

/// Asking the daemons without starting them.
enum DaemonQuery {
  /// systemd-resolved's `DNS` and `Domains` (as the two lines `busctl --json=short
  /// get-property` prints).
  static func resolved() -> DaemonAnswer<ResolvedState> {
    let path = "/org/freedesktop/resolve1", manager = "org.freedesktop.resolve1.Manager"
    return ask { bus in
      bus.property("org.freedesktop.resolve1", path, manager, "DNS").flatMap { dns in
        bus.property("org.freedesktop.resolve1", path, manager, "Domains").map { dns + "\n" + $0 + "\n" }
      }
    } decode: { ResolvedState.parse($0) }
  }

  /// systemd-networkd's `Describe` (systemd 250 and later; older ones are `.unknown`).
  static func networkd() -> DaemonAnswer<[NetworkdLink]> {
    ask { bus in
      bus.call("org.freedesktop.network1", "/org/freedesktop/network1", "org.freedesktop.network1.Manager", "Describe")
    } decode: { NetworkdLink.parse(describe: $0) }
  }

  static func ask<T>(_ question: (SystemBus) -> Result<String, SystemBus.Failure>, decode: (String) -> T?) -> DaemonAnswer<T> {
    let answer: Result<String, SystemBus.Failure>
    do { answer = question(try SystemBus()) } catch { answer = .failure(error) }
    switch answer {
    case .success(let text):
      return decode(text).map { .answered($0) } ?? .unknown("an answer netcfg cannot read")
    case .failure(.notRunning): return .notRunning
    case .failure(.failed(let why)): return .unknown(why)
    case .failure(.noBus(let errno)): return .unknown("no system bus (\(String(cString: strerror(errno))))")
    }
  }

  /// `nmcli -t -f DEVICE,STATE,CONNECTION device`, when NetworkManager is installed and runs.
  static func networkManager(_ runner: ProcessRunner) -> DaemonAnswer<[NetworkManagerDevice]> {
    guard runner.locate("nmcli") != nil else { return .notRunning }
    guard let result = try? runner.run("nmcli", ["-t", "-f", "DEVICE,STATE,CONNECTION", "device"]) else { return .unknown("nmcli did not run") }
    // nmcli exits 8 when NetworkManager is not running.
    guard result.succeeded else { return result.status == 8 ? .notRunning : .unknown(result.stderrText) }
    return .answered(NetworkManagerDevice.parse(result.stdoutText))
  }
}
