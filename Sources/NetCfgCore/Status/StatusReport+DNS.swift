/// The DNS chain in `status`: systemd-resolved's global servers and domains against
/// resolved.conf, and whether /etc/resolv.conf leads to them.
extension StatusReport {
  /// resolved's global DNS now (each with its resolved.conf line; `resolv.conf` for the servers
  /// resolved takes from an /etc/resolv.conf it does not own; else `run-time`) and what differs
  /// from the files; nil entries when resolved did not answer.
  static func globalDNS(
    _ live: LiveState, config: ResolvedConfig, resolvConf: ResolvConf
  ) -> (entries: [DeviceStatus.DNSEntry]?, differences: [DeviceStatus.Difference]) {
    guard let resolved = live.resolved.value else { return (nil, []) }
    var entries: [DeviceStatus.DNSEntry] = []
    var differences: [DeviceStatus.Difference] = []
    let servers = config.effective("DNS"), domains = config.effective("Domains")
    let wantedServers = servers.values.map(DNSServer.canonical)
    let wantedDomains = domains.values.filter { !$0.hasPrefix("~") }
    let lists: [(DeviceStatus.DNSEntry.Kind, [String], [String], SourceLocation?)] = [
      (.server, resolved.servers.filter { $0.ifindex == 0 }.map(\.address), wantedServers, servers.location),
      (.domain, resolved.domains.filter { $0.ifindex == 0 && !$0.routeOnly }.map(\.name), wantedDomains, domains.location),
    ]
    let foreign = resolvConf.mode == .static || resolvConf.mode == .foreign
    let imported = foreign ? resolvConf.nameservers.map(IPAddress.canonical) + resolvConf.search : []
    for (kind, now, wanted, location) in lists {
      let noun = kind == .server ? "DNS server" : "search domain"
      for value in now {
        let known = wanted.contains(value)
        let origin = known ? "resolved.conf" : imported.contains(value) ? "resolv.conf" : "run-time"
        entries.append(DeviceStatus.DNSEntry(kind: kind, value: value, origin: origin, location: known ? location : nil))
        if origin == "run-time" {
          differences.append(DeviceStatus.Difference(
            kind: .unexpected, what: "global \(noun) \(value)",
            detail: "resolved has the global \(noun) \(value), in no resolved.conf file nor /etc/resolv.conf: set at run time, or read from an earlier /etc/resolv.conf (restarting systemd-resolved drops it)",
            location: nil))
        }
      }
      for value in wanted where !now.contains(value) {
        differences.append(DeviceStatus.Difference(
          kind: .missing, what: "global \(noun) \(value)",
          detail: "\(noun) \(value) is in resolved.conf but not in resolved: it has not read the file since (restart systemd-resolved)",
          location: location))
      }
    }
    return (entries, differences)
  }

  /// Where /etc/resolv.conf does not lead to the resolver that has the configured DNS.
  /// `configured`: the servers netplan and resolved.conf name. A file netcfg wrote on purpose
  /// (`dns set --method resolv-conf`), or one naming only configured servers, is said but does
  /// not count as a difference.
  static func resolvConfReasons(_ conf: ResolvConf, live: LiveState, configured: Set<String>) -> [Reason] {
    switch (conf.mode, live.resolved) {
    case (.static, .answered), (.foreign, .answered):
      // A copy of the stub file still leads to resolved.
      let leadsToResolved = !conf.nameservers.isEmpty && conf.nameservers.allSatisfy(ResolvConf.stubServers.contains)
      guard !configured.isEmpty, !leadsToResolved else { return [] }
      let servers = conf.nameservers.isEmpty ? "no server" : conf.nameservers.joined(separator: " ")
      let others = conf.nameservers.contains { !configured.contains(IPAddress.canonical($0)) }
      return [Reason(
        code: "resolv-conf",
        text: "/etc/resolv.conf is a file (\(conf.owner)), not systemd-resolved's stub: programs ask \(servers), not systemd-resolved with the servers netplan and resolved.conf give (`netcfg dns reset --apply` links it back)",
        differs: conf.owner != "netcfg" && (others || conf.nameservers.isEmpty))]
    case (.stub, .notRunning), (.uplink, .notRunning):
      return [Reason(
        code: "resolv-conf",
        text: "/etc/resolv.conf leads to systemd-resolved (\(conf.mode.rawValue)), which is not running: name lookups fail",
        differs: true)]
    default:
      return []
    }
  }
}
