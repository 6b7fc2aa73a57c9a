#if canImport(Glibc)
  import Glibc
#endif
import Synchronization

/// Named steps of a transaction where the crash tests kill netcfg (a crash at exactly that
/// point cannot be provoked otherwise). Debug builds only: release builds compile every call
/// to nothing and read no environment.
///
/// - `NETCFG_TEST_FAULT=NAME#N`: SIGKILL at the N-th time this process reaches step NAME
///   (`watchdog:NAME#N` in the detached `try` watchdog).
/// - `NETCFG_TEST_FAULT_PAUSE=SECONDS`: at that step, sleep instead (a transaction held in
///   progress, for the concurrency tests).
/// - `NETCFG_TEST_FAULT_TRACE=FILE`: append every step reached, one `NAME#N` a line, so a
///   test learns the steps of a command from one run and crashes at each in turn.
public enum FaultPoint {
  #if DEBUG
    private static let state = Mutex<(role: String, counts: [String: Int])>(("", [:]))
    private static let armed: String? = getenv("NETCFG_TEST_FAULT").map { String(cString: $0) }
    private static let pause: UInt32? = getenv("NETCFG_TEST_FAULT_PAUSE").flatMap { UInt32(String(cString: $0)) }
    private static let trace: String? = getenv("NETCFG_TEST_FAULT_TRACE").map { String(cString: $0) }
  #endif

  /// Names this process's steps `ROLE:NAME` (the `try` watchdog).
  public static func setRole(_ role: String) {
    #if DEBUG
      state.withLock { $0.role = role + ":" }
    #endif
  }

  /// Step `name` was reached: record it, and die here when the test asked for it.
  @inline(__always)
  public static func reached(_ name: @autoclosure () -> String) {
    #if DEBUG
      guard armed != nil || trace != nil else { return }
      let step = state.withLock { state -> String in
        let key = state.role + name()
        state.counts[key, default: 0] += 1
        return "\(key)#\(state.counts[key]!)"
      }
      if let trace {
        let fd = open(trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 {
          let line = Array((step + "\n").utf8)
          _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
          close(fd)
        }
      }
      guard step == armed else { return }
      if let pause { sleep(pause) } else { kill(getpid(), SIGKILL) }
    #endif
  }
}
