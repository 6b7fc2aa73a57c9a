import Foundation
import Glibc
import Testing

/// End-to-end tests with the real daemons inside network namespaces the test creates (root
/// only: namespaces and mounts need it). Each is a script under Tests/e2e.
// Serialized: the sandboxes share the host's /etc directory, which netcfg locks against
// concurrent changes (one host, one change at a time).
@Suite(.serialized, .enabled(if: getuid() == 0, "end-to-end tests need root"))
struct EndToEndTests {
  /// `netplan`: the netplan whose `apply` the sandbox runs (0.106, Debian's; 1.1, 1.1.2 built
  /// from Tests/Fixtures/netplan-1.1).
  func run(_ script: String, seconds: Int = 120, netplan: String = "0.106") throws -> CLI.Result {
    let process = Process()
    process.environment = ProcessInfo.processInfo.environment.merging(["E2E_NETPLAN": netplan]) { _, new in new }
    // A hung daemon must not hang the suite: the script gets two minutes (or `seconds`).
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = ["\(seconds)", "/bin/bash", CLI.repository.appendingPathComponent("Tests/e2e/" + script).path, CLI.binary]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    // The counts, in `make test`'s output.
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.contains(" passed, ") { print(line) }
    return CLI.Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
  }

  /// systemd-resolved reads the drop-in `dns set --global` wrote and answers through 127.0.0.53
  /// with the configured server.
  @Test func resolvedServesTheDNSNetcfgConfigured() throws {
    let result = try run("resolved-dns.sh")
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("resolved-dns: 5 passed, 0 failed"), "\(result.stdout)")
  }

  /// DNS method 1 and the way back: a static resolv.conf stops and disables resolved and its
  /// servers are asked directly; a dead server is rolled back (the stub link back, resolved
  /// enabled and running); `dns reset` returns to resolved, verified.
  @Test func aStaticResolvConfStopsResolvedAndResetBringsItBack() throws {
    let result = try run("dns-static.sh")
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("dns-static: 17 passed, 0 failed"), "\(result.stdout)")
  }

  /// The real netplan apply, networkd and resolved: a bad gateway and a broken DNS server are
  /// rolled back (exit 3, files as before, the old route and DNS back), good changes are kept
  /// as generations, and `rollback --to 0` restores the first one, verified.
  /// With netplan 0.106's and 1.1.2's `netplan apply` each.
  @Test(arguments: ["0.106", "1.1"]) func applyVerifiesAndRollsBack(_ netplan: String) throws {
    let result = try run("apply-rollback.sh", netplan: netplan)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("apply-rollback (netplan \(netplan)): 42 passed, 0 failed"), "\(result.stdout)")
  }

  /// Networks as users have them: a gateway ignoring ping is known by ARP/NDP (IPv4, IPv6,
  /// on-link), a dead one is still refused and says what was tried, the seed's DHCP-to-fixed
  /// path is kept and a wrong gateway rolls back to DHCP, and a `try` killed while verifying
  /// is rolled back by the watchdog it armed before writing. With both netplan versions.
  @Test(arguments: ["0.106", "1.1"]) func gatewaysThatIgnorePingAndTheDHCPPath(_ netplan: String) throws {
    let result = try run("gateway-liveness.sh", seconds: 240, netplan: netplan)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("gateway-liveness (netplan \(netplan)): 30 passed, 0 failed"), "\(result.stdout)")
  }

  /// `netcfg status` on the live sandbox: a clean state agrees (the probes find the gateway
  /// and the stub answering; networkd manages the link; resolved's servers carry their netplan
  /// lines); an address added by hand, a resolved.conf drop-in not read, resolv.conf replaced
  /// by a file, an edit not applied, a DHCP lease where a fixed address is configured and
  /// networkd stopped are named, with the reason, and make --check exit 1; a cloud-init file
  /// is named.
  @Test func statusNamesWhatDiffersAndWhy() throws {
    let result = try run("status.sh", seconds: 240)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("status: 29 passed, 0 failed"), "\(result.stdout)")
  }

  /// The networkd scenarios on the real NetworkManager (`renderer: NetworkManager`): first
  /// apply, a bad gateway rolled back with the connection back, a good change, a killed try
  /// rolled back, a confirmed try kept, DNS verified and a broken server rolled back,
  /// rollback --to 0, a gateway ignoring ping kept, dns status and status naming
  /// NetworkManager, and a NetworkManager-written 90-NM file edited with set-ip --apply.
  @Test func networkManagerAppliesVerifiesAndRollsBack() throws {
    let result = try run("nm-apply.sh", seconds: 300)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("nm-apply: 40 passed, 0 failed"), "\(result.stdout)")
  }

  /// A host with both renderers: each device verified through its own daemon, both rolled
  /// back together.
  @Test func bothRenderersOnOneHost() throws {
    let result = try run("nm-mixed.sh")
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("nm-mixed: 10 passed, 0 failed"), "\(result.stdout)")
  }

  /// The crash matrix of the live steps: killed while the backend runs, during verification,
  /// during the rollback, before the `try` wait and in the watchdog's rollback; `recover`
  /// leaves the files all before or all after, the history and veth0 agreeing with them.
  @Test func crashAtEveryLiveStepIsRecovered() throws {
    let result = try run("crash-matrix.sh", seconds: 600)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains(", 0 failed"), "\(result.stdout)")
  }
}
