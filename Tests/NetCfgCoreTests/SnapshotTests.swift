import Foundation
import Glibc
import Testing
@testable import NetCfgCore

/// Journal snapshots: every path comes back exactly (bytes, mode, owner, link, absence), and
/// a snapshot survives being written to disk and read back.
@Suite struct SnapshotTests {
  /// Only netplan files are tightened: resolved.conf goes back with its own 0644.
  @Test func restoredNetplanFilesAreNotReadableByOthers() throws {
    let root = try TemporaryRoot()
    let fs = FileSystem(root: root.path)
    try root.write("/etc/netplan/60-wifi.yaml", "network: {version: 2}\n", mode: 0o644)
    try root.write("/etc/systemd/resolved.conf", "[Resolve]\n", mode: 0o644)
    let paths = ["/etc/netplan/60-wifi.yaml", "/etc/systemd/resolved.conf"]
    let before = try Snapshot.capture(paths, fs)
    try fs.writeAtomically(paths[0], Array("network: {}\n".utf8), mode: 0o600)
    try fs.writeAtomically(paths[1], Array("[Resolve]\nDNS=192.0.2.53\n".utf8), mode: 0o644)
    try before.restore(fs)
    #expect(fs.mode(paths[0]) == 0o600)
    #expect(fs.mode(paths[1]) == 0o644)
    #expect(try fs.read(paths[0]) == Array("network: {version: 2}\n".utf8))
  }

  @Test func captureAndRestoreFilesLinksAndAbsence() throws {
    let root = try TemporaryRoot()
    let fs = FileSystem(root: root.path)
    try root.write("/etc/netplan/50-cloud-init.yaml", "network: {version: 2}\n# 中文\n", mode: 0o640)
    if getuid() == 0 { _ = chown(root.path + "/etc/netplan/50-cloud-init.yaml", 1234, 2345) }
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/resolv.conf", withDestinationPath: "../run/systemd/resolve/stub-resolv.conf")
    let paths = ["/etc/netplan/50-cloud-init.yaml", "/etc/resolv.conf", "/etc/netplan/90-netcfg.yaml"]
    let before = try Snapshot.capture(paths, fs, info: ["command": "netcfg set-ip ens33 192.0.2.1/24"])
    #expect(before.states[2].state == .absent)
    #expect(before.states[1].state == .symlink(target: "../run/systemd/resolve/stub-resolv.conf"))

    // Change all three: new bytes and mode, the link replaced by a file, a new file.
    try fs.writeAtomically("/etc/netplan/50-cloud-init.yaml", Array("network: {}\n".utf8), mode: 0o600, owner: (0, 0))
    try fs.writeAtomically("/etc/resolv.conf", Array("nameserver 192.0.2.53\n".utf8), mode: 0o644)
    try fs.writeAtomically("/etc/netplan/90-netcfg.yaml", Array("network: {version: 2}\n".utf8))
    #expect(try Snapshot.capture(paths, fs, info: before.info) != before)

    let store = "/var/lib/netcfg/generations/1"
    try before.save(to: store, fs)
    let loaded = try #require(try Snapshot.load(from: store, fs))
    #expect(loaded == before)
    #expect(fs.mode("/var/lib/netcfg/generations/1") == 0o700)

    try loaded.restore(fs)
    // Exactly as before, except that a netplan file comes back readable by its owner only
    // (issue 18.11: it may hold wifi secrets).
    var expected = before
    if case .file(let bytes, _, let uid, let gid) = before.states[0].state {
      expected.states[0].state = .file(bytes: bytes, mode: 0o600, owner: uid, group: gid)
    }
    #expect(try Snapshot.capture(paths, fs, info: before.info) == expected)
    #expect(fs.linkTarget("/etc/resolv.conf") == "../run/systemd/resolve/stub-resolv.conf")
    #expect(!fs.exists("/etc/netplan/90-netcfg.yaml"))
    #expect(fs.mode("/etc/netplan/50-cloud-init.yaml") == 0o600)
    if getuid() == 0 { #expect(fs.owner("/etc/netplan/50-cloud-init.yaml")! == (1234, 2345)) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path + "/etc/netplan") == ["50-cloud-init.yaml"])
  }

  @Test func anUnfinishedSnapshotReadsAsNone() throws {
    let root = try TemporaryRoot()
    let fs = FileSystem(root: root.path)
    try fs.createDirectories("/var/lib/netcfg/pending/content")
    #expect(try Snapshot.load(from: "/var/lib/netcfg/pending", fs) == nil)
  }

  @Test func pathsAndValuesWithTabsAndNewlinesRoundTrip() throws {
    let root = try TemporaryRoot()
    let fs = FileSystem(root: root.path)
    let odd = Snapshot(states: [("/etc/a\tb", .absent), ("/etc/l", .symlink(target: "x\\y\nz"))], info: ["command": "a\tb\nc"])
    try odd.save(to: "/s", fs)
    #expect(try Snapshot.load(from: "/s", fs) == odd)
  }
}
