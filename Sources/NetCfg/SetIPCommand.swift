import ArgumentParser
import NetCfgCore

extension NetCfg {
  /// `netcfg set-ip IFACE ADDR/PREFIX... [--gateway IP] [--dns IP...]`: the fixed-IP task.
  struct SetIP: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set-ip",
      abstract: "Give an interface fixed addresses, a default gateway and DNS servers.",
      discussion: """
        Replaces the interface's addresses of the families given (an IPv4-only call keeps the \
        IPv6 addresses, and vice versa), turns DHCP off for them unless --keep-dhcp, writes each \
        gateway as a default route (`routes: [{to: default, via: IP}]`, replacing an existing \
        one in place, or gateway4/gateway6), and sets nameservers and search domains when given. \
        Edits go to the last file under /etc/netplan that defines the interface (a new one: \
        /etc/netplan/90-netcfg.yaml); only the changed lines change. Routes in other tables stay. \
        In NetworkManager's own files, passthrough keys that would override the edit are \
        removed. A bridge or bond member, or the loopback losing 127.0.0.1/8, needs --force.
        """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var edit: EditOptions
    @Argument(help: "The interface (netplan id, set-name, or matched name).") var interface: String
    @Argument(help: "Addresses with prefix length, e.g. 192.0.2.10/24 2001:db8::10/64.") var addresses: [String] = []
    @Option(help: ArgumentHelp("Default gateway (IPv4, or IPv6).", valueName: "IP")) var gateway: String?
    @Option(help: ArgumentHelp("Default IPv6 gateway.", valueName: "IP")) var gateway6: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("DNS servers.", valueName: "IP")) var dns: [String] = []
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Search domains.", valueName: "DOMAIN")) var search: [String] = []
    @Flag(help: "Leave DHCP as it is.") var keepDhcp = false
    @Flag(help: "The gateway is reachable on the link even outside the subnet (writes on-link: true).") var onLink = false
    @Flag(help: "Also on a bridge or bond member, or when the loopback would lose 127.0.0.1/8.") var force = false

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        let request = try SetIPRequest.parse(
          interface: interface, addresses: addresses, gateway: gateway, gateway6: gateway6, dns: dns,
          search: search, keepDHCP: keepDhcp, onLink: onLink, force: force)
        let target = try request.plan(&editor)
        return { request.verify($0, target) }
      }
    }
  }
}
