import NetCfgCore

extension NetCfg {
  /// `netcfg set-ip IFACE ADDR/PREFIX... [--gateway IP] [--dns IP...]`: the fixed-IP task.
  struct SetIP: Command {
    static let info = CommandInfo(
      name: "set-ip",
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

    var options: GlobalOptions
    var edit: EditOptions
    var interface = ""
    var addresses: [String] = []
    var gateway: String?
    var gateway6: String?
    var dns: [String] = []
    var search: [String] = []
    var keepDhcp = false
    var onLink = false
    var force = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      edit = try EditOptions(&a)
      interface = a.argument("interface", help: "The interface (netplan id, set-name, or matched name).")
      addresses = a.arguments("addresses", help: "Addresses with prefix length, e.g. 192.0.2.10/24 2001:db8::10/64.")
      gateway = a.option("gateway", valueName: "IP", help: "Default gateway (IPv4, or IPv6).")
      gateway6 = a.option("gateway6", valueName: "IP", help: "Default IPv6 gateway.")
      dns = a.options("dns", upToNextOption: true, valueName: "IP", help: "DNS servers.")
      search = a.options("search", upToNextOption: true, valueName: "DOMAIN", help: "Search domains.")
      keepDhcp = a.flag("keep-dhcp", help: "Leave DHCP as it is.")
      onLink = a.flag("on-link", help: "The gateway is reachable on the link even outside the subnet (writes on-link: true).")
      force = a.flag("force", help: "Also on a bridge or bond member, or when the loopback would lose 127.0.0.1/8.")
    }

    func run() throws {
      try EditRunner(options: options, edit: edit).run { editor throws(EditError) in
        let request = try SetIPRequest.parse(
          interface: interface, addresses: addresses, gateway: gateway, gateway6: gateway6, dns: dns,
          search: search, keepDHCP: keepDhcp, onLink: onLink, force: force)
        let target = try request.plan(&editor, lastReader: true)
        return { request.verify($0, target) }
      }
    }
  }
}
