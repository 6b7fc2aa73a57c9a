import NetCfgYAML
import Synchronization
#if canImport(Glibc)
  import Glibc
#endif

/// The checks for an applied configuration, measured before and after.
public struct Verifier: Sendable {
  public var checks: [Check]
  public var timeout: Double
  let kernel: KernelProbe

  public init(checks: [Check], timeout: Double, runner: ProcessRunner = ProcessRunner()) {
    self.checks = checks
    self.timeout = timeout
    self.kernel = KernelProbe(runner: runner)
  }

  /// Links among `changed` (or holding one of them) that forward only after a while: a bridge
  /// with STP (netplan's default) listens and learns for 2 × forward-delay (15 s by default);
  /// an 802.3ad bond waits for its LACP partner.
  public static func slowLinks(_ config: NetplanConfiguration, changed: [String]) -> [(seconds: Double, reason: String)] {
    var out: [(seconds: Double, reason: String)] = []
    var ids = Set(changed)
    let parents = config.memberParents()
    for id in changed { if let parent = parents[id] { ids.insert(parent.id) } }
    for id in ids.sorted() {
      guard let device = config.device(id) else { continue }
      let parameters = device.node["parameters"]
      if device.type == "bridges", NetplanBool.parse(parameters?["stp"]?.scalar ?? "true") != false {
        let delay = Double((parameters?["forward-delay"]?.scalar ?? "").prefix { $0.isNumber }) ?? 15
        out.append((2 * delay + 2, "bridge \(id) uses STP"))
      }
      if device.type == "bonds", parameters?["mode"]?.scalar == "802.3ad" {
        out.append((10, "bond \(id) negotiates LACP"))
      }
    }
    return out
  }

  /// After /etc/resolv.conf changed: each server it names answers a lookup (of its first
  /// search domain, else the root), asked directly; through resolved's stub when it links
  /// there.
  public static func resolverChecks(_ conf: ResolvConf, _ fs: FileSystem) -> [Check] {
    switch conf.mode {
    case .static:
      let name = conf.search.first ?? "."
      return conf.nameservers.filter { IPAddress($0) != nil }.map { Check.answers(server: $0, name: name) }
    case .stub, .uplink:
      let name = ResolvedConfig.load(fs).effective("Domains").values.first { !$0.hasPrefix("~") } ?? "."
      return [.answers(server: "127.0.0.53", name: name)]
    case .foreign, .missing:
      return []
    }
  }

  /// The checks for `devices` of `config` (their addresses, default routes and gateways), the
  /// extra hosts and names, and the SSH client when there is one.
  public static func checks(
    devices: [String], in config: NetplanConfiguration, hosts: [String], names: [String], sshClient: String?,
    tcp: [(String, Int)] = []
  ) -> [Check] {
    var out: [Check] = []
    for id in devices {
      guard let device = config.device(id) else { continue }
      let node = device.node
      guard node["match"] == nil || node["set-name"] != nil else { continue }  // no kernel name known
      let interface = node["set-name"]?.scalar ?? id
      // Through its own backend: the daemon the files give it manages it.
      out.append(.managed(interface: interface, by: DeviceSummary(device, network: config.network).renderer.value == "NetworkManager" ? "NetworkManager" : "networkd"))
      for item in node["addresses"]?.items ?? [] {
        if let text = item.scalar ?? item.entries.first?.key { out.append(.address(interface: interface, address: text)) }
      }
      for route in node["routes"]?.items ?? [] where SetIPRequest.defaultRouteFamily(route.value, anyTable: true) != nil {
        // Only plain routes to a gateway (no `type: blackhole`, no source-specific `from:`).
        guard let via = route["via"]?.scalar, route["from"] == nil, route["type"].map({ $0.scalar == "unicast" }) ?? true
        else { continue }
        out.append(.defaultRoute(interface: interface, gateway: via, table: KernelRoute.tableName(route["table"]?.scalar)))
        out.append(.gateway(interface: interface, address: via))
      }
      for key in ["gateway4", "gateway6"] {
        guard let via = node[key]?.scalar else { continue }
        out.append(.defaultRoute(interface: interface, gateway: via, table: "main"))
        out.append(.gateway(interface: interface, address: via))
      }
    }
    out += hosts.map { Check.reachable(host: $0) }
    out += names.map { Check.resolves(name: $0) }
    if let sshClient { out.append(.routable(address: sshClient)) }
    out += tcp.map { Check.tcp(host: $0.0, port: $0.1) }
    return uniqued(out)
  }

  /// Every check probed once, all at the same time, each within `timeout` (for `status`).
  public func results() -> [CheckResult] {
    let out = Mutex<[CheckResult?]>(Array(repeating: nil, count: checks.count))
    let checks = self.checks, kernel = self.kernel, timeout = self.timeout
    concurrently(checks.count) { i in
      let result = checks[i].probe(kernel, within: timeout)
      out.withLock { $0[i] = result }
    }
    return out.withLock { $0.compactMap { $0 } }
  }

  /// The checks that fail now (before an apply: those do not count against it).
  public func failing() -> Set<Check> { Set(checks.filter { !$0.probe(kernel).ok }) }

  /// Waits up to `timeout` for every check not in `excused` to hold, then probes them all
  /// once more at least `settle` seconds after it started; returns what the checks that
  /// never held (or no longer did) last showed.
  public func verify(excusing excused: Set<Check> = []) -> [CheckResult] {
    let wanted = checks.filter { !excused.contains($0) }
    let start = monotonicSeconds()
    let deadline = start + timeout
    var failing = wanted.map { CheckResult(check: $0, ok: false, method: "", detail: "not probed") }
    var probed = false
    while true {
      failing = failing.map { $0.check.probe(kernel, within: deadline - monotonicSeconds()) }.filter { !$0.ok }
      if !probed { FaultPoint.reached("verifying") }
      probed = true
      if failing.isEmpty {
        // `netplan apply` returns while networkd still has reconfigurations queued (`networkctl
        // reload`, then `reconfigure`), each dropping the link's addresses and routes before
        // adding them again: a state seen between two of them is about to be torn down. It
        // counts when it still holds on a second look, `settle` seconds after the start at
        // the earliest.
        let pause = max(0.1, start + Verifier.settle - monotonicSeconds())
        usleep(UInt32(pause * 1_000_000))
        failing = wanted.map { $0.probe(kernel) }.filter { !$0.ok }
        if failing.isEmpty { return [] }
      }
      if monotonicSeconds() >= deadline {
        let waited = String(Double(Int((monotonicSeconds() - start) * 10)) / 10)
        return failing.map { var r = $0; r.detail += " in \(waited) s"; return r }
      }
      usleep(100_000)
    }
  }

  /// How long a restored state (a rollback, a recovery) may take to verify: the change's own
  /// timeout, and at least 10 s. The state worked before, so it returns as soon as it holds;
  /// networkd can take seconds to bring a link back after two reconfigurations in a row
  /// (seen with static IPv6 addresses), and calling that a failed rollback would send the
  /// operator to repair a network that is fine.
  public static func restoreTimeout(_ timeout: Double) -> Double { max(timeout, 10) }

  /// The earliest a verification can succeed, in seconds after it started.
  public static let settle = 0.3
}

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The items without repeats, in their order.
func uniqued<T: Hashable>(_ items: [T]) -> [T] {
  var seen: Set<T> = []
  return items.filter { seen.insert($0).inserted }
}
