import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg gateway IFACE IP`.
  struct Gateway: Command {
    static let info = CommandInfo(
      name: "gateway",
      abstract: "Set an interface's default gateway (a default route; gateway4/gateway6 are replaced).")

    var options: GlobalOptions
    var edit: EditOptions
    var interface = ""
    var ip = ""
    var onLink = false
    var force = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      interface = a.argument("interface", help: "The interface.")
      ip = a.argument("ip", help: "The gateway (IPv4 or IPv6).")
      onLink = a.flag("on-link", help: "The gateway is reachable on the link even outside the subnet (writes on-link: true).")
      force = a.flag("force", help: "Also on a bridge or bond member, or the loopback.")
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        guard let gateway = IPAddress(ip) else { throw EditError(.usage, "gateway '\(ip)' is not an IP address") }
        let request = SetIPRequest(
          interface: interface, addresses: [], gateways: [gateway], keepDHCP: true, onLink: onLink, force: force)
        let target = try request.plan(&editor)
        return { request.verify($0, target) }
      }
    }
  }

  /// `netcfg dhcp IFACE [--off] [--ipv6]`.
  struct DHCP: Command {
    static let info = CommandInfo(name: "dhcp", abstract: "Turn DHCP on (or off) for an interface.")

    var options: GlobalOptions
    var edit: EditOptions
    var interface = ""
    var off = false
    var ipv6 = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      interface = a.argument("interface", help: "The interface.")
      off = a.flag("off", help: "Turn it off.")
      ipv6 = a.flag("ipv6", help: "DHCPv6 (dhcp6) instead of DHCPv4.")
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        try DHCPRequest(interface: interface, enable: !off, ipv6: ipv6).plan(&editor)
      }
    }
  }

  /// `netcfg dns ...`.
  struct DNS: CommandGroup {
    static let info = CommandInfo(
      name: "dns",
      abstract: "Diagnose and set DNS (netplan, systemd-resolved, resolv.conf).", subcommands: [DNSStatusCommand.self, DNSSet.self, DNSReset.self])
  }

  /// `netcfg dns set IP... (--interface IFACE | --global) [--search D...] [--method M]`.
  struct DNSSet: Command {
    static let info = CommandInfo(
      name: "set", abstract: "Set DNS servers: of an interface (netplan), or globally (resolved drop-in or static resolv.conf).",
      discussion: """
        --interface IFACE writes netplan nameservers (--no-dhcp-dns also stops using the DNS \
        servers DHCP gives). --global writes /etc/systemd/resolved.conf.d/90-netcfg.conf \
        (--in-place: DNS= in /etc/systemd/resolved.conf). --method resolv-conf replaces \
        /etc/resolv.conf with a static file (--force when systemd-resolved owns it; the old link \
        is recorded for rollback).
        """)

    enum Method: String, ArgumentValue, CaseIterable { case netplan, resolved, resolvConf = "resolv-conf" }

    var options: GlobalOptions
    var edit: EditOptions
    var servers: [String] = []
    var interface: String?
    var global = false
    var method: Method?
    var search: [String] = []
    var noDhcpDns = false
    var inPlace = false
    var force = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      servers = a.arguments("servers", required: true, help: "DNS servers.")
      interface = a.option("interface", valueName: "IFACE", help: "The interface whose nameservers to set (netplan).")
      global = a.flag("global", help: "Global DNS for systemd-resolved.")
      method = try a.option("method", as: Method.self, help: "netplan, resolved or resolv-conf.")
      search = a.options("search", upToNextOption: true, valueName: "DOMAIN", help: "Search domains.")
      noDhcpDns = a.flag("no-dhcp-dns", help: "With --interface: ignore the DNS servers DHCP gives (dhcp4-overrides: use-dns: false).")
      inPlace = a.flag("in-place", help: "With --global: set DNS= in resolved.conf itself instead of a drop-in.")
      force = a.flag("force", help: "With --method resolv-conf: replace systemd-resolved's link.")
    }

    func run() throws {
      // `1.1.1.1,8.8.8.8` as nmcli takes lists.
      let servers = servers.flatMap { $0.split(separator: ",").map(String.init) }
      let search = search.flatMap { $0.split(separator: ",").map(String.init) }
      let chosen = method ?? (interface != nil ? .netplan : global ? .resolved : nil)
      let runner = EditRunner(options: options, edit: edit)
      // Options of one method given to another would be ignored: say so.
      let conflicts: [(Bool, String)] = [
        (global && interface != nil, "--global and --interface exclude each other"),
        (global && chosen == .netplan, "--global is systemd-resolved's global DNS; --method netplan needs --interface"),
        (interface != nil && chosen != .netplan, "--interface sets netplan nameservers; it does not go with --method \(chosen?.rawValue ?? "")"),
        (noDhcpDns && chosen != .netplan, "--no-dhcp-dns goes with --interface (netplan)"),
        (inPlace && chosen != .resolved, "--in-place goes with --global (systemd-resolved)"),
        (force && chosen != .resolvConf, "--force goes with --method resolv-conf"),
      ]
      if let conflict = conflicts.first(where: \.0)?.1 { return try runner.runChanges { throw EditError(.usage, conflict) } }
      switch chosen {
      case .netplan?:
        try runner.run { editor throws(EditError) in
          guard let interface else { throw EditError(.usage, "--method netplan needs --interface IFACE") }
          try DNSEdit.check(servers: servers, search: search)
          var dns: [IPAddress] = []
          for text in servers {
            guard let ip = IPAddress(text) else { throw EditError(.usage, "netplan nameservers are plain addresses; '\(text)' is not") }
            dns.append(ip)
          }
          let request = SetIPRequest(
            interface: interface, addresses: [], dns: dns, search: search.isEmpty ? nil : search, keepDHCP: true)
          let target = try request.plan(&editor)
          var checks = [{ (config: NetplanConfiguration) in request.verify(config, target) }]
          if noDhcpDns {
            let keys = ["dhcp4-overrides", "dhcp6-overrides"].filter { key in
              key == "dhcp4-overrides" || editor.original.device(target.id)?.node["dhcp6"] != nil
            }
            let edits = keys.map { YAMLEdit.set(target.path.appending(.key($0)).appending(.key("use-dns")), .bool(false)) }
            checks.append(try GenericEdit.plan(edits, &editor))
          }
          return { config in checks.flatMap { $0(config) } }
        }
      case .resolved?:
        try runner.runChanges { try DNSEdit.resolved(servers: servers, search: search, inPlace: inPlace, options.fileSystem) }
      case .resolvConf?:
        try runner.runChanges { try DNSEdit.resolvConf(servers: servers, search: search, force: force, options.fileSystem) }
      case nil:
        try runner.runChanges {
          throw EditError(.usage, "say where: --interface IFACE (netplan), --global (systemd-resolved) or --method resolv-conf")
        }
      }
    }
  }

  /// `netcfg dns reset`.
  struct DNSReset: Command {
    static let info = CommandInfo(
      name: "reset",
      abstract: "Give /etc/resolv.conf back to systemd-resolved (its stub link); applied, resolved is enabled and restarted.")

    var options: GlobalOptions
    var edit: EditOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).runChanges { try DNSEdit.reset(options.fileSystem) }
    }
  }

  /// `netcfg dns status`.
  struct DNSStatusCommand: Command {
    static let info = CommandInfo(
      name: "status", abstract: "Who answers DNS here: resolv.conf mode and owner, resolved, netplan, DHCP.")

    var options: GlobalOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
    }

    func run() throws {
      let console = options.console
      let status = DNSStatus.load(options.fileSystem, netplan: try options.loadNetplan(recover: false))
      if options.json {
        console.out(status.json.serialized())
        return
      }
      let rc = status.resolvConf
      console.out(console.bold("/etc/resolv.conf") + "  \(rc.mode.rawValue)" + (rc.linkTarget.map { " -> \($0)" } ?? "") + ", \(rc.owner)")
      if !rc.nameservers.isEmpty { console.out("  nameservers  " + rc.nameservers.joined(separator: " ")) }
      if !rc.search.isEmpty { console.out("  search       " + rc.search.joined(separator: " ")) }
      console.out(console.bold("systemd-resolved") + " (global)")
      if ["DNS", "FallbackDNS", "Domains"].allSatisfy({ status.resolved.effective($0).values.isEmpty }) {
        console.out("  no global DNS set")
      }
      for key in ["DNS", "FallbackDNS", "Domains"] {
        let setting = status.resolved.effective(key)
        guard !setting.values.isEmpty else { continue }
        console.out("  \(key.padded(to: 12)) \(setting.values.joined(separator: " "))  " + console.dim(setting.location?.description ?? ""))
      }
      if !status.interfaces.isEmpty { console.out(console.bold("netplan interfaces")) }
      for i in status.interfaces {
        var parts: [String] = []
        if !i.nameservers.isEmpty { parts.append("nameservers " + i.nameservers.joined(separator: " ")) }
        if !i.search.isEmpty { parts.append("search " + i.search.joined(separator: " ")) }
        if i.dhcpDNS { parts.append("+ DNS from DHCP") }
        console.out("  \(i.id.padded(to: 12)) " + parts.joined(separator: "; "))
      }
      console.report(status.diagnostics, quiet: options.quiet)
    }
  }

  /// `netcfg cloud-init ...`.
  struct CloudInitCommand: CommandGroup {
    static let info = CommandInfo(
      name: "cloud-init", abstract: "Keep cloud-init from rewriting the network configuration.",
      subcommands: [DisableNetwork.self])
  }

  /// `netcfg cloud-init disable-network`.
  struct DisableNetwork: Command {
    static let info = CommandInfo(
      name: "disable-network",
      abstract: "Write /etc/cloud/cloud.cfg.d/99-disable-network-config.cfg (network: {config: disabled}).")

    var options: GlobalOptions
    var edit: EditOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).runChanges { CloudInit.disableNetwork(options.fileSystem) }
    }
  }

  /// `netcfg set KEY=VALUE...`.
  struct SetKeys: Command {
    static let info = CommandInfo(
      name: "set",
      abstract: "Set netplan keys: KEY=VALUE, KEY+=VALUE (add to a list), KEY-=VALUE (remove from a list).",
      discussion: """
        KEY is a dotted path as netplan spells it (`network.` optional): ethernets.eth0.mtu=9000, \
        ethernets.eth0.addresses+=192.0.2.7/24, "vlans.\\"vlan.10\\".id=10". VALUE is YAML flow \
        syntax ([a, b], {to: default, via: 192.0.2.1}, "text").
        """)

    var options: GlobalOptions
    var edit: EditOptions
    var assignments: [String] = []

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      assignments = a.arguments("assignments", required: true, help: "KEY=VALUE, KEY+=VALUE or KEY-=VALUE.")
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        var edits: [YAMLEdit] = []
        for text in assignments {
          do { edits.append(try YAMLEdit.parseAssignment(text)) } catch let error as YAMLError {
            throw EditError(.usage, error.message)
          } catch { throw EditError(.usage, "\(error)") }
        }
        return try GenericEdit.plan(edits, &editor)
      }
    }
  }

  /// `netcfg unset KEY...`.
  struct Unset: Command {
    static let info = CommandInfo(name: "unset", abstract: "Remove netplan keys (from every /etc file that sets them).")

    var options: GlobalOptions
    var edit: EditOptions
    var keys: [String] = []

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      keys = a.arguments("keys", required: true, help: "Dotted keys.")
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        var edits: [YAMLEdit] = []
        for key in keys {
          do { edits.append(.remove(try YAMLPath.parse(key))) } catch let error as YAMLPathError {
            throw EditError(.usage, error.description)
          } catch { throw EditError(.usage, "\(error)") }
        }
        return try GenericEdit.plan(edits, &editor)
      }
    }
  }

  /// `netcfg migrate`.
  struct Migrate: Command {
    static let info = CommandInfo(
      name: "migrate",
      abstract: "Turn gateway4/gateway6 into default routes and make netplan files mode 0600.")

    var options: GlobalOptions
    var edit: EditOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
    }

    func run() throws {
      try EditRunner(options: options, edit: edit, fixModes: true).run { editor throws(EditError) in
        try NetCfgCore.Migrate.plan(&editor)
      }
    }
  }
}
