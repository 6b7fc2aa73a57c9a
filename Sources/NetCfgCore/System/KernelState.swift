#if canImport(Glibc)
  import Glibc
#endif

/// An address the kernel has on an interface (`ip -j addr`).
public struct KernelAddress: Sendable, Equatable {
  public var interface: String
  public var address: String
  public var prefixLength: Int
  /// Given by DHCP or router advertisements (it has a lifetime).
  public var dynamic: Bool
  public var scope: String

  public var text: String { "\(address)/\(prefixLength)" }
}

/// A route of the kernel (`ip -j route show table all`).
public struct KernelRoute: Sendable, Equatable {
  public var destination: String
  public var gateway: String?
  public var device: String?
  /// "main" for the main table (254), "local" for 255, else as `ip` names it.
  public var table: String
  public var metric: Int?
  /// "unicast" unless `ip` says otherwise (local, broadcast, blackhole, ...).
  public var type: String
  public var flags: [String]
  /// Who added it: `static`, `dhcp`, `ra`, `kernel`, `boot` (as `ip` names it), when known.
  public var origin: String? = nil

  public var isDefault: Bool { ["default", "0.0.0.0/0", "::/0"].contains(destination) }

  /// `ip route`'s words for it, for messages.
  public var summary: String {
    var words = [destination]
    if let gateway { words += ["via", gateway] }
    if let device { words += ["dev", device] }
    if table != "main" { words += ["table", table] }
    if let metric { words += ["metric", String(metric)] }
    return words.joined(separator: " ")
  }

  /// A table as netplan or `ip` names it, the way routes carry it here.
  public static func tableName(_ text: String?) -> String {
    switch text {
    case nil, "254", "main": return "main"
    case "255", "local": return "local"
    case "253", "default": return "default"
    case let other?: return other
    }
  }
}

/// A neighbour entry (`ip -j neigh`): ARP for IPv4, NDP for IPv6.
public struct KernelNeighbour: Sendable, Equatable {
  public var address: String
  public var device: String
  public var linkLayer: String?
  public var states: [String]

  /// The states in which the neighbour answered resolution recently enough to count as there.
  public static let answeredStates: Set<String> = ["REACHABLE", "STALE", "DELAY", "PROBE"]

  /// It has a link-layer address and a state that says it answered.
  public var resolved: Bool { linkLayer != nil && states.contains { KernelNeighbour.answeredStates.contains($0) } }
}

/// Decoding of `ip -j` output: pure, so that the checks built on it are tested on recorded output.
public enum KernelJSON {
  public static func addresses(_ json: JSONValue) -> [KernelAddress] {
    var out: [KernelAddress] = []
    for link in json.arrayValue ?? [] {
      guard let name = link["ifname"]?.stringValue else { continue }
      for info in link["addr_info"]?.arrayValue ?? [] {
        guard let local = info["local"]?.stringValue, let prefix = info["prefixlen"]?.intValue else { continue }
        let dynamic = info["dynamic"] == .bool(true)
        out.append(KernelAddress(
          interface: name, address: local, prefixLength: prefix, dynamic: dynamic, scope: info["scope"]?.stringValue ?? "global"))
      }
    }
    return out
  }

  public static func routes(_ json: JSONValue) -> [KernelRoute] {
    (json.arrayValue ?? []).compactMap { route in
      guard let destination = route["dst"]?.stringValue else { return nil }
      let table: String? = route["table"]?.stringValue ?? route["table"]?.intValue.map(String.init)
      return KernelRoute(
        destination: destination, gateway: route["gateway"]?.stringValue, device: route["dev"]?.stringValue,
        table: KernelRoute.tableName(table), metric: route["metric"]?.intValue, type: route["type"]?.stringValue ?? "unicast",
        flags: (route["flags"]?.arrayValue ?? []).compactMap(\.stringValue), origin: route["protocol"]?.stringValue)
    }
  }

  /// Entries of `ip -j neigh show dev DEVICE` (which leaves the device out of each entry).
  public static func neighbours(_ json: JSONValue, device: String) -> [KernelNeighbour] {
    (json.arrayValue ?? []).compactMap { entry in
      guard let address = entry["dst"]?.stringValue else { return nil }
      return KernelNeighbour(
        address: address, device: entry["dev"]?.stringValue ?? device, linkLayer: entry["lladdr"]?.stringValue,
        states: (entry["state"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
  }
}

/// The one place netcfg asks the kernel about its network state: `ip -j` through the process
/// seam, decoded with the JSON parser. Each read says what went wrong when it fails.
public struct KernelProbe: Sendable {
  public let runner: ProcessRunner

  public init(runner: ProcessRunner = ProcessRunner()) { self.runner = runner }

  public func addresses(of interface: String) -> Result<[KernelAddress], ProbeFailure> {
    ip(["-j", "addr", "show", "dev", interface]).map(KernelJSON.addresses)
  }

  /// Every route of the family, in every table.
  public func routes(ipv6: Bool) -> Result<[KernelRoute], ProbeFailure> {
    ip(["-j", ipv6 ? "-6" : "-4", "route", "show", "table", "all"]).map(KernelJSON.routes)
  }

  public func neighbours(of interface: String) -> Result<[KernelNeighbour], ProbeFailure> {
    ip(["-j", "neigh", "show", "dev", interface]).map { KernelJSON.neighbours($0, device: interface) }
  }

  /// One ICMP echo, answered within `seconds` (0.1 to 1), sent from `interface` when given
  /// (which also prompts ARP or NDP resolution of the host there).
  public func echo(_ host: String, from interface: String? = nil, within seconds: Double) -> Bool {
    let wait = Double(Int(min(1, max(0.1, seconds)) * 1000)) / 1000
    var arguments = ["-c", "1", "-W", String(wait), "-q"]
    if let interface { arguments += ["-I", interface] }
    return (try? runner.run("ping", arguments + ["--", host]))?.succeeded == true
  }

  func ip(_ arguments: [String]) -> Result<JSONValue, ProbeFailure> {
    let command = "ip " + arguments.joined(separator: " ")
    let result: ProcessResult
    do { result = try runner.run("ip", arguments) } catch { return .failure(ProbeFailure(command: command, reason: "\(error)")) }
    guard result.succeeded else {
      let said = result.stderrText.split(separator: "\n").first.map(String.init) ?? "exit \(result.status)"
      return .failure(ProbeFailure(command: command, reason: said))
    }
    // `ip -j` prints nothing at all for some empty answers.
    if result.stdout.allSatisfy({ [0x20, 0x0A, 0x09, 0x0D].contains($0) }) { return .success(.array([])) }
    do { return .success(try JSONValue.parse(result.stdout)) } catch {
      return .failure(ProbeFailure(command: command, reason: "\(error)"))
    }
  }
}

/// A read of the kernel's state that failed: the command and why.
public struct ProbeFailure: Error, Sendable, CustomStringConvertible {
  public var command: String
  public var reason: String
  public var description: String { "\(command): \(reason)" }
}
