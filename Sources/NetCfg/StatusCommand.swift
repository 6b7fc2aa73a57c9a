import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg status`: configured beside live, every difference, and why.
  struct Status: Command {
    static let info = CommandInfo(
      name: "status",
      abstract: "What is configured, what is live, and why they differ.",
      discussion: """
        For each definition: its configured addresses, routes and MTU (with file:line) beside the \
        live ones (addresses with their origin: static, dhcp with the lease time left, link-local, \
        manual), the link's state and carrier, the backend the files give it and the daemon that \
        manages it now (networkd and NetworkManager asked over D-Bus and nmcli). Every difference \
        is marked missing, unexpected or different. DNS end to end: resolv.conf, and \
        systemd-resolved's servers and search domains per link and global as it has them now, \
        each with where it came from (netplan file:line, dhcp, a resolved.conf drop-in, run time). \
        Then the reasons in plain words (cloud-init owns a file, NetworkManager owns one, /run \
        overrides /etc, a try waits, the files changed since the last apply, resolv.conf leads \
        elsewhere), and, unless --no-probe, whether each gateway is there and each DNS server of \
        resolv.conf answers. --check exits 1 when anything differs or a probe fails.
        """)

    var options: GlobalOptions
    var interfaces: [String] = []
    var check = false
    var noProbe = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      interfaces = a.arguments("interfaces", valueName: "IFACE", help: "Only these interfaces (ids or set-names).")
      check = a.flag("check", help: "Exit 1 when anything differs or a probe fails (for monitoring and assertions).")
      noProbe = a.flag("no-probe", help: "Do not probe gateways and DNS servers.")
    }

    func run() throws {
      let console = options.console
      // The live state is read (processes, D-Bus) while the files are parsed.
      let reading = options.root == "/" ? Started { LiveState.read() } : nil
      let config = try options.loadNetplan(validate: false, recover: false)
      for name in interfaces where config.device(name) == nil && !config.devices.contains(where: { $0.node["set-name"]?.scalar == name }) {
        console.err("netcfg: no netplan definition for '\(name)'")
        throw Exit.usage
      }
      let live: LiveState
      if let reading {
        switch reading.wait() {
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
        var head = console.bold(device.id) + " (\(device.type), \(device.backend)"
          + (device.managedBy.map { $0 == device.backend ? "" : "; managed by \($0)" } ?? "") + ")"
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
        printDNS(device.dns, console)
        printDifferences(device.differences, console)
      }
      if let global = report.globalDNS {
        console.out(console.bold("systemd-resolved") + (global.isEmpty ? "  no global DNS servers or domains" : "  global"))
        printDNS(global, console)
        printDifferences(report.dnsDifferences, console)
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
      let count = report.devices.reduce(0) { $0 + $1.differences.count } + report.dnsDifferences.count + report.probes.filter { !$0.ok }.count
      console.out(report.differs ? "netcfg: \(count) difference\(count == 1 ? "" : "s") or failed probe\(count == 1 ? "" : "s")\(report.reasons.contains(where: \.differs) ? "; see why" : "")" : "netcfg: the live state agrees with the files")
    }

    func printDNS(_ entries: [DeviceStatus.DNSEntry], _ console: Console) {
      for entry in entries {
        console.out("  \(entry.kind == .server ? "dns   " : "search")   \(entry.value)  \(entry.origin)" + (entry.location.map { "  " + console.dim($0.description) } ?? ""))
      }
    }

    func printDifferences(_ differences: [DeviceStatus.Difference], _ console: Console) {
      for d in differences {
        console.out("  " + console.paint(d.kind.rawValue.uppercased(), "33") + "  \(d.detail)" + (d.location.map { "  " + console.dim($0.description) } ?? ""))
      }
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
      ("resolved", globalDNS.map { .object([("global", .array($0.map(\.json))), ("differences", .array(dnsDifferences.map(\.json)))]) } ?? .null),
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
      ("managed-by", .optional(managedBy)),
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
      ("dns", .array(dns.map(\.json))),
      ("differences", .array(differences.map(\.json))),
    ])
  }
}

extension DeviceStatus.Difference {
  var json: JSONValue {
    .object([("kind", .string(kind.rawValue)), ("what", .string(what)), ("detail", .string(detail)), ("source", location?.json ?? .null)])
  }
}

extension DeviceStatus.DNSEntry {
  var json: JSONValue {
    .object([("kind", .string(kind.rawValue)), ("value", .string(value)), ("origin", .string(origin)), ("source", location?.json ?? .null)])
  }
}
