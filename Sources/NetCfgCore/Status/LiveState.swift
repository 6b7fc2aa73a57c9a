import Dispatch
#if canImport(Glibc)
  import Glibc
#endif
import Synchronization

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
    let runner = probe.runner
    let links = Mutex<Result<JSONValue, ProbeFailure>?>(nil)
    let routes = Mutex<[Result<[KernelRoute], ProbeFailure>?]>([nil, nil])
    let resolved = Mutex<DaemonAnswer<ResolvedState>>(.notRunning)
    let networkd = Mutex<DaemonAnswer<[NetworkdLink]>>(.notRunning)
    let networkManager = Mutex<DaemonAnswer<[NetworkManagerDevice]>>(.notRunning)
    // Each read mostly waits (for a process, or a daemon's answer): a thread each.
    concurrently(6) { i in
      switch i {
      case 0:
        let answer = probe.ip(["-j", "addr", "show"])
        links.withLock { $0 = answer }
      case 1, 2:
        let answer = probe.routes(ipv6: i == 2)
        routes.withLock { $0[i - 1] = answer }
      case 3:
        let answer = DaemonQuery.resolved()
        resolved.withLock { $0 = answer }
      case 4:
        let answer = DaemonQuery.networkd()
        networkd.withLock { $0 = answer }
      default:
        let answer = DaemonQuery.networkManager(runner)
        networkManager.withLock { $0 = answer }
      }
    }
    var state = LiveState(links: [], routes: [])
    switch links.withLock({ $0 }) {
    case .success(let json)?: state.links = LiveState.links(json)
    case .failure(let failure)?: return .failure(failure)
    case nil: break
    }
    for result in routes.withLock({ $0 }) {
      switch result {
      case .success(let some)?: state.routes += some
      case .failure(let failure)?: return .failure(failure)
      case nil: break
      }
    }
    state.resolved = resolved.withLock { $0 }
    state.networkd = networkd.withLock { $0 }
    state.networkManager = networkManager.withLock { $0 }
    return .success(state)
  }
}

extension LiveState {
  /// `read()` started on another thread; `result()` waits for it. The semaphore orders the
  /// one write before every read.
  public final class Reading: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var state: Result<LiveState, ProbeFailure>?

    public init(_ probe: KernelProbe = KernelProbe()) {
      DispatchQueue.global().async {
        self.state = LiveState.read(probe)
        self.done.signal()
      }
    }

    public func result() -> Result<LiveState, ProbeFailure> {
      done.wait()
      done.signal()
      return state!
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
    let bus: SystemBus
    do { bus = try SystemBus() } catch {
      if case .noBus(let errno) = error { return .unknown("no system bus (\(String(cString: strerror(errno))))") }
      return .unknown("no system bus")
    }
    switch question(bus) {
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
