import Foundation
import Testing

/// Issue 19: netcfg checks by the rules of the netplan in use: the root's own (its dpkg
/// database), else the host's; `--netplan-version` chooses; validate and show say which.
@Suite struct NetplanVersionCommandTests {
  static let dummy = "network:\n  version: 2\n  dummy-devices:\n    dm0:\n      addresses: [192.0.2.7/24]\n"

  static func status(_ package: String, _ version: String, _ state: String = "install ok installed") -> String {
    """
    Package: libyaml-0-2
    Status: install ok installed
    Version: 0.2.5-1

    Package: \(package)
    Status: \(state)
    Priority: optional
    Version: \(version)
    Description: YAML network configuration abstraction for various backends

    """
  }

  static func rules(_ run: CLI.Result) throws -> [String: Any] {
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    return json?["rules"] as? [String: Any] ?? [:]
  }

  @Test func theRootsOwnNetplanDecides() throws {
    let noble = try Root(["/etc/netplan/10-dummy.yaml": Self.dummy, "/var/lib/dpkg/status": Self.status("netplan.io", "1.1.2-2~ubuntu24.04.1")])
    let accepted = try CLI.run(["validate", "--root", noble.path, "--json"])
    #expect(accepted.status == 0, "\(accepted.stdout)")
    #expect(try Self.rules(accepted)["netplan-version"] as? String == "1.1")
    #expect(try Self.rules(accepted)["package"] as? String == "netplan.io 1.1.2-2~ubuntu24.04.1")

    let bookworm = try Root(["/etc/netplan/10-dummy.yaml": Self.dummy, "/var/lib/dpkg/status": Self.status("netplan.io", "0.106-2+deb12u1")])
    let refused = try CLI.run(["validate", "--root", bookworm.path])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("/etc/netplan/10-dummy.yaml:3:3: error: unknown key 'dummy-devices'"), "\(refused.stderr)")
    #expect(refused.stdout.contains("(netplan 0.106 rules)"))
    // --netplan-version chooses.
    let chosen = try CLI.run(["validate", "--root", bookworm.path, "--netplan-version", "1.1", "--json"])
    #expect(chosen.status == 0)
    #expect(try Self.rules(chosen)["source"] as? String == "--netplan-version")
    let shown = try CLI.run(["show", "--root", noble.path, "--json"])
    #expect(try Self.rules(shown)["netplan-version"] as? String == "1.1")
  }

  /// A package removed but not purged does not count; libnetplan names the version when
  /// netplan.io is not there.
  @Test func onlyInstalledPackagesCount() throws {
    let removed = Self.status("netplan.io", "1.1.2-2", "deinstall ok config-files") + "\n" + Self.status("libnetplan0", "0.106-2+deb12u1")
    let root = try Root(["/etc/netplan/10-dummy.yaml": Self.dummy, "/var/lib/dpkg/status": removed])
    let run = try CLI.run(["validate", "--root", root.path, "--json"])
    #expect(try Self.rules(run)["package"] as? String == "libnetplan0 0.106-2+deb12u1")
    #expect(run.status == 65)
  }

  /// An edit is checked by the same rules: on a 0.106 root, writing 1.1-only settings is
  /// refused; on a 1.1 root it is written.
  @Test func editsFollowTheRules() throws {
    let vm = "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n"
    for (version, accepted) in [("0.106-2+deb12u1", false), ("1.1.2-2", true)] {
      let root = try Root(["/etc/netplan/50-cloud-init.yaml": vm, "/var/lib/dpkg/status": Self.status("netplan.io", version)])
      let run = try CLI.run(["set", "ethernets.eth0.macaddress=permanent", "--root", root.path])
      #expect((run.status == 0) == accepted, "\(version): \(run.stderr)")
      #expect(try root.read("/etc/netplan/50-cloud-init.yaml").contains("permanent") == accepted)
    }
  }
}
