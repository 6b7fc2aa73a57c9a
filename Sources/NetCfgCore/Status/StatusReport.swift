#if canImport(Glibc)
  import Glibc
#endif

/// `netcfg status`: what is configured, what is live, and why they differ.
public struct StatusReport: Sendable {
  /// Why the files or the live state may not be what the operator expects, in plain words.
  public struct Reason: Sendable, Equatable {
    /// `cloud-init`, `networkmanager-file`, `run-overrides`, `try-pending`, `interrupted`,
    /// `edited-since-apply`, `never-applied`, `resolv-conf`.
    public var code: String
    public var text: String
    /// True when it means the live state is (or will be) other than the files say.
    public var differs: Bool
  }

  public var devices: [DeviceStatus]
  public var reasons: [Reason]
  public var resolvConf: ResolvConf
  /// systemd-resolved's global DNS servers and domains now, with where each came from; nil
  /// when resolved did not answer.
  public var globalDNS: [DeviceStatus.DNSEntry]?
  /// How resolved's global DNS differs from resolved.conf.
  public var dnsDifferences: [DeviceStatus.Difference] = []
  /// Results of the probes (gateways alive, DNS servers answering); empty with --no-probe.
  public var probes: [CheckResult] = []

  /// True when anything differs or a probe failed (`status --check` exits 1).
  public var differs: Bool {
    devices.contains { !$0.differences.isEmpty } || !dnsDifferences.isEmpty || reasons.contains(where: \.differs) || probes.contains { !$0.ok }
  }

  /// Builds the report from the configuration, the live state and netcfg's state below
  /// `fs` (pure but for reading files: the kernel's state comes in `live`).
  public static func build(
    _ config: NetplanConfiguration, live: LiveState, fs: FileSystem, only: [String] = []
  ) -> StatusReport {
    let chosen = config.devices.filter { device in
      only.isEmpty || only.contains(device.id) || device.node["set-name"]?.scalar.map(only.contains) == true
    }
    let devices = chosen.map { DeviceStatus($0, in: config, live: live) }
    let resolvConf = ResolvConf.load(fs)
    let resolved = ResolvedConfig.load(fs)
    let global = globalDNS(live, config: resolved, resolvConf: resolvConf)
    var configured = Set(resolved.effective("DNS").values.map(DNSServer.canonical))
    for device in config.devices {
      for server in DeviceSummary.list(device.node["nameservers"]?["addresses"]) { configured.insert(IPAddress.canonical(server.value)) }
    }
    var report = StatusReport(
      devices: devices, reasons: reasons(config, fs: fs) + resolvConfReasons(resolvConf, live: live, configured: configured),
      resolvConf: resolvConf)
    report.globalDNS = global.entries
    report.dnsDifferences = global.differences
    return report
  }

  /// The checks `status` probes (unless --no-probe): each configured main-table gateway is
  /// there, each DNS server answers.
  public var probeChecks: [Check] {
    var checks: [Check] = []
    for device in devices {
      guard let interface = device.interface, device.link != nil else { continue }
      for gateway in device.configured.gateways where (gateway.table.map(KernelRoute.tableName) ?? "main") == "main" {
        if let via = gateway.via { checks.append(.gateway(interface: interface, address: via)) }
      }
    }
    let name = resolvConf.search.first ?? "."
    for server in resolvConf.nameservers where IPAddress(server) != nil {
      checks.append(.answers(server: server, name: name))
    }
    return uniqued(checks)
  }

  static func reasons(_ config: NetplanConfiguration, fs: FileSystem) -> [Reason] {
    var out: [Reason] = []
    for file in config.hierarchy.files where file.directory == .etc {
      if file.name == "50-cloud-init.yaml", !config.cloudInitNetworkDisabled, fs.exists("/etc/cloud") {
        out.append(Reason(
          code: "cloud-init",
          text: "cloud-init owns \(file.path) and may write it again at the next boot (its network configuration is not disabled: `netcfg cloud-init disable-network`)",
          differs: false))
      }
      if file.name.hasPrefix("90-NM-") {
        out.append(Reason(
          code: "networkmanager-file",
          text: "NetworkManager owns \(file.path): it writes the file again when the connection changes in NetworkManager",
          differs: false))
      }
    }
    for shadowed in config.hierarchy.shadowed where shadowed.directory == .etc {
      if let winner = config.hierarchy.files.first(where: { $0.name == shadowed.name }), winner.directory == .run {
        out.append(Reason(
          code: "run-overrides", text: "\(winner.path) overrides \(shadowed.path): netplan reads the /run file, not the /etc one",
          differs: false))
      }
    }
    switch Recovery(fs: fs).pending() {
    case .awaitingConfirmation(let command, let deadline):
      out.append(Reason(
        code: "try-pending",
        text: "`\(command)` waits for confirmation: rolled back in \(max(0, Int(deadline.secondsLeft))) s unless `netcfg confirm`",
        differs: true))
    case .interrupted(let command):
      out.append(Reason(code: "interrupted", text: "`\(command)` did not finish: `netcfg recover` puts its files back", differs: true))
    case .none:
      break
    }
    if StateStore(fs).hasInterruptedEdit {
      out.append(Reason(code: "interrupted", text: "an edit was cut short while writing its files: the next netcfg command puts them back", differs: true))
    }
    out += applied(fs)
    return out
  }

  /// Whether the files are those of the last applied generation.
  static func applied(_ fs: FileSystem) -> [Reason] {
    let store = StateStore(fs)
    guard let newest = store.generationNumbers().last, let generation = try? store.generation(newest) else {
      return [Reason(
        code: "never-applied",
        text: "netcfg has applied nothing here yet (no generation): the live state may come from other files or tools",
        differs: false)]
    }
    // resolv.conf is live as soon as it is written (the resolv-conf reason covers it).
    let paths = Set(generation.states.map(\.path)).union(store.managedPaths()).subtracting([ResolvConf.path])
    let recorded = Dictionary(generation.states.map { ($0.path, $0.state) }) { a, _ in a }
    let changed = paths.sorted().filter { path in
      let now = (try? FileState.capture(path, fs)) ?? .absent
      return now != (recorded[path] ?? .absent)
    }
    guard !changed.isEmpty else { return [] }
    return [Reason(
      code: "edited-since-apply",
      text: "\(changed.joined(separator: ", ")) changed since generation \(newest) was applied: the live state is still the applied one (`netcfg apply` applies the files)",
      differs: true)]
  }
}
