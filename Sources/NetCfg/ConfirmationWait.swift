import NetCfgCore

#if canImport(Glibc)
  import Glibc
#endif

nonisolated(unsafe) private var interrupted: sig_atomic_t = 0

/// After `try` applied and verified (its watchdog armed before the first write): wait for
/// Enter, `netcfg confirm` elsewhere, Ctrl-C (reject) or the deadline.
struct ConfirmationWait {
  let fs: FileSystem
  let console: Console

  /// `dropping`: what to do when this SSH session loses its address with the change.
  func run(deadline: Deadline, dropping: SSHSession? = nil, newAddresses: [String] = []) throws {
    let recovery = Recovery(fs: fs)
    let left = max(0, Int(deadline.secondsLeft.rounded()))
    let tty = isatty(0) == 1
    if let dropping {
      let to = newAddresses.first.map { "`ssh \($0) netcfg confirm`" } ?? "`netcfg confirm` from a session on another address"
      console.out("applied and verified. This session's address \(dropping.local) is gone: keep the change with \(to) within \(left) s; otherwise it is rolled back.")
    } else {
      console.out("applied and verified. Keep it: \(tty ? "press Enter here, or " : "")run `netcfg confirm` within \(left) s; otherwise it is rolled back.")
    }
    fflush(nil)  // the prompt must show now, also through a pipe or into a log file
    signal(SIGINT) { _ in interrupted = 1 }
    while true {
      if interrupted != 0 {
        try rollBack(recovery, "rejected (Ctrl-C)")
      }
      if tty {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        if poll(&fds, 1, 200) > 0 {
          _ = readLine()
          do {
            console.out("confirmed: \(try recovery.confirm().summary)")
            return
          } catch {}
        }
      } else {
        usleep(200_000)
      }
      switch recovery.pending() {
      case .awaitingConfirmation(_, let until):
        // The watchdog acts at the deadline; should it be gone, this process does.
        if until.secondsLeft <= -3 {
          try rollBack(recovery, "not confirmed in time")
        }
      case .none, .interrupted:
        let store = StateStore(fs)
        if let last = store.generationNumbers().last, let g = try? store.generation(last), g.info["outcome"] == "confirmed",
          let time = g.info["time"].flatMap(Int.init), time >= deadline.wall - 86_400
        {
          console.out("confirmed: generation \(last)")
          return
        }
        console.err("netcfg: not confirmed in time: rolled back")
        throw ExitCode(3)
      }
    }
  }

  /// Rolls back now; exit 3 when the previous state is back and verified, 4 when it is not.
  func rollBack(_ recovery: Recovery, _ why: String) throws -> Never {
    let recovered = try? recovery.rollBack()
    if let recovered, !recovered.ok {
      console.err("netcfg: \(why): RECOVERY NOT VERIFIED — " + recovered.summary)
      throw ExitCode(4)
    }
    console.err("netcfg: \(why): rolled back" + (recovered.map { "; " + $0.summary } ?? ""))
    throw ExitCode(3)
  }

  /// Starts `netcfg watchdog` where the end of this login session cannot stop it: a transient
  /// systemd service where systemd runs, else its own session, detached from this terminal
  /// and immune to SIGHUP; nil, or why it could not.
  @Sendable static func spawnWatchdog(root: String) -> String? {
    var exe = [CChar](repeating: 0, count: 4097)
    let n = readlink("/proc/self/exe", &exe, 4096)
    let executable = n > 0 ? String(decoding: exe[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    let runner = ProcessRunner()
    if executable.hasPrefix("/"), !executable.hasSuffix(" (deleted)"),
      let command = WatchdogLaunch.systemdRun(executable: executable, root: root, fs: FileSystem(), runner: runner),
      (try? runner.run(command[0], Array(command.dropFirst())))?.succeeded == true
    {
      return nil
    }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(0x80))  // POSIX_SPAWN_SETSID
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, Int32(fd), "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    let words: [String] = ["/proc/self/exe", "watchdog", "--root", root]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, "/proc/self/exe", &actions, &attr, argv, environ)
    return rc == 0 ? nil : "cannot start the watchdog (\(String(cString: strerror(rc))))"
  }
}
