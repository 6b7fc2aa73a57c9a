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
  /// A TCP connection to HOST:PORT opens within a second.
  case tcp(host: String, port: Int)

  public var description: String {
    switch self {
    case .address(let i, let a): return "\(i) has \(a)"
    case .defaultRoute(let i, let g): return "default route via \(g) on \(i)"
    case .reachable(let h): return "\(h) answers ping"
    case .resolves(let n): return "\(n) resolves"
    case .routable(let a): return "SSH client \(a) is routable"
    case .tcp(let h, let p): return "TCP \(h.contains(":") ? "[\(h)]" : h):\(p) accepts connections"
    }
  }

  /// True for checks of things outside this host's own configuration (peers, DNS, routes to
  /// clients), which may fail before a change for reasons of their own.
  public var isExternal: Bool {
    switch self {
    case .address, .defaultRoute: return false
    case .reachable, .resolves, .routable, .tcp: return true
    }
  }

  /// One line for the journal: the kind, then its fields, tab-separated.
  public var encoded: String {
    switch self {
    case .address(let i, let a): return "address\t\(i)\t\(a)"
    case .defaultRoute(let i, let g): return "default-route\t\(i)\t\(g)"
    case .reachable(let h): return "reachable\t\(h)"
    case .resolves(let n): return "resolves\t\(n)"
    case .routable(let a): return "routable\t\(a)"
    case .tcp(let h, let p): return "tcp\t\(h)\t\(p)"
    }
  }

  /// The check an `encoded` line names; nil for anything else.
  public init?(encoded line: String) {
    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    switch (f.first, f.count) {
    case ("address", 3): self = .address(interface: f[1], address: f[2])
    case ("default-route", 3): self = .defaultRoute(interface: f[1], gateway: f[2])
    case ("reachable", 2): self = .reachable(host: f[1])
    case ("resolves", 2): self = .resolves(name: f[1])
    case ("routable", 2): self = .routable(address: f[1])
    case ("tcp", 3): guard let port = Int(f[2]) else { return nil }; self = .tcp(host: f[1], port: port)
    default: return nil
    }
  }

  /// Whether the check holds now; a probe that waits for an answer (ping) waits at most
  /// `within` seconds (0.1 to 1).
  public func holds(_ runner: ProcessRunner, within: Double = 1) -> Bool {
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
      let wait = Double(Int(min(1, max(0.1, within)) * 1000)) / 1000
      return run("ping", ["-c", "1", "-W", String(wait), "-q", host])?.succeeded == true
    case .resolves(let name):
      return run("getent", ["hosts", name])?.succeeded == true
    case .routable(let address):
      return run("ip", ["-o", "route", "get", address])?.succeeded == true
    case .tcp(let host, let port):
      return Check.connects(host, port)
    }
  }

  /// A non-blocking connect to an IP literal, waited for up to a second.
  static func connects(_ host: String, _ port: Int) -> Bool {
    guard let ip = IPAddress(host) else { return false }
    let family = ip.family == .ipv4 ? AF_INET : AF_INET6
    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var rc: Int32
    switch ip {
    case .v4(let a):
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_port = in_port_t(UInt16(port).bigEndian)
      addr.sin_addr.s_addr = a.value.bigEndian
      rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    case .v6(let a):
      var addr = sockaddr_in6()
      addr.sin6_family = sa_family_t(AF_INET6)
      addr.sin6_port = in_port_t(UInt16(port).bigEndian)
      var bytes = [UInt8](repeating: 0, count: 16)
      for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a.high >> (56 - 8 * UInt64(i))) }
      for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: a.low >> (56 - 8 * UInt64(i))) }
      withUnsafeMutableBytes(of: &addr.sin6_addr) { raw in for i in 0..<16 { raw[i] = bytes[i] } }
      rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
    }
    if rc == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
    guard poll(&fds, 1, 1000) == 1 else { return false }
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
    return error == 0
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
    devices: [String], in config: NetplanConfiguration, hosts: [String], names: [String], sshClient: String?,
    tcp: [(String, Int)] = []
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
    out += tcp.map { Check.tcp(host: $0.0, port: $0.1) }
    return uniqued(out)
  }

  /// The checks that fail now (before an apply: those do not count against it).
  public func failing() -> Set<Check> { Set(checks.filter { !$0.holds(runner) }) }

  /// Waits up to `timeout` for every check not in `excused` to hold, then checks them all once
  /// more at least `settle` seconds after it started; returns those that never held (or no
  /// longer did).
  public func verify(excusing excused: Set<Check> = []) -> [Check] {
    let wanted = checks.filter { !excused.contains($0) }
    let start = monotonicSeconds()
    let deadline = start + timeout
    var failing = wanted
    var probed = false
    while true {
      failing = failing.filter { !$0.holds(runner, within: deadline - monotonicSeconds()) }
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
        failing = wanted.filter { !$0.holds(runner) }
        if failing.isEmpty { return [] }
      }
      if monotonicSeconds() >= deadline { return failing }
      usleep(100_000)
    }
  }

  /// The earliest a verification can succeed, in seconds after it started.
  public static let settle = 0.3
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
