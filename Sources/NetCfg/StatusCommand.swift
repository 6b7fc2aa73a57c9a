import ArgumentParser
import NetCfgCore

extension NetCfg {
  /// `netcfg status`: configured beside live, every difference, and why.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "What is configured, what is live, and why they differ.",
      discussion: """
        For each definition: its configured addresses, routes and MTU (with file:line) beside the \
        live ones (addresses with their origin: static, dhcp with the lease time left, link-local, \
        manual), the link's state and carrier, and the backend. Every difference is marked missing, \
        unexpected or different. Then resolv.conf, the reasons in plain words (cloud-init owns a \
        file, NetworkManager owns one, /run overrides /etc, a try waits, the files changed since the \
        last apply), and, unless --no-probe, whether each gateway is there and each DNS server of \
        resolv.conf answers. --check exits 1 when anything differs or a probe fails.
        """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("Only these interfaces (ids or set-names).", valueName: "IFACE")) var interfaces: [String] = []
    @Flag(help: "Exit 1 when anything differs or a probe fails (for monitoring and assertions).") var check = false
    @Flag(help: "Do not probe gateways and DNS servers.") var noProbe = false

    func run() throws {
      let console = options.console
      let config = try options.loadNetplan(validate: false, recover: false)
      for name in interfaces where config.device(name) == nil && !config.devices.contains(where: { $0.node["set-name"]?.scalar == name }) {
        console.err("netcfg: no netplan definition for '\(name)'")
        throw Exit.usage
      }
      let live: LiveState
      if options.root == "/" {
        switch LiveState.read() {
        case .success(let state): live = state
        case .failure(let failure):
          console.err("netcfg: cannot read the live state: \(failure)")
          throw Exit.failure
        }
      } else {
        // Below --root there is no live state to compare with.
        live = LiveState(links: [], routes: [])
      }
      var report = StatusReport.build(config, live: live, fs: options.fileSystem, only: interfaces)
      if options.root != "/" { report.devices = [] }
      if !noProbe, options.root == "/" {
        report.probes = Verifier(checks: report.probeChecks, timeout: 1.5).results()
      }
      if options.json {
        console.out(report.json.serialized())
      } else {
        print(report, console)
      }
      if check && report.differs { throw Exit.failure }
    }

    func print(_ report: StatusReport, _ console: Console) {
      if options.root != "/" { console.out("--root: no live state to compare; the files and reasons only") }
      for device in report.devices {
        var head = console.bold(device.id) + " (\(device.type), \(device.backend))"
        if let link = device.link {
          head += "  link \(link.state), \(link.carrier ? "carrier" : "no carrier")" + (link.mtu.map { ", mtu \($0)" } ?? "")
        } else if device.interface == nil {
          head += "  matched by `match:`: no kernel name to compare"
        }
        console.out(head)
        for address in device.addresses {
          let lease = address.validLifetime.map { " (\($0) s left)" } ?? ""
          console.out("  address  \(address.address)  \(address.origin)\(lease)")
        }
        for route in device.routes where route.type == "unicast" && route.table != "local" {
          console.out("  route    \(route.summary)" + (route.origin.map { "  (\($0))" } ?? ""))
        }
        for d in device.differences {
          console.out("  " + console.paint(d.kind.rawValue.uppercased(), "33") + "  \(d.detail)" + (d.location.map { "  " + console.dim($0.description) } ?? ""))
        }
      }
      let rc = report.resolvConf
      console.out(console.bold("/etc/resolv.conf") + "  \(rc.mode.rawValue)" + (rc.linkTarget.map { " -> \($0)" } ?? "") + ", \(rc.owner)"
        + (rc.nameservers.isEmpty ? "" : "; nameservers " + rc.nameservers.joined(separator: " ")))
      if !report.reasons.isEmpty {
        console.out(console.bold("why"))
        for reason in report.reasons { console.out("  - \(reason.text)") }
      }
      for probe in report.probes {
        console.out("  \(probe.ok ? "ok    " : console.paint("FAILED", "31"))  \(probe.description)")
      }
      let count = report.devices.reduce(0) { $0 + $1.differences.count } + report.probes.filter { !$0.ok }.count
      console.out(report.differs ? "netcfg: \(count) difference\(count == 1 ? "" : "s") or failed probe\(count == 1 ? "" : "s")\(report.reasons.contains(where: \.differs) ? "; see why" : "")" : "netcfg: the live state agrees with the files")
    }
  }
}

extension StatusReport {
  /// The documented `status --json` shape.
  var json: JSONValue {
    .object([
      ("devices", .array(devices.map(\.json))),
      ("resolv-conf", .object([
        ("mode", .string(resolvConf.mode.rawValue)), ("target", .optional(resolvConf.linkTarget)),
        ("owner", .string(resolvConf.owner)), ("nameservers", .array(resolvConf.nameservers.map(JSONValue.string))),
        ("search", .array(resolvConf.search.map(JSONValue.string))),
      ])),
      ("reasons", .array(reasons.map { .object([("code", .string($0.code)), ("text", .string($0.text)), ("differs", .bool($0.differs))]) })),
      ("probes", .array(probes.map(\.json))),
      ("differs", .bool(differs)),
    ])
  }
}

extension DeviceStatus {
  var json: JSONValue {
    .object([
      ("id", .string(id)), ("type", .string(type)), ("interface", .optional(interface)), ("backend", .string(backend)),
      ("link", link.map { .object([("state", .string($0.state)), ("carrier", .bool($0.carrier)), ("mtu", $0.mtu.map { .int($0) } ?? .null)]) } ?? .null),
      ("configured", configured.json),
      ("addresses", .array(addresses.map {
        .object([("address", .string($0.address)), ("origin", .string($0.origin)), ("valid-lifetime", $0.validLifetime.map { .int($0) } ?? .null)])
      })),
      ("routes", .array(routes.map {
        .object([
          ("to", .string($0.destination)), ("via", .optional($0.gateway)), ("table", .string($0.table)),
          ("metric", $0.metric.map { .int($0) } ?? .null), ("origin", .optional($0.origin)),
        ])
      })),
      ("differences", .array(differences.map {
        .object([("kind", .string($0.kind.rawValue)), ("what", .string($0.what)), ("detail", .string($0.detail)), ("source", $0.location?.json ?? .null)])
      })),
    ])
  }
}
