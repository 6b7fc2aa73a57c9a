import ArgumentParser
import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg gateway IFACE IP`.
  struct Gateway: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Set an interface's default gateway (a default route; gateway4/gateway6 are replaced).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "The interface.") var interface: String
    @Argument(help: "The gateway (IPv4 or IPv6).") var ip: String
    @Flag(help: "The gateway is reachable on the link even outside the subnet (writes on-link: true).") var onLink = false

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        guard let gateway = IPAddress(ip) else { throw EditError(.usage, "gateway '\(ip)' is not an IP address") }
        let request = SetIPRequest(interface: interface, addresses: [], gateways: [gateway], keepDHCP: true, onLink: onLink)
        let target = try request.plan(&editor)
        return { request.verify($0, target) }
      }
    }
  }

  /// `netcfg dhcp IFACE [--off] [--ipv6]`.
  struct DHCP: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Turn DHCP on (or off) for an interface.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "The interface.") var interface: String
    @Flag(help: "Turn it off.") var off = false
    @Flag(help: "DHCPv6 (dhcp6) instead of DHCPv4.") var ipv6 = false

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        try DHCPRequest(interface: interface, enable: !off, ipv6: ipv6).plan(&editor)
      }
    }
  }

  /// `netcfg dns ...`.
  struct DNS: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "DNS settings.", subcommands: [DNSSet.self])
  }

  /// `netcfg dns set IP... --interface IFACE [--search D...]`.
  struct DNSSet: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set", abstract: "Set an interface's DNS servers (netplan nameservers).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "DNS servers.") var servers: [String]
    @Option(help: ArgumentHelp("The interface whose nameservers to set.", valueName: "IFACE")) var interface: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Search domains.", valueName: "DOMAIN")) var search: [String] = []

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        guard let interface else {
          throw EditError(.usage, "--interface IFACE is required: netcfg writes netplan nameservers of one interface")
        }
        var dns: [IPAddress] = []
        for text in servers {
          guard let ip = IPAddress(text) else { throw EditError(.usage, "DNS server '\(text)' is not an IP address") }
          dns.append(ip)
        }
        guard !dns.isEmpty else { throw EditError(.usage, "give at least one DNS server") }
        for domain in search where domain.isEmpty || domain.contains(where: { $0.isWhitespace || $0 == "/" }) {
          throw EditError(.usage, "search domain '\(domain)' is not a domain name")
        }
        let request = SetIPRequest(
          interface: interface, addresses: [], dns: dns, search: search.isEmpty ? nil : search, keepDHCP: true)
        let target = try request.plan(&editor)
        return { request.verify($0, target) }
      }
    }
  }

  /// `netcfg set KEY=VALUE...`.
  struct SetKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "Set netplan keys: KEY=VALUE, KEY+=VALUE (add to a list), KEY-=VALUE (remove from a list).",
      discussion: """
        KEY is a dotted path as netplan spells it (`network.` optional): ethernets.eth0.mtu=9000, \
        ethernets.eth0.addresses+=192.0.2.7/24, "vlans.\\"vlan.10\\".id=10". VALUE is YAML flow \
        syntax ([a, b], {to: default, via: 192.0.2.1}, "text").
        """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "KEY=VALUE, KEY+=VALUE or KEY-=VALUE.") var assignments: [String]

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
  struct Unset: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove netplan keys (from every /etc file that sets them).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "Dotted keys.") var keys: [String]

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
  struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Turn gateway4/gateway6 into default routes and make netplan files mode 0600.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions

    func run() throws {
      try EditRunner(options: options, edit: edit, fixModes: true).run { editor throws(EditError) in
        try NetCfgCore.Migrate.plan(&editor)
      }
    }
  }
}
