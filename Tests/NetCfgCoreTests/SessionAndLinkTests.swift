import Glibc
import Testing
@testable import NetCfgCore

/// What verification and `try` learn from the configuration: the SSH session's address taken
/// away, links that forward late.
@Suite struct SessionAndLinkTests {
  func config(_ yaml: String) -> NetplanConfiguration {
    let source = NetplanSourceFile(path: "/etc/netplan/a.yaml", directory: .etc, name: "a.yaml", bytes: Array(yaml.utf8), info: nil)
    return NetplanConfiguration.load(NetplanHierarchy.arranging([source]))
  }

  @Test func aSessionOnAnAddressTheChangeRemovesIsDropped() throws {
    let session = try #require(SSHSession(connection: "198.51.100.7 51234 192.0.2.10 22"))
    #expect(session.local == "192.0.2.10" && session.client == "198.51.100.7")
    let before = config("network:\n  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24, \"2001:db8::10/64\"]\n")
    let after = config("network:\n  ethernets:\n    eth0:\n      addresses: [192.0.2.11/24, \"2001:db8::10/64\"]\n")
    let drop = try #require(session.dropped(before: before, after: after))
    #expect(drop.device == "eth0" && drop.addresses == ["192.0.2.11"])
    #expect(session.warning(device: drop.device, addresses: drop.addresses, seconds: 120).contains("ssh 192.0.2.11 netcfg confirm"))
    #expect(session.dropped(before: before, after: before) == nil)
    // The address moves to another device: the session may survive; not reported.
    let moved = config("network:\n  ethernets:\n    eth1:\n      addresses: [192.0.2.10/24]\n")
    #expect(session.dropped(before: before, after: moved) == nil)
    #expect(SSHSession(connection: nil) == nil && SSHSession(connection: "garbage") == nil)
  }

  @Test func bridgesWithSTPAndLACPBondsGetTimeToForward() {
    let yaml = """
      network:
        ethernets: {eno1: {}, eno2: {}, eno3: {}}
        bridges:
          br0: {interfaces: [eno1], addresses: [192.0.2.10/24]}
          br1: {interfaces: [eno3], parameters: {stp: false}}
          br2: {parameters: {forward-delay: 4}}
        bonds:
          bond0: {interfaces: [eno2], parameters: {mode: 802.3ad}}
      """
    let c = config(yaml)
    #expect(Verifier.slowLinks(c, changed: ["br0"]).map(\.seconds) == [32])
    #expect(Verifier.slowLinks(c, changed: ["eno1"]).map(\.reason) == ["bridge br0 uses STP"])
    #expect(Verifier.slowLinks(c, changed: ["br1", "eno3"]).isEmpty)
    #expect(Verifier.slowLinks(c, changed: ["br2"]).map(\.seconds) == [10])
    #expect(Verifier.slowLinks(c, changed: ["eno2"]).map(\.reason) == ["bond bond0 negotiates LACP"])
  }
}

/// Issue 18.6: where helper programs come from.
@Suite struct ProcessRunnerTests {
  /// As root, only the system's directories, whatever PATH says, and a clean environment.
  @Test(.enabled(if: geteuid() == 0)) func rootSearchesTheSystemDirectoriesOnly() throws {
    let runner = ProcessRunner()
    #expect(runner.searchPath == ProcessRunner.systemPath)
    #expect(runner.environment == ["PATH=" + ProcessRunner.systemPath.joined(separator: ":"), "LANG=C.UTF-8"])
    let env = try runner.run("env", [])
    #expect(env.stdoutText == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C.UTF-8\n")
  }

  /// A program that is not there is named with the directories searched.
  @Test func aMissingProgramSaysWhereItWasLookedFor() throws {
    var runner = ProcessRunner()
    runner.searchPath = ["/nonexistent/a", "/nonexistent/b"]
    #expect(runner.locate("netplan") == nil)
    #expect(runner.locate("./netplan") == nil)
    do {
      _ = try runner.run("netplan", ["apply"])
      Issue.record("ran a program that is not there")
    } catch {
      #expect(error.description.hasPrefix("cannot run netplan: not found in /nonexistent/a:/nonexistent/b"))
    }
  }
}
