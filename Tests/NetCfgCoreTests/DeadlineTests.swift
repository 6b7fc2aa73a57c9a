import Foundation
import Glibc
import Testing
@testable import NetCfgCore

/// Issue 18.9: a `try`'s deadline follows the boot clock while its boot lasts, so a step of
/// the wall clock (NTP catching up right after the network changed) neither fires the
/// rollback early nor delays it; after a reboot the wall clock decides. The clock itself is
/// not stepped here (that would change the machine's time): the journal is written as it
/// reads after a step.
@Suite struct DeadlineTests {
  let boot = currentBootID()

  @Test func theBootClockDecidesOnItsOwnBoot() {
    // The wall clock jumped forward an hour: by the wall the deadline passed long ago.
    let early = Deadline(wall: Int(wallClockSeconds()) - 3600, boot: bootClockSeconds() + 60, bootID: boot)
    #expect(!early.passed)
    #expect(abs(early.secondsLeft - 60) < 5)
    // The wall clock jumped back an hour: by the wall it is an hour away.
    let late = Deadline(wall: Int(wallClockSeconds()) + 3600, boot: bootClockSeconds() - 1, bootID: boot)
    #expect(late.passed)
  }

  @Test func theWallClockDecidesAfterAReboot() {
    let other = Deadline(wall: Int(wallClockSeconds()) - 5, boot: bootClockSeconds() + 600, bootID: "another-boot")
    #expect(other.passed)
    let older = Deadline(wall: Int(wallClockSeconds()) + 600, boot: nil, bootID: boot)  // an older netcfg's journal
    #expect(!older.passed)
  }

  @Test func aJournalReadsBackTheSameDeadline() {
    var info: [String: String] = [:]
    let deadline = Deadline.after(120)
    deadline.note(in: &info)
    #expect(Deadline(journal: info) == deadline)
    #expect(abs((Deadline(journal: info)?.secondsLeft ?? 0) - 120) < 5)
  }

  /// Through the journal on disk: recovery does not roll back a `try` whose wall-clock
  /// deadline passed only because the clock was stepped forward, and does roll back one whose
  /// boot-clock deadline passed while the wall clock was stepped back.
  @Test func recoveryFollowsTheBootClock() throws {
    for (bootOffset, expected) in [(60.0, false), (-1.0, true)] {
      let root = try TemporaryRoot()
      try root.write("/etc/netplan/01.yaml", "network: {version: 2}\n")
      let fs = FileSystem(root: root.path)
      var journal = try Snapshot.capture(["/etc/netplan/01.yaml"], fs, info: ["command": "netcfg try", "state": "awaiting-confirmation"])
      Deadline(wall: Int(wallClockSeconds()) - Int(bootOffset * 60), boot: bootClockSeconds() + bootOffset, bootID: boot)
        .note(in: &journal.info)
      try StateStore(fs).savePending(journal)
      #expect(Recovery(fs: fs).needsRecovery() == expected, "boot clock offset \(bootOffset)")
    }
  }
}

/// Issue 18.9: the watchdog runs as a transient systemd service where systemd runs the host.
/// systemd is not PID 1 on the test machines, so only the choice is tested, on roots with and
/// without /run/systemd/system.
@Suite struct WatchdogLaunchTests {
  @Test(.enabled(if: geteuid() == 0)) func aTransientUnitWhereSystemdRuns() throws {
    let root = try TemporaryRoot()
    let runner = ProcessRunner()
    #expect(WatchdogLaunch.systemdRun(executable: "/usr/sbin/netcfg", root: "/", fs: FileSystem(root: root.path), runner: runner) == nil)
    try FileManager.default.createDirectory(atPath: root.path + "/run/systemd/system", withIntermediateDirectories: true)
    let command = WatchdogLaunch.systemdRun(executable: "/usr/sbin/netcfg", root: "/", fs: FileSystem(root: root.path), runner: runner)
    if runner.locate("systemd-run") != nil {
      #expect(command?.first?.hasSuffix("/systemd-run") == true)
      #expect(command?.suffix(5) == ["--", "/usr/sbin/netcfg", "watchdog", "--root", "/"])
      #expect(command?.contains("--collect") == true)
    } else {
      #expect(command == nil)
    }
  }
}
