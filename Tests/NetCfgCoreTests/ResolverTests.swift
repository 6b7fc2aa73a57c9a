import Foundation
import Testing
@testable import NetCfgCore

/// resolved.conf with its drop-ins, DNS server syntax, resolv.conf modes and owners.
@Suite struct ResolverTests {
  func root(_ files: [String: String], links: [String: String] = [:]) throws -> TemporaryRoot {
    let root = try TemporaryRoot()
    for (path, text) in files { try root.write(path, text, mode: 0o644) }
    for (path, target) in links {
      try FileManager.default.createDirectory(atPath: root.path + "/etc", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: root.path + path, withDestinationPath: target)
    }
    return root
  }

  @Test func dropInsFollowSystemdPrecedence() throws {
    let r = try root([
      "/etc/systemd/resolved.conf": "[Resolve]\nDNS=192.0.2.1\nDNSSEC=yes\n",
      "/usr/lib/systemd/resolved.conf.d/50-vendor.conf": "[Resolve]\nDNS=192.0.2.2\nDNSSEC=no\n",
      "/run/systemd/resolved.conf.d/50-vendor.conf": "[Resolve]\nDNS=192.0.2.3\n",  // hides the /usr/lib one
      "/etc/systemd/resolved.conf.d/60-local.conf": "[Resolve]\nDNS=\nDNS=192.0.2.4 192.0.2.5\n",
      "/run/systemd/resolved.conf.d/40-early.conf": "[Resolve]\nDomains=example.com\n# DNS=ignored\n",
    ])
    let config = ResolvedConfig.load(FileSystem(root: r.path))
    #expect(config.files.map(\.path) == [
      "/etc/systemd/resolved.conf", "/run/systemd/resolved.conf.d/40-early.conf",
      "/run/systemd/resolved.conf.d/50-vendor.conf", "/etc/systemd/resolved.conf.d/60-local.conf",
    ])
    #expect(config.effective("DNS").values == ["192.0.2.4", "192.0.2.5"])  // the empty DNS= reset the list
    #expect(config.effective("DNS").location == SourceLocation(file: "/etc/systemd/resolved.conf.d/60-local.conf", line: 3, column: 1))
    #expect(config.effective("DNSSEC").values == ["yes"])
    #expect(config.effective("Domains").values == ["example.com"])
  }

  @Test func dnsServerSyntax() {
    for good in ["192.0.2.1", "192.0.2.1:5353", "192.0.2.1%eth0", "192.0.2.1#dns.example", "2001:db8::1",
      "[2001:db8::1]:853", "[2001:db8::1]:853%eth0#dns.example", "1.1.1.1:853#cloudflare-dns.com"]
    {
      #expect(DNSServer(good) != nil, "\(good)")
    }
    for bad in ["192.0.2", "192.0.2.1:99999", "dns.example", "[2001:db8::1", "192.0.2.1#", "2001:db8::1:853x"] {
      #expect(DNSServer(bad) == nil, "\(bad)")
    }
  }

  @Test func malformedServersAndUnknownKeysAreReported() throws {
    let r = try root(["/etc/systemd/resolved.conf": "[Resolve]\nDNS=192.0.2.1 not-an-ip\nDSN=1.1.1.1\n"])
    let found = ResolvedConfig.load(FileSystem(root: r.path)).diagnostics
    #expect(found.map(\.code) == ["resolved-bad-dns", "resolved-unknown-key"])
    #expect(found.map { $0.location?.line } == [2, 3])
  }

  @Test func editsKeepCommentsAndUncommentDefaults() throws {
    var ini = SystemdINI("# head\n[Resolve]\n#DNS=\n#FallbackDNS=\n\n[Other]\nX=1\n")
    try ini.set("DNS", "192.0.2.1", in: "Resolve")
    try ini.set("Domains", "example.com", in: "Resolve")
    try ini.set("Cache", "no", in: "New")
    #expect(ini.text == "# head\n[Resolve]\nDNS=192.0.2.1\n#FallbackDNS=\nDomains=example.com\n\n[Other]\nX=1\n\n[New]\nCache=no\n")
    try ini.set("DNS", "192.0.2.2", in: "Resolve")
    #expect(ini.assignments("DNS", in: "Resolve").map(\.value) == ["192.0.2.2"])
    // A value cannot end its line.
    #expect(throws: EditError.self) { try ini.set("DNS", "1.1.1.1\nDNSSEC=no", in: "Resolve") }
    #expect(ini.assignments("DNSSEC", in: "Resolve").isEmpty)
  }

  /// Issue 18.13: a file with CRLF line ends reads as lines (its DNS= seen), and an edit
  /// changes one line, keeps CRLF, and adds no second [Resolve].
  @Test func crlfFilesAreReadAndEditedAsLines() throws {
    let text = "# written on Windows\r\n[Resolve]\r\nDNS=192.0.2.1\r\n#Domains=\r\n"
    var ini = SystemdINI(text)
    #expect(ini.text == text)
    #expect(ini.assignments("DNS", in: "Resolve").map(\.value) == ["192.0.2.1"])
    try ini.set("DNS", "192.0.2.2", in: "Resolve")
    try ini.set("Domains", "example.com", in: "Resolve")
    try ini.set("Cache", "no", in: "New")
    #expect(ini.text == "# written on Windows\r\n[Resolve]\r\nDNS=192.0.2.2\r\nDomains=example.com\r\n\r\n[New]\r\nCache=no\r\n")
    let r = try root(["/etc/systemd/resolved.conf": text])
    let config = ResolvedConfig.load(FileSystem(root: r.path))
    #expect(config.diagnostics.isEmpty, "\(config.diagnostics)")
    #expect(config.files.first?.ini.assignments("DNS", in: "Resolve").map(\.value) == ["192.0.2.1"])
  }

  @Test func resolvConfModesAndOwners() throws {
    let cases: [(String, [String: String], [String: String], ResolvConf.Mode, String)] = [
      ("stub", [:], ["/etc/resolv.conf": "../run/systemd/resolve/stub-resolv.conf"], .stub, "systemd-resolved"),
      ("uplink", ["/run/systemd/resolve/resolv.conf": "nameserver 192.0.2.1\n"],
        ["/etc/resolv.conf": "/run/systemd/resolve/resolv.conf"], .uplink, "systemd-resolved"),
      ("static", ["/etc/resolv.conf": "# Generated by NetworkManager\nnameserver 192.0.2.1\n"], [:], .static, "NetworkManager"),
      ("resolvconf", ["/run/resolvconf/resolv.conf": "nameserver 192.0.2.1\n"],
        ["/etc/resolv.conf": "../run/resolvconf/resolv.conf"], .foreign, "resolvconf"),
      ("dangling", [:], ["/etc/resolv.conf": "../run/nowhere/resolv.conf"], .missing, "nobody"),
      ("absent", ["/etc/hostname": "x\n"], [:], .missing, "nobody"),
    ]
    for (name, files, links, mode, owner) in cases {
      let r = try root(files, links: links)
      let conf = ResolvConf.load(FileSystem(root: r.path))
      #expect(conf.mode == mode, "\(name)")
      #expect(conf.owner == owner, "\(name)")
    }
    let many = try root(["/etc/resolv.conf": "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\nsearch a.example b.example\noptions edns0\n"])
    let conf = ResolvConf.load(FileSystem(root: many.path))
    #expect(conf.nameservers.count == 4 && conf.search == ["a.example", "b.example"] && conf.options == ["edns0"])
  }
}
