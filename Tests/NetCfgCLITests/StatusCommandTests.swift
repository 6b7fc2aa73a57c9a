import Foundation
import Testing

/// Issue 20: `status` through the binary, under --root (the reasons; the live comparison is
/// tested on recorded state and in Tests/e2e/status.sh).
@Suite struct StatusCommandTests {
  static let vm = "network:\n  version: 2\n  ethernets:\n    ens33:\n      dhcp4: true\n"

  static func reasons(_ run: CLI.Result) throws -> [String] {
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    return (json?["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
  }

  @Test func reasonsAndCheckUnderARoot() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm, "/etc/cloud/cloud.cfg": ""])
    let first = try CLI.run(["status", "--root", root.path, "--json", "--check"])
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    #expect(try Self.reasons(first) == ["cloud-init", "never-applied"])
    #expect(try CLI.run(["apply", "--root", root.path, "-q"]).status == 0)
    #expect(try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--root", root.path, "-q"]).status == 0)
    let edited = try CLI.run(["status", "--root", root.path, "--check"])
    #expect(edited.status == 1)
    #expect(edited.stdout.contains("/etc/netplan/50-cloud-init.yaml changed since generation 0 was applied"), "\(edited.stdout)")
    let disabled = try CLI.run(["cloud-init", "disable-network", "--root", root.path, "-q"])
    #expect(disabled.status == 0, "\(disabled.stderr)")
    #expect(try !Self.reasons(try CLI.run(["status", "--root", root.path, "--json"])).contains("cloud-init"))
  }

  @Test func anUnknownInterfaceIsAUsageError() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(["status", "eth7", "--root", root.path])
    #expect(run.status == 64)
    #expect(run.stderr.contains("no netplan definition for 'eth7'"))
  }
}
