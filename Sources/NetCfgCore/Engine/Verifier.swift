#if canImport(Glibc)
  import Glibc
#endif

/// One thing that must hold after an apply.
public enum Check: Sendable, Hashable, CustomStringConvertible {
  /// The kernel has ADDRESS/PREFIX on IFACE (`ip -o addr show dev IFACE`).
  case address(interface: String, address: String)
  /// The default route of the gateway's family goes via GATEWAY on IFACE (`ip -o route`).
  case defaultRoute(interface: String, gateway: String)
  /// HOST answers an ICMP echo (`ping -c1 -W1`).
  case reachable(host: String)
  /// NAME resolves through the system resolver (`getent hosts NAME`).
  case resolves(name: String)
  /// The SSH client's address is still routable (`ip route get ADDRESS`).
  case routable(address: String)

  public var description: String {
    switch self {
    case .address(let i, let a): return "\(i) has \(a)"
    case .defaultRoute(let i, let g): return "default route via \(g) on \(i)"
    case .reachable(let h): return "\(h) answers ping"
    case .resolves(let n): return "\(n) resolves"
    case .routable(let a): return "SSH client \(a) is routable"
    }
  }

  /// Whether the check holds now.
  public func holds(_ runner: ProcessRunner) -> Bool {
    func run(_ program: String, _ arguments: [String]) -> ProcessResult? { try? runner.run(program, arguments) }
    switch self {
    case .address(let interface, let address):
      guard let out = run("ip", ["-o", "addr", "show", "dev", interface]), out.succeeded else { return false }
      return out.stdoutText.split(separator: "\n").contains { line in
        line.split(separator: " ").contains { $0 == address || Check.sameAddress(String($0), address) }
      }
    case .defaultRoute(let interface, let gateway):
      let family = gateway.contains(":") ? "-6" : "-4"
      guard let out = run("ip", [family, "-o", "route", "show", "default"]), out.succeeded else { return false }
      return out.stdoutText.split(separator: "\n").contains { line in
        let words = line.split(separator: " ").map(String.init)
        return zip(words, words.dropFirst()).contains { $0 == "via" && $1 == gateway }
          && zip(words, words.dropFirst()).contains { $0 == "dev" && $1 == interface }
      }
    case .reachable(let host):
      return run("ping", ["-c", "1", "-W", "1", "-q", host])?.succeeded == true
    case .resolves(let name):
      return run("getent", ["hosts", name])?.succeeded == true
    case .routable(let address):
      return run("ip", ["-o", "route", "get", address])?.succeeded == true
    }
  }

  static func sameAddress(_ a: String, _ b: String) -> Bool {
    guard let x = InterfaceAddress(a), let y = InterfaceAddress(b) else { return false }
    return x == y
  }
}

/// The checks for an applied configuration, measured before and after.
public struct Verifier: Sendable {
  public var checks: [Check]
  public var timeout: Double
  let runner: ProcessRunner

  public init(checks: [Check], timeout: Double, runner: ProcessRunner = ProcessRunner()) {
    self.checks = checks
    self.timeout = timeout
    self.runner = runner
  }

  /// The checks for `devices` of `config` (their addresses, default routes and gateways), the
  /// extra hosts and names, and the SSH client when there is one.
  public static func checks(
    devices: [String], in config: NetplanConfiguration, hosts: [String], names: [String], sshClient: String?
  ) -> [Check] {
    var out: [Check] = []
    for id in devices {
      guard let device = config.device(id) else { continue }
      let node = device.node
      guard node["match"] == nil || node["set-name"] != nil else { continue }  // no kernel name known
      let interface = node["set-name"]?.scalar ?? id
      for item in node["addresses"]?.items ?? [] {
        if let text = item.scalar ?? item.entries.first?.key { out.append(.address(interface: interface, address: text)) }
      }
      for route in node["routes"]?.items ?? [] where SetIPRequest.defaultRouteFamily(route.value) != nil {
        if let via = route["via"]?.scalar {
          out.append(.defaultRoute(interface: interface, gateway: via))
          out.append(.reachable(host: via))
        }
      }
    }
    out += hosts.map { Check.reachable(host: $0) }
    out += names.map { Check.resolves(name: $0) }
    if let sshClient { out.append(.routable(address: sshClient)) }
    return uniqued(out)
  }

  /// The checks that fail now (before an apply: those do not count against it).
  public func failing() -> Set<Check> { Set(checks.filter { !$0.holds(runner) }) }

  /// Waits up to `timeout` for every check not in `excused` to hold; returns those that never did.
  public func verify(excusing excused: Set<Check> = []) -> [Check] {
    let wanted = checks.filter { !excused.contains($0) }
    let deadline = monotonicSeconds() + timeout
    var failing = wanted
    while true {
      failing = failing.filter { !$0.holds(runner) }
      if failing.isEmpty || monotonicSeconds() >= deadline { return failing }
      usleep(100_000)
    }
  }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The items without repeats, in their order.
func uniqued<T: Hashable>(_ items: [T]) -> [T] {
  var seen: Set<T> = []
  return items.filter { seen.insert($0).inserted }
}
