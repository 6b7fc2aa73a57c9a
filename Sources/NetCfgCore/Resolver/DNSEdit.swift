/// The two global DNS fixes of the seed: a systemd-resolved drop-in (or `DNS=` in
/// resolved.conf), or a static /etc/resolv.conf in place of resolved's link.
public enum DNSEdit {
  public static let dropIn = "/etc/systemd/resolved.conf.d/90-netcfg.conf"
  /// Where the replaced resolv.conf link target is recorded, for rollback.
  public static let previousLinkRecord = "/var/lib/netcfg/resolv.conf.link"

  /// Checks DNS servers (resolved's syntax) and search domains.
  /// `upstream`: the servers are where systemd-resolved sends queries (its global DNS, or a
  /// link's), so its own stub addresses would make it ask itself.
  public static func check(servers: [String], search: [String], upstream: Bool = true) throws(EditError) {
    guard !servers.isEmpty else { throw EditError(.usage, "give at least one DNS server") }
    // Nothing that could end a line or a value in the files written.
    for value in servers + search where value.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
      throw EditError(.usage, "'\(value.debugDescription.dropFirst().dropLast())' contains a space or control character")
    }
    for server in servers where DNSServer(server) == nil {
      throw EditError(.usage, "DNS server '\(server)' is not an IP address (ADDRESS[:PORT][%IFACE][#NAME])")
    }
    for server in servers where upstream {
      if let ip = DNSServer(server)?.address, ResolvConf.stubServers.contains(ip.description) {
        throw EditError(
          .usage,
          "\(ip) is systemd-resolved's own stub listener: as an upstream server resolved would ask itself; give the servers resolved should ask")
      }
    }
    // Search domains (resolved's routing-only ones start with `~`).
    for domain in search where domain != "~." && !DNSServer.isDNSName(domain.hasPrefix("~") ? String(domain.dropFirst()) : domain) {
      throw EditError(.usage, "search domain '\(domain)' is not a domain name")
    }
  }

  /// Global DNS for systemd-resolved: the netcfg drop-in, or the main file with `inPlace`.
  public static func resolved(
    servers: [String], search: [String], inPlace: Bool, _ fs: FileSystem
  ) throws(EditError) -> ChangeSet {
    try check(servers: servers, search: search)
    var config = ResolvedConfig.load(fs)
    let path = inPlace ? ResolvedConfig.mainFile : dropIn
    let index = config.files.firstIndex { $0.path == path }
    let before = index.map { config.files[$0].ini.text }
    var ini = index.map { config.files[$0].ini }
      ?? SystemdINI("# Global DNS servers for systemd-resolved, written by netcfg.\n[Resolve]\n")
    // Lists add up across files: a file read earlier with DNS= would stay, so reset it first.
    let position = index ?? config.files.count
    for (key, values) in [("DNS", servers), ("Domains", search)] where !values.isEmpty {
      let earlier = config.files.prefix(position).contains { !$0.ini.assignments(key, in: "Resolve").isEmpty }
      let wanted = values.joined(separator: " ")
      let current = ini.assignments(key, in: "Resolve").map(\.value)
      if current == (earlier ? ["", wanted] : [wanted]) { continue }
      try ini.set(key, wanted, in: "Resolve")
      if earlier { ini.insertReset(key, in: "Resolve") }
    }
    if let index { config.files[index].ini = ini } else {
      config.files.insert(ResolvedConfig.File(path: path, ini: ini), at: dropInPosition(path, in: config))
    }
    var problems: [String] = []
    if config.effective("DNS").values != servers { problems.append("DNS would be \(config.effective("DNS").values)") }
    if !search.isEmpty, config.effective("Domains").values != search {
      problems.append("Domains would be \(config.effective("Domains").values)")
    }
    if !problems.isEmpty {
      throw EditError(
        .failure, "this edit would not take effect: " + problems.joined(separator: "; ")
          + " (a drop-in read later sets them; `netcfg dns status` shows the files)")
    }
    guard ini.text != before else { return ChangeSet(files: [], diagnostics: []) }
    let info = fs.info(path)
    return ChangeSet(
      files: [FileChange(
        path: path, before: before.map { Array($0.utf8) }, after: Array(ini.text.utf8), mode: info?.mode ?? 0o644,
        owner: info.map { ($0.owner, $0.group) })],
      diagnostics: [.note("systemd-resolved reads this when restarted (`netcfg apply` does it)", code: "restart-resolved")]
        + resolverNotUsed(fs))
  }

  /// A warning when /etc/resolv.conf does not lead to systemd-resolved: its settings then
  /// reach only programs that ask resolved directly.
  static func resolverNotUsed(_ fs: FileSystem) -> [Diagnostic] {
    let conf = ResolvConf.load(fs)
    guard conf.mode == .static || conf.mode == .foreign, conf.owner != "systemd-resolved" else { return [] }
    return [
      .warning(
        "/etc/resolv.conf belongs to \(conf.owner), not systemd-resolved: programs that read it do not use these settings",
        code: "resolved-not-used",
        notes: [conf.owner == "NetworkManager"
          ? "set DNS on the connection instead (`netcfg dns set IP --interface IFACE`), or let resolv.conf link to resolved's stub"
          : "link /etc/resolv.conf to /run/systemd/resolve/stub-resolv.conf to use them"])
    ]
  }

  /// Where a new drop-in goes among the files: after those whose names sort before it.
  static func dropInPosition(_ path: String, in config: ResolvedConfig) -> Int {
    let name = Array(path.split(separator: "/").last!.utf8)
    var position = config.files.count
    for (i, file) in config.files.enumerated() where file.path != ResolvedConfig.mainFile {
      if name.lexicographicallyPrecedes(Array(file.path.split(separator: "/").last!.utf8)) {
        position = i
        break
      }
    }
    return position
  }

  /// A static /etc/resolv.conf (0644) replacing the current one; resolved's link needs
  /// `force`. The replaced link target is recorded so that a rollback can restore it.
  public static func resolvConf(
    servers: [String], search: [String], force: Bool, _ fs: FileSystem
  ) throws(EditError) -> ChangeSet {
    try check(servers: servers, search: search, upstream: false)
    for server in servers where IPAddress(server) == nil {
      throw EditError(.usage, "resolv.conf takes plain addresses; '\(server)' has a port, interface or name")
    }
    let current = ResolvConf.load(fs)
    var text = "# Static resolver configuration, written by netcfg (`netcfg dns set --method resolv-conf`).\n"
    text += servers.map { "nameserver \($0)\n" }.joined()
    if !search.isEmpty { text += "search " + search.joined(separator: " ") + "\n" }
    var notes: [Diagnostic] = []
    if servers.count > 3 {
      notes.append(.warning("the C library uses only the first 3 nameservers of resolv.conf", code: "too-many-nameservers"))
    }
    let link = fs.linkTarget(ResolvConf.path)
    if current.mode == .stub || current.mode == .uplink {
      guard force else {
        throw EditError(
          .usage, "\(ResolvConf.path) belongs to systemd-resolved (\(current.mode.rawValue) link); pass --force to replace it with a static file",
          diagnostics: [.note("with --force, systemd-resolved is stopped and disabled when the change is applied (it would keep answering on 127.0.0.53 while resolv.conf bypasses it); `netcfg dns reset` goes back", code: "resolved-in-use")])
      }
      notes.append(.note(
        "applying this (--apply, or `netcfg apply`) stops and disables systemd-resolved, and checks that the servers answer; `netcfg dns reset` restores resolved's link",
        code: "resolved-in-use"))
    }
    let before = link == nil ? ((try? fs.read(ResolvConf.path)) ?? nil) : nil
    if link == nil, before == Array(text.utf8) { return ChangeSet(files: [], diagnostics: []) }
    var files = [FileChange(path: ResolvConf.path, before: link == nil ? before : [], after: Array(text.utf8), mode: 0o644, replacesLink: link)]
    if let link {
      files.insert(
        FileChange(path: previousLinkRecord, before: (try? fs.read(previousLinkRecord)) ?? nil, after: Array((link + "\n").utf8),
          mode: 0o600, directoryMode: 0o700), at: 0)
      notes.append(.note("the link to \(link) is recorded in \(previousLinkRecord) for rollback", code: "link-recorded"))
    }
    return ChangeSet(files: files, diagnostics: notes)
  }
}

extension DNSEdit {
  /// The way back from a static /etc/resolv.conf: the link to systemd-resolved's stub (the
  /// one recorded when netcfg replaced it, else the stub file). Applied, resolved is enabled
  /// and restarted, and a lookup through 127.0.0.53 is checked.
  public static func reset(_ fs: FileSystem) throws(EditError) -> ChangeSet {
    let stub = "../run/systemd/resolve/stub-resolv.conf"
    let recorded = ((try? fs.read(previousLinkRecord)) ?? nil).map { String(decoding: $0, as: UTF8.self) }?
      .split(separator: "\n").first.map(String.init)
    let target = recorded.flatMap { $0.contains("systemd/resolv") ? $0 : nil } ?? stub
    let current = fs.linkTarget(ResolvConf.path)
    if current == target { return ChangeSet(files: [], diagnostics: []) }
    let before: [UInt8] = current.map { Array("symbolic link to \($0)\n".utf8) } ?? ((try? fs.read(ResolvConf.path)) ?? nil) ?? []
    var change = FileChange(
      path: ResolvConf.path, before: before, after: Array("symbolic link to \(target)\n".utf8), mode: 0o777)
    change.linkTarget = target
    return ChangeSet(
      files: [change],
      diagnostics: [.note("applying this (--apply, or `netcfg apply`) enables and restarts systemd-resolved and checks a lookup through 127.0.0.53", code: "resolved-back")])
  }
}

extension SystemdINI {
  /// Puts an empty `KEY=` (which resets a list) just before the assignment of `key`.
  mutating func insertReset(_ key: String, in section: String) {
    guard let last = assignments(key, in: section).last else { return }
    lines.insert((.assignment(key: key, value: ""), "\(key)="), at: last.line - 1)
  }
}

extension CloudInit {
  public static let disableFile = "/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg"

  /// `network: {config: disabled}` in cloud.cfg.d, so cloud-init stops rewriting the netplan
  /// config; nothing to do when it is already disabled.
  public static func disableNetwork(_ fs: FileSystem) -> ChangeSet {
    if networkConfigDisabled(fs) {
      return ChangeSet(files: [], diagnostics: [])
    }
    let text = "# Written by netcfg: cloud-init no longer writes the network configuration.\nnetwork: {config: disabled}\n"
    return ChangeSet(
      files: [FileChange(path: disableFile, before: (try? fs.read(disableFile)) ?? nil, after: Array(text.utf8), mode: 0o644)],
      diagnostics: [])
  }
}
