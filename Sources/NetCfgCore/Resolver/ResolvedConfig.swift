/// systemd-resolved's configuration: `/etc/systemd/resolved.conf` and the drop-ins of
/// `resolved.conf.d/` in /etc, /run and /usr/lib, read with systemd's precedence.
public struct ResolvedConfig: Sendable {
  public static let mainFile = "/etc/systemd/resolved.conf"
  /// Drop-in directories, highest precedence first (a name in /etc hides it in /run and /usr/lib).
  public static let dropInDirectories = [
    "/etc/systemd/resolved.conf.d", "/run/systemd/resolved.conf.d", "/usr/local/lib/systemd/resolved.conf.d",
    "/usr/lib/systemd/resolved.conf.d", "/lib/systemd/resolved.conf.d",
  ]
  /// Keys whose values are lists (an empty assignment resets the list).
  public static let listKeys: Set<String> = ["DNS", "FallbackDNS", "Domains"]
  public static let knownKeys: Set<String> = [
    "DNS", "FallbackDNS", "Domains", "DNSSEC", "DNSOverTLS", "DNSStubListener", "LLMNR", "MulticastDNS", "Cache",
    "DNSStubListenerExtra", "ReadEtcHosts", "ResolveUnicastSingleLabel", "CacheFromLocalhost", "StaleRetentionSec",
  ]

  public struct File: Sendable {
    public var path: String
    public var ini: SystemdINI
  }

  /// The files in the order systemd reads them: the main file, then drop-ins by name.
  public var files: [File]

  public init(files: [File]) { self.files = files }

  public static func load(_ fs: FileSystem) -> ResolvedConfig {
    var files: [File] = []
    if let bytes = try? fs.read(mainFile, limit: 1 << 20) { files.append(File(path: mainFile, ini: SystemdINI(String(decoding: bytes, as: UTF8.self)))) }
    var chosen: [String: String] = [:]
    for dir in dropInDirectories.reversed() {
      for name in ((try? fs.list(dir)) ?? nil) ?? [] where name.hasSuffix(".conf") {
        chosen[name] = dir + "/" + name  // higher-precedence directories come later and win
      }
    }
    for name in chosen.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
      let path = chosen[name]!
      guard let bytes = try? fs.read(path, limit: 1 << 20) else { continue }
      files.append(File(path: path, ini: SystemdINI(String(decoding: bytes, as: UTF8.self))))
    }
    return ResolvedConfig(files: files)
  }

  /// A setting in force and where it comes from.
  public struct Setting: Sendable {
    public var values: [String]
    public var location: SourceLocation?
  }

  /// The effective value of `key` in [Resolve]: lists accumulate across files (an empty
  /// assignment clears them), other keys take the last value.
  public func effective(_ key: String) -> Setting {
    var values: [String] = []
    var location: SourceLocation?
    for file in files {
      for (value, line) in file.ini.assignments(key, in: "Resolve") {
        location = SourceLocation(file: file.path, line: line, column: 1)
        if ResolvedConfig.listKeys.contains(key) {
          if value.isEmpty { values = [] } else { values += value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        } else {
          values = [value]
        }
      }
    }
    return Setting(values: values, location: location)
  }

  /// Problems: unknown keys and malformed DNS servers, at their lines.
  public var diagnostics: [Diagnostic] {
    var out: [Diagnostic] = []
    for file in files {
      var section: String?
      for (i, entry) in file.ini.lines.enumerated() {
        let at = SourceLocation(file: file.path, line: i + 1, column: 1)
        switch entry.line {
        case .section(let name): section = name
        case .assignment(let key, let value) where section == "Resolve":
          if !ResolvedConfig.knownKeys.contains(key) {
            out.append(Diagnostic(.warning, "unknown key '\(key)' in [Resolve]; systemd-resolved ignores it", code: "resolved-unknown-key", at: at, sourceLine: entry.text))
          } else if key == "DNS" || key == "FallbackDNS" {
            for server in value.split(separator: " ") where DNSServer(String(server)) == nil {
              out.append(Diagnostic(.error, "'\(server)' is not a DNS server address (ADDRESS[:PORT][%IFACE][#NAME])", code: "resolved-bad-dns", at: at, sourceLine: entry.text))
            }
          }
        case .other(let text):
          out.append(Diagnostic(.warning, "line is not KEY=VALUE, a [Section] or a comment", code: "resolved-bad-line", at: at, sourceLine: text))
        default: continue
        }
      }
    }
    return out
  }
}

/// A resolved DNS server: `ADDRESS[:PORT][%IFNAME][#SERVERNAME]`, IPv6 with a port in brackets.
public struct DNSServer: Sendable, Hashable {
  /// A host name as DNS-over-TLS names a server: dot-separated labels of letters, digits,
  /// hyphens and underscores, 1 to 63 bytes each, 253 in all.
  public static func isDNSName(_ text: String) -> Bool {
    let name = text.hasSuffix(".") ? String(text.dropLast()) : text
    guard !name.isEmpty, name.utf8.count <= 253 else { return false }
    return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
      (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
        && label.utf8.allSatisfy { c in
          (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
  }

  /// The address of a resolved.conf server entry (`ADDRESS[:PORT][%IFACE][#NAME]`), as
  /// `IPAddress.canonical` spells it.
  public static func canonical(_ text: String) -> String { DNSServer(text)?.address.description ?? text }

  public var address: IPAddress
  public var port: Int?
  public var interface: String?
  public var serverName: String?

  public init?(_ text: String) {
    var rest = Substring(text)
    if let hash = rest.firstIndex(of: "#") {
      serverName = String(rest[rest.index(after: hash)...])
      guard DNSServer.isDNSName(serverName!) else { return nil }
      rest = rest[..<hash]
    }
    if let percent = rest.lastIndex(of: "%") {
      interface = String(rest[rest.index(after: percent)...])
      guard InterfaceName.problem(interface!) == nil else { return nil }
      rest = rest[..<percent]
    }
    if rest.first == "[" {
      guard let close = rest.firstIndex(of: "]"), let a = IPv6Address(String(rest[rest.index(after: rest.startIndex)..<close])) else { return nil }
      address = .v6(a)
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.first == ":", let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
        port = p
      }
      return
    }
    if let ip = IPAddress(String(rest)) {
      address = ip
      return
    }
    // IPv4 with a port.
    guard let colon = rest.lastIndex(of: ":"), let v4 = IPv4Address(String(rest[..<colon])),
      let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p)
    else { return nil }
    address = .v4(v4)
    port = p
  }
}
