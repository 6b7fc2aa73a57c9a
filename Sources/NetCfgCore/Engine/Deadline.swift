#if canImport(Glibc)
  import Glibc
#endif

/// When a `try` is rolled back unless confirmed. Kept twice: on the boot clock of the boot that
/// set it (CLOCK_BOOTTIME: never stepped by NTP or by hand, and counting a suspend), which
/// decides while that boot lasts; and as wall-clock time, which decides after a reboot (the
/// boot clock starts again from zero). A clock step right after a network change, when NTP
/// reaches its servers again, neither fires the rollback early nor delays it.
public struct Deadline: Sendable, Equatable {
  /// Seconds since the epoch.
  public var wall: Int
  /// CLOCK_BOOTTIME seconds of boot `bootID`.
  public var boot: Double?
  public var bootID: String?

  public init(wall: Int, boot: Double?, bootID: String?) {
    self.wall = wall
    self.boot = boot
    self.bootID = bootID
  }

  /// `seconds` from now.
  public static func after(_ seconds: Double) -> Deadline {
    Deadline(wall: Int((wallClockSeconds() + seconds).rounded(.up)), boot: bootClockSeconds() + seconds, bootID: currentBootID())
  }

  /// Seconds until the deadline (negative once passed): by the boot clock on the boot that
  /// set it, else by the wall clock.
  public var secondsLeft: Double {
    if let boot, let bootID, bootID == currentBootID() { return boot - bootClockSeconds() }
    return Double(wall) - wallClockSeconds()
  }

  public var passed: Bool { secondsLeft <= 0 }

  /// The journal's notes (`deadline`, `deadline-boottime`, `boot`).
  public init?(journal info: [String: String]) {
    guard let wall = info[JournalKey.deadline].flatMap(Double.init) else { return nil }
    self.init(wall: Int(wall), boot: info[JournalKey.deadlineBoot].flatMap(Double.init), bootID: info[JournalKey.boot])
  }

  /// Notes the deadline in `info` (the journal's `boot` must be the boot that set it).
  func note(in info: inout [String: String]) {
    info[JournalKey.deadline] = String(wall)
    info[JournalKey.deadlineBoot] = boot.map { String($0) }
    if let bootID { info[JournalKey.boot] = bootID }
  }
}

/// CLOCK_BOOTTIME in seconds: monotonic, suspend included.
func bootClockSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_BOOTTIME, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Where the `try` watchdog runs.
public enum WatchdogLaunch {
  /// The command that starts `EXECUTABLE watchdog --root ROOT` as a transient systemd service,
  /// when systemd runs the host (`fs` is the host's `/`) and netcfg runs as root: there, the
  /// processes of a login session are killed when it closes (logind's KillUserProcesses),
  /// in a new session or not. nil: start it in a new session (no systemd, or not root).
  public static func systemdRun(executable: String, root: String, fs: FileSystem, runner: ProcessRunner) -> [String]? {
    guard geteuid() == 0, fs.info("/run/systemd/system")?.isDirectory == true,
      let systemdRun = runner.locate("systemd-run")
    else { return nil }
    return [
      systemdRun, "--unit=netcfg-watchdog-\(getpid())", "--description=netcfg try: roll back unless confirmed",
      "--collect", "--quiet", "--", executable, "watchdog", "--root", root,
    ]
  }
}
