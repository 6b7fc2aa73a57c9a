import Foundation
import Testing

/// show, get, explain and validate through the real binary, on scratch roots.
@Suite struct InspectCommandTests {
  static let layered: [String: String] = [
    "/etc/netplan/50-cloud-init.yaml": """
      network:
        version: 2
        ethernets:
          ens33:
            addresses: [192.0.2.20/24]
            routes: [{to: default, via: 192.0.2.1}]
            mtu: 1500
      """,
    "/run/netplan/90-override.yaml": "network:\n  ethernets:\n    ens33:\n      mtu: 9000\n      nameservers: {addresses: [192.0.2.53]}\n",
  ]

  @Test func versionAndHelp() throws {
    let version = try CLI.run(["--version"])
    #expect(version.status == 0 && version.stdout.hasPrefix("0."))
    for sub in ["show", "get", "explain", "validate", "yaml-edit"] {
      let help = try CLI.run([sub, "--help"])
      #expect(help.status == 0 && help.stdout.contains("USAGE: netcfg \(sub)"), "\(sub)")
      #expect(help.stdout.contains("--root") || sub == "yaml-edit")
    }
  }

  @Test func getPrintsMergedValuesAndFailsOnMissingKeys() throws {
    let root = try Root(Self.layered)
    let mtu = try CLI.run(["get", "--root", root.path, "ethernets.ens33.mtu"])
    #expect(mtu.status == 0 && mtu.stdout == "9000\n")
    let full = try CLI.run(["get", "--root", root.path, "network.ethernets.ens33.addresses"])
    #expect(full.stdout == "- 192.0.2.20/24\n")
    let missing = try CLI.run(["get", "--root", root.path, "ethernets.ens33.dhcp4"])
    #expect(missing.status == 1 && missing.stderr.contains("not set"))
    let bad = try CLI.run(["get", "--root", root.path, "ethernets..x"])
    #expect(bad.status == 64)
  }

  @Test func showJSONReportsValuesWithTheirFiles() throws {
    let root = try Root(Self.layered)
    let result = try CLI.run(["show", "--root", root.path, "--json"])
    #expect(result.status == 0)
    let device = try #require((try json(result.stdout)["devices"] as? [[String: Any]])?.first)
    #expect(device["id"] as? String == "ens33")
    let mtu = try #require(device["mtu"] as? [String: Any])
    #expect(mtu["value"] as? String == "9000")
    #expect(mtu["source"] as? String == "/run/netplan/90-override.yaml:4:12")
    // The value it overrides, with its place.
    let overrides = try #require(mtu["overrides"] as? [[String: Any]])
    #expect(overrides.map { $0["value"] as? String } == ["1500"])
    #expect(overrides.map { $0["source"] as? String } == ["/etc/netplan/50-cloud-init.yaml:7:12"])
    let gateway = try #require((device["gateways"] as? [[String: Any]])?.first)
    #expect(gateway["via"] as? String == "192.0.2.1")
    #expect((gateway["source"] as? String)?.hasPrefix("/etc/netplan/50-cloud-init.yaml:6:") == true)
    let table = try CLI.run(["show", "--root", root.path, "ens33"])
    #expect(table.stdout.contains("mtu") && table.stdout.contains("/run/netplan/90-override.yaml:4:12"))
    let none = try CLI.run(["show", "--root", root.path, "eth9"])
    #expect(none.status == 1)
  }

  /// Every kind of row of the human table, laid out: values padded to one column, origins
  /// after them, overrides with the value and place they replace, a row without an origin
  /// ending at its value, a non-ASCII value counted by characters, a type's `renderer:`
  /// for the definitions after it in its file, and a definition's finding under it.
  @Test func showLaysOutEveryKindOfRow() throws {
    let root = try Root([
      "/etc/netplan/10-a.yaml": """
        network:
          version: 2
          renderer: NetworkManager
          ethernets:
            renderer: networkd
            e0:
              match: {macaddress: "aa:bb:cc:dd:ee:ff", driver: "ixgbe"}
              set-name: lan0
              dhcp4: yes
              mtu: 1500
              addresses: [192.0.2.5/24, "2001:db8::5/64"]
              routes:
                - to: default
                  via: 192.0.2.1
                  metric: 100
                - to: 198.51.100.0/24
                  via: 192.0.2.254
                  table: 7
              gateway6: 2001:db8::1
              nameservers: {addresses: [192.0.2.53], search: [ex.test, "très.example"]}
            e2:
              addresses: [203.0.113.9/24]
              routes: [{to: default, via: 198.51.100.1}]

        """,
      "/run/netplan/90-b.yaml": """
        network:
          ethernets:
            e0:
              dhcp4: no
              mtu: 9000
              set-name: lan1
            e1:
              dhcp6: true
              addresses: [203.0.113.7/24]

        """,
    ])
    let result = try CLI.run(["show", "--root", root.path])
    #expect(result.status == 0)
    #expect(result.stdout == """
      e0 (ethernets)
        set-name     lan1  (overrides lan0 from /etc/netplan/10-a.yaml:8:17)  /run/netplan/90-b.yaml:6:17
        match        driver=ixgbe macaddress=aa:bb:cc:dd:ee:ff
        addresses    192.0.2.5/24                          /etc/netplan/10-a.yaml:11:19
                     2001:db8::5/64                        /etc/netplan/10-a.yaml:11:33
        dhcp4        no  (overrides yes from /etc/netplan/10-a.yaml:9:14)  /run/netplan/90-b.yaml:4:14
        gateway      192.0.2.1 metric 100                  /etc/netplan/10-a.yaml:13:11
                     2001:db8::1                           /etc/netplan/10-a.yaml:19:17
        routes       198.51.100.0/24 via 192.0.2.254 table 7  /etc/netplan/10-a.yaml:16:11
        nameservers  192.0.2.53                            /etc/netplan/10-a.yaml:20:33
        search       ex.test                               /etc/netplan/10-a.yaml:20:55
                     très.example                          /etc/netplan/10-a.yaml:20:64
        mtu          9000  (overrides 1500 from /etc/netplan/10-a.yaml:10:12)  /run/netplan/90-b.yaml:5:12
        renderer     networkd                              /etc/netplan/10-a.yaml:5:15

      e2 (ethernets)
        addresses    203.0.113.9/24        /etc/netplan/10-a.yaml:22:19
        gateway      198.51.100.1          /etc/netplan/10-a.yaml:23:16
        renderer     networkd              /etc/netplan/10-a.yaml:5:15
        warning: gateway 198.51.100.1 is not on any subnet of the device's addresses  /etc/netplan/10-a.yaml:23:16

      e1 (ethernets)
        addresses    203.0.113.7/24        /run/netplan/90-b.yaml:9:19
        dhcp6        yes                   /run/netplan/90-b.yaml:8:14
        renderer     NetworkManager        /etc/netplan/10-a.yaml:3:13

      """)
    #expect(result.stderr.contains("4 diagnostics (0 errors)"))
  }

  /// Hundreds of definitions (their tables are made in batches on two threads): each table
  /// printed once, in the order of the definitions, the same as `show` of that one alone.
  @Test func showPrintsManyDefinitionsInOrder() throws {
    let count = 300
    var text = "network:\n  version: 2\n  ethernets:\n"
    for i in 0..<count {
      text += "    eth\(i):\n      addresses: [10.\(i / 256).\(i % 256).2/16]\n      dhcp4: \(i % 2 == 0 ? "no" : "yes")\n"
    }
    let root = try Root(["/etc/netplan/50-many.yaml": text])
    let all = try CLI.run(["show", "--root", root.path])
    #expect(all.status == 0)
    let tables = all.stdout.components(separatedBy: "\n\n")
    #expect(tables.count == count)
    #expect(tables.map { $0.prefix { $0 != " " } } == (0..<count).map { "eth\($0)"[...] })
    for i in [0, 127, 128, 255, 256, count - 1] {
      let one = try CLI.run(["show", "--root", root.path, "eth\(i)"])
      #expect(tables[i] + (i == count - 1 ? "" : "\n") == one.stdout, "eth\(i)")
    }
  }

  /// A configuration large enough for its checks to run on two threads and its tables to be
  /// made in batches: the warning about a definition under its table, and the count of all
  /// findings, the grammar's errors included, the same as `validate` gives.
  @Test func showOnALargeConfigurationCountsEveryFinding() throws {
    var text = "network:\n  version: 2\n  ethernets:\n"
    for i in 0..<1500 {
      text += "    eth\(i):\n      addresses: [10.\(i / 250).\(i % 250).2/24]\n"
      if i == 7 { text += "      mtu: lots\n" }  // a grammar error
      if i == 9 { text += "      routes: [{to: default, via: 198.51.100.1}]\n" }  // off its subnet
    }
    #expect(text.utf8.count >= 64 << 10)  // NetplanConfiguration.parallelThreshold
    let root = try Root(["/etc/netplan/50-big.yaml": text])
    let show = try CLI.run(["show", "--root", root.path])
    #expect(show.status == 0)
    let validate = try json(try CLI.run(["validate", "--root", root.path, "--json"]).stdout)
    let diagnostics = try #require(validate["diagnostics"] as? [[String: Any]])
    let errors = diagnostics.filter { $0["severity"] as? String == "error" }.count
    #expect(errors == 1)
    #expect(diagnostics.count >= 2)
    #expect(show.stderr.contains("\(diagnostics.count) diagnostics (\(errors) error)"))
    let table = try #require(show.stdout.components(separatedBy: "\n\n").first { $0.hasPrefix("eth9 ") })
    #expect(table.contains("warning: gateway 198.51.100.1 is not on any subnet of the device's addresses"))
  }

  @Test func explainMarksTheValueInForceAndTheOverriddenOne() throws {
    let root = try Root(Self.layered)
    let result = try CLI.run(["explain", "--root", root.path, "--json", "ethernets.ens33.mtu"])
    #expect(result.status == 0)
    let object = try json(result.stdout)
    #expect(object["value"] as? String == "9000")
    let sources = try #require(object["sources"] as? [[String: Any]])
    #expect(sources.map { $0["status"] as? String } == ["overridden", "in-force"])
    #expect(sources.map { $0["source"] as? String } == ["/etc/netplan/50-cloud-init.yaml:7:7", "/run/netplan/90-override.yaml:4:7"])
    let device = try CLI.run(["explain", "--root", root.path, "ens33"])
    #expect(device.stdout.contains("overridden by /run/netplan/90-override.yaml:4:7"))
  }

  @Test func validateExitsInvalidWithLocatedErrors() throws {
    let root = try Root(["/etc/netplan/a.yaml": "network:\n  ethernets:\n    eth0:\n\taddresses: []\n"])
    let result = try CLI.run(["validate", "--root", root.path])
    #expect(result.status == 65)
    #expect(result.stderr.contains("/etc/netplan/a.yaml:4:1: error: tabs are not allowed for indentation"))
    #expect(result.stderr.contains("\n\taddresses: []\n^"))
    let empty = try Root([:])
    #expect(try CLI.run(["validate", "--root", empty.path]).status == 0)
  }

  @Test func validateNetplanShowsBothVerdicts() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/netplan") else {
      Issue.record("netplan is not installed (make test installs it)")
      return
    }
    let ok = try Root(Self.layered)
    let accepted = try CLI.run(["validate", "--root", ok.path, "--netplan", "--json"])
    #expect(accepted.status == 0)
    let verdict = try #require(try json(accepted.stdout)["netplan"] as? [String: Any])
    #expect(verdict["accepted"] as? Bool == true)
    let bad = try Root(["/etc/netplan/a.yaml": "network:\n  version: 2\n  ethernets:\n    eth0:\n      addresses: [192.0.2.1]\n"])
    let rejected = try CLI.run(["validate", "--root", bad.path, "--netplan"])
    #expect(rejected.status == 65)
    #expect(rejected.stdout.contains("netplan generate: rejected"))
    #expect(rejected.stdout.contains("/etc/netplan/a.yaml:5:18"))
  }
}
