#if canImport(Glibc)
  import Glibc
#endif

/// One thing that must hold after an apply.
public enum Check: Sendable, Hashable, CustomStringConvertible {
  /// The kernel has ADDRESS/PREFIX on IFACE.
  case address(interface: String, address: String)
  /// A default route of the gateway's family goes via GATEWAY on IFACE in TABLE ("main"
  /// unless the configuration puts it elsewhere).
  case defaultRoute(interface: String, gateway: String, table: String)
  /// The gateway is there: after a packet towards it, the kernel resolved it on IFACE (ARP
  /// or NDP), or it answered an echo.
  case gateway(interface: String, address: String)
  /// HOST answers an ICMP echo.
  case reachable(host: String)
  /// NAME resolves through the system resolver (`getent hosts NAME`).
  case resolves(name: String)
  /// The SSH client's address is still routable (`ip route get ADDRESS`).
  case routable(address: String)
  /// A TCP connection to HOST:PORT opens within a second.
  case tcp(host: String, port: Int)
  /// The DNS server answers a lookup of NAME (NOERROR or NXDOMAIN), asked directly.
  case answers(server: String, name: String)
  /// The daemon the files give IFACE to (`networkd` or `NetworkManager`) manages it; holds
  /// too when that daemon cannot be asked (no system bus, no nmcli).
  case managed(interface: String, by: String)

  public var description: String {
    switch self {
    case .address(let i, let a): return "\(i) has \(a)"
    case .defaultRoute(let i, let g, let t): return "default route via \(g) on \(i)" + (t == "main" ? "" : " in table \(t)")
    case .gateway(let i, let a): return "gateway \(a) is there on \(i)"
    case .reachable(let h): return "\(h) answers ping"
    case .resolves(let n): return "\(n) resolves"
    case .routable(let a): return "SSH client \(a) is routable"
    case .tcp(let h, let p): return "TCP \(h.contains(":") ? "[\(h)]" : h):\(p) accepts connections"
    case .answers(let s, let n): return "DNS server \(s) answers for \(n)"
    case .managed(let i, let d): return "\(d) manages \(i)"
    }
  }

  /// The kind's name in JSON and in the journal.
  public var kind: String {
    switch self {
    case .address: return "address"
    case .defaultRoute: return "default-route"
    case .gateway: return "gateway"
    case .reachable: return "reachable"
    case .resolves: return "resolves"
    case .routable: return "routable"
    case .tcp: return "tcp"
    case .answers: return "dns-server"
    case .managed: return "managed"
    }
  }

  /// The interface the check is about, if it is about one.
  public var interface: String? {
    switch self {
    case .address(let i, _), .defaultRoute(let i, _, _), .gateway(let i, _), .managed(let i, _): return i
    case .reachable, .resolves, .routable, .tcp, .answers: return nil
    }
  }

  /// True for checks of things outside this host's own configuration (peers, DNS, routes to
  /// clients), which may fail before a change for reasons of their own.
  public var isExternal: Bool {
    switch self {
    case .address, .defaultRoute, .managed: return false
    case .gateway, .reachable, .resolves, .routable, .tcp, .answers: return true
    }
  }

  /// One line for the journal: the kind, then its fields, tab-separated.
  public var encoded: String {
    switch self {
    case .address(let i, let a): return "address\t\(i)\t\(a)"
    case .defaultRoute(let i, let g, let t): return "default-route\t\(i)\t\(g)\t\(t)"
    case .gateway(let i, let a): return "gateway\t\(i)\t\(a)"
    case .reachable(let h): return "reachable\t\(h)"
    case .resolves(let n): return "resolves\t\(n)"
    case .routable(let a): return "routable\t\(a)"
    case .tcp(let h, let p): return "tcp\t\(h)\t\(p)"
    case .answers(let s, let n): return "answers\t\(s)\t\(n)"
    case .managed(let i, let d): return "managed\t\(i)\t\(d)"
    }
  }

  /// The check an `encoded` line names; nil for anything else.
  public init?(encoded line: String) {
    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    switch (f.first, f.count) {
    case ("address", 3): self = .address(interface: f[1], address: f[2])
    case ("default-route", 3): self = .defaultRoute(interface: f[1], gateway: f[2], table: "main")
    case ("default-route", 4): self = .defaultRoute(interface: f[1], gateway: f[2], table: f[3])
    case ("gateway", 3): self = .gateway(interface: f[1], address: f[2])
    case ("reachable", 2): self = .reachable(host: f[1])
    case ("resolves", 2): self = .resolves(name: f[1])
    case ("routable", 2): self = .routable(address: f[1])
    case ("tcp", 3): guard let port = Int(f[2]) else { return nil }; self = .tcp(host: f[1], port: port)
    case ("answers", 3): self = .answers(server: f[1], name: f[2])
    case ("managed", 3): self = .managed(interface: f[1], by: f[2])
    default: return nil
    }
  }

  /// Probes the check now; a probe that waits for an answer waits at most `within` seconds
  /// (0.1 to 1).
  public func probe(_ kernel: KernelProbe, within: Double = 1) -> CheckResult {
    func result(_ ok: Bool, _ method: String, _ detail: String) -> CheckResult {
      CheckResult(check: self, ok: ok, method: method, detail: detail)
    }
    switch self {
    case .address(let interface, let address):
      switch kernel.addresses(of: interface) {
      case .failure(let failure): return result(false, "ip -j addr", "\(failure)")
      case .success(let addresses):
        let (ok, detail) = Check.evaluateAddress(interface, address, addresses)
        return result(ok, "ip -j addr", detail)
      }
    case .defaultRoute(let interface, let gateway, let table):
      switch kernel.routes(ipv6: gateway.contains(":")) {
      case .failure(let failure): return result(false, "ip -j route", "\(failure)")
      case .success(let routes):
        let (ok, detail) = Check.evaluateDefaultRoute(interface, gateway, table, routes)
        return result(ok, "ip -j route", detail)
      }
    case .gateway(let interface, let address):
      let resolution = address.contains(":") ? "NDP" : "ARP"
      // The echo also makes the kernel resolve the gateway on the interface.
      let echoed = kernel.echo(address, from: interface, within: within)
      let neighbours: [KernelNeighbour]
      switch kernel.neighbours(of: interface) {
      case .failure(let failure): return result(echoed, "\(resolution), echo", "\(failure)")
      case .success(let entries): neighbours = entries
      }
      let (ok, detail) = Check.evaluateGateway(interface, address, neighbours, echoed: echoed)
      return result(ok, "\(resolution), echo", detail)
    case .reachable(let host):
      let ok = kernel.echo(host, within: within)
      return result(ok, "echo", ok ? "echo reply" : "no echo reply")
    case .resolves(let name):
      let out = try? kernel.runner.run("getent", ["hosts", "--", name])
      let ok = out?.succeeded == true
      let answer = out.map { $0.stdoutText.split(separator: " ").first.map(String.init) ?? "" } ?? ""
      return result(ok, "getent hosts", ok ? "resolves to \(answer)" : "does not resolve")
    case .routable(let address):
      let out = try? kernel.runner.run("ip", ["-o", "route", "get", address])
      let ok = out?.succeeded == true
      return result(ok, "ip route get", ok ? "routable" : "no route")
    case .tcp(let host, let port):
      let ok = Check.connects(host, port)
      return result(ok, "tcp connect", ok ? "accepted" : "no connection within 1 s")
    case .answers(let server, let name):
      guard let ip = IPAddress(server) else { return result(false, "dns query", "'\(server)' is not an address") }
      switch DNSQuery.ask(ip, name: name, within: within) {
      case .answered(let rcode) where rcode == 0 || rcode == 3:
        return result(true, "dns query", rcode == 0 ? "answered" : "answered (no such name)")
      case .answered(let rcode):
        return result(false, "dns query", "answered with error \(rcode == 2 ? "SERVFAIL" : rcode == 5 ? "REFUSED" : "code \(rcode)")")
      case .noAnswer:
        return result(false, "dns query", "no answer")
      }
    case .managed(let interface, let daemon):
      let networkd = DaemonQuery.networkd()
      // NetworkManager is asked unless networkd is the one wanted and manages the link.
      let asked = daemon == "NetworkManager" || LinkManagers(networkd: networkd, networkManager: .notRunning).manager(of: interface) != "networkd"
      let networkManager = asked ? DaemonQuery.networkManager(kernel.runner) : .unknown("not asked")
      let (ok, detail) = Check.evaluateManager(interface, daemon, networkd: networkd, networkManager: networkManager)
      return result(ok, daemon == "networkd" ? "D-Bus (systemd-networkd)" : "nmcli", detail)
    }
  }

  /// Whether the check holds now.
  public func holds(_ runner: ProcessRunner, within: Double = 1) -> Bool {
    probe(KernelProbe(runner: runner), within: within).ok
  }

  // MARK: Pure evaluations of kernel state

  /// Whether `daemon` manages `interface`, from what networkd and NetworkManager answered.
  public static func evaluateManager(
    _ interface: String, _ daemon: String, networkd: DaemonAnswer<[NetworkdLink]>,
    networkManager: DaemonAnswer<[NetworkManagerDevice]>
  ) -> (Bool, String) {
    let managers = LinkManagers(networkd: networkd, networkManager: networkManager)
    let link = managers.networkdLink(interface), device = managers.device(interface)
    let mine = daemon == "NetworkManager"
    if let why = mine ? networkManager.unknownReason : networkd.unknownReason {
      return (true, "\(interface): \(daemon) could not be asked (\(why)); not checked")
    }
    if mine ? networkManager.value == nil : networkd.value == nil {
      return (false, "\(daemon) is not running: nothing manages \(interface) as the files say")
    }
    if mine, let device, device.manages {
      return (true, "NetworkManager manages \(interface) (\(device.state), \(device.connection ?? "no connection"))")
    }
    if !mine, let link, link.manages { return (true, "systemd-networkd manages \(interface) (\(link.administrativeState))") }
    let answer = mine ? "NetworkManager has \(interface) \(device?.state ?? "not at all")"
      : "systemd-networkd has \(interface) \(link?.administrativeState ?? "not at all")"
    let held = mine ? (link?.manages == true ? " (systemd-networkd holds it)" : "") : (device?.manages == true ? " (NetworkManager holds it)" : "")
    return (false, answer + held)
  }

  /// Whether `addresses` hold `address` on `interface` (IPv6 spellings compared by value).
  public static func evaluateAddress(_ interface: String, _ address: String, _ addresses: [KernelAddress]) -> (Bool, String) {
    let mine = addresses.filter { $0.interface == interface }
    if mine.contains(where: { $0.text == address || sameAddress($0.text, address) }) { return (true, "\(interface) has \(address)") }
    let has = mine.map(\.text)
    return (false, "\(interface) does not have \(address) (it has \(has.isEmpty ? "no address" : has.joined(separator: ", ")))")
  }

  /// Whether a default route of the gateway's family goes via `gateway` on `interface` in `table`.
  public static func evaluateDefaultRoute(
    _ interface: String, _ gateway: String, _ table: String, _ routes: [KernelRoute]
  ) -> (Bool, String) {
    let defaults = routes.filter { $0.isDefault && $0.type == "unicast" && $0.table == table }
    if defaults.contains(where: { $0.device == interface && ($0.gateway == gateway || sameHost($0.gateway, gateway)) }) {
      return (true, "default route via \(gateway) dev \(interface) in table \(table)")
    }
    let seen = defaults.map(\.summary)
    return (false, "no default route via \(gateway) dev \(interface) in table \(table) (\(seen.isEmpty ? "none there" : "there: " + seen.joined(separator: "; ")))")
  }

  /// Whether the gateway is there: resolved on the interface, or it answered the echo.
  public static func evaluateGateway(
    _ interface: String, _ address: String, _ neighbours: [KernelNeighbour], echoed: Bool
  ) -> (Bool, String) {
    let resolution = address.contains(":") ? "NDP" : "ARP"
    let entry = neighbours.first { $0.device == interface && ($0.address == address || sameHost($0.address, address)) }
    if let entry, entry.resolved {
      let states = entry.states.joined(separator: ",")
      let echo = echoed ? "echo reply" : "no echo reply"
      return (true, "\(address) on \(interface): \(resolution) resolved it to \(entry.linkLayer ?? "?") (\(states)), \(echo)")
    }
    if echoed { return (true, "\(address) on \(interface): echo reply") }
    let state = entry.map { " (neighbour \($0.states.joined(separator: ",")))" } ?? ""
    return (false, "\(address) on \(interface): no \(resolution) reply\(state), no echo reply")
  }

  static func sameAddress(_ a: String, _ b: String) -> Bool {
    guard let x = InterfaceAddress(a), let y = InterfaceAddress(b) else { return false }
    return x == y
  }

  static func sameHost(_ a: String?, _ b: String) -> Bool {
    guard let a, let x = IPAddress(a), let y = IPAddress(b) else { return false }
    return x == y
  }

  /// A non-blocking connect to an IP literal, waited for up to a second.
  static func connects(_ host: String, _ port: Int) -> Bool {
    guard let ip = IPAddress(host) else { return false }
    let family = ip.family == .ipv4 ? AF_INET : AF_INET6
    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let rc = SocketAddress.with(ip, port: port) { connect(fd, $0, $1) }
    if rc == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
    guard poll(&fds, 1, 1000) == 1 else { return false }
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
    return error == 0
  }
}

/// What probing a check found: whether it holds, how it was probed, and what was seen.
public struct CheckResult: Sendable, Equatable, CustomStringConvertible {
  public var check: Check
  public var ok: Bool
  public var method: String
  public var detail: String

  public var description: String { ok ? check.description : "\(check): \(detail)" }

  /// `{"check", "kind", "interface", "method", "result": "ok|failed", "detail"}`.
  public var json: JSONValue {
    .object([
      ("check", .string(check.description)), ("kind", .string(check.kind)), ("interface", .optional(check.interface)),
      ("method", .string(method)), ("result", .string(ok ? "ok" : "failed")), ("detail", .string(detail)),
    ])
  }
}
