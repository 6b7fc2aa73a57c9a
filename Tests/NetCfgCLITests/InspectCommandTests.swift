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
