/// Who answers DNS on this host and why it may not be what the operator expects.
public struct DNSStatus: Sendable {
  public struct Interface: Sendable {
    public var id: String
    public var nameservers: [String]
    public var search: [String]
    /// DHCP is on and its DNS servers are used (no `dhcpN-overrides: use-dns: false`).
    public var dhcpDNS: Bool
  }

  public var resolvConf: ResolvConf
  public var resolved: ResolvedConfig
  public var interfaces: [Interface]
  public var diagnostics: [Diagnostic]

  public static func load(_ fs: FileSystem, netplan: NetplanConfiguration) -> DNSStatus {
    let resolvConf = ResolvConf.load(fs)
    let resolved = ResolvedConfig.load(fs)
    var interfaces: [Interface] = []
    for device in netplan.devices {
      let node = device.node
      let dhcpDNS = [("dhcp4", "dhcp4-overrides"), ("dhcp6", "dhcp6-overrides")].contains { key, overrides in
        NetplanBool.parse(node[key]?.scalar ?? "") == true
          && NetplanBool.parse(node[overrides]?["use-dns"]?.scalar ?? "true") != false
      }
      let servers = node["nameservers"]?["addresses"]?.items.compactMap(\.scalar) ?? []
      let search = node["nameservers"]?["search"]?.items.compactMap(\.scalar) ?? []
      if servers.isEmpty && search.isEmpty && !dhcpDNS { continue }
      interfaces.append(Interface(id: device.id, nameservers: servers, search: search, dhcpDNS: dhcpDNS))
    }
    var status = DNSStatus(resolvConf: resolvConf, resolved: resolved, interfaces: interfaces, diagnostics: resolved.diagnostics)
    status.diagnostics += status.warnings()
    return status
  }

  /// The usual surprises, explained.
  func warnings() -> [Diagnostic] {
    var out: [Diagnostic] = []
    let at = SourceLocation(file: ResolvConf.path, line: 1, column: 1)
    switch resolvConf.mode {
    case .stub, .uplink:
      out.append(.note(
        "\(ResolvConf.path) is a link to systemd-resolved's \(resolvConf.mode == .stub ? "stub" : "upstream") file: edits to it are overwritten",
        code: "resolv-conf-managed", at: at,
        notes: ["set global DNS with `netcfg dns set IP... --global` (a resolved.conf.d drop-in), or per interface with --interface"]))
      let dhcp = interfaces.filter(\.dhcpDNS).map(\.id)
      if !dhcp.isEmpty {
        out.append(.warning(
          "systemd-resolved also uses the DNS servers DHCP gives \(dhcp.joined(separator: ", ")), next to the configured ones",
          code: "dhcp-dns-in-parallel",
          notes: ["`netcfg dns set IP... --interface IFACE --no-dhcp-dns` writes `dhcp4-overrides: use-dns: false`"]))
      }
    case .static:
      if !resolved.effective("DNS").values.isEmpty {
        out.append(.warning(
          "\(ResolvConf.path) is a static file: programs use its nameservers, not the DNS set in resolved.conf",
          code: "resolv-conf-static", at: at))
      }
    case .foreign:
      out.append(.note("\(ResolvConf.path) is managed by \(resolvConf.owner) (link to \(resolvConf.linkTarget ?? "?"))", code: "resolv-conf-foreign", at: at))
    case .missing:
      out.append(.warning(
        "\(ResolvConf.path) is missing\(resolvConf.linkTarget.map { " (a link to \($0), which does not exist)" } ?? ""): name lookups will fail",
        code: "resolv-conf-missing", at: at))
    }
    if resolvConf.nameservers.count > 3 {
      out.append(.warning(
        "\(ResolvConf.path) lists \(resolvConf.nameservers.count) nameservers; the C library uses only the first 3",
        code: "too-many-nameservers", at: at))
    }
    return out
  }
}

extension Diagnostic {
  public static func note(
    _ message: String, code: String, at location: SourceLocation? = nil, notes: [String] = []
  ) -> Diagnostic {
    Diagnostic(.note, message, code: code, at: location, notes: notes)
  }
}

extension DNSStatus {
  /// `{"resolv-conf": {...}, "resolved": {...}, "interfaces": [...], "diagnostics": [...]}`.
  public var json: JSONValue {
    let rc = resolvConf
    func setting(_ key: String) -> JSONValue {
      let s = resolved.effective(key)
      return .object([("values", .array(s.values.map(JSONValue.string))), ("source", s.location?.json ?? .null)])
    }
    return .object([
      ("resolv-conf", .object([
        ("mode", .string(rc.mode.rawValue)), ("owner", .string(rc.owner)), ("target", .optional(rc.linkTarget)),
        ("nameservers", .array(rc.nameservers.map(JSONValue.string))), ("search", .array(rc.search.map(JSONValue.string))),
      ])),
      ("resolved", .object([
        ("dns", setting("DNS")), ("fallback-dns", setting("FallbackDNS")), ("domains", setting("Domains")),
        ("files", .array(resolved.files.map { .string($0.path) })),
      ])),
      ("interfaces", .array(interfaces.map {
        .object([
          ("id", .string($0.id)), ("nameservers", .array($0.nameservers.map(JSONValue.string))),
          ("search", .array($0.search.map(JSONValue.string))), ("dhcp-dns", .bool($0.dhcpDNS)),
        ])
      })),
      ("diagnostics", .array(diagnostics.map(\.json))),
    ])
  }
}
