import Synchronization
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// `status` and the probes start programs from several threads at once: each program's
/// output must end when it exits, not when a program started beside it does (its pipes are
/// close-on-exec, so no other child inherits them).
@Suite struct ConcurrentProcessTests {
  @Test func aShortProgramBesideALongOneEndsOnItsOwn() {
    let runner = ProcessRunner()
    let finished = Mutex<[Int: Double]>([:])
    let start = monotonicSeconds()
    concurrently(4) { i in
      // Thread 0 runs a program that keeps its stdout open for 3 s; the others print at once.
      let result = i == 0 ? try? runner.run("sleep", ["3"]) : try? runner.run("echo", ["\(i)"])
      let elapsed = monotonicSeconds() - start
      finished.withLock { $0[i] = elapsed }
      if i > 0 { #expect(result?.stdoutText == "\(i)\n") }
    }
    let times = finished.withLock { $0 }
    #expect(times.count == 4)
    for i in 1..<4 { #expect((times[i] ?? 99) < 1.5, "echo \(i) ended only after \(times[i] ?? -1) s: it waited for sleep") }
    #expect((times[0] ?? 0) >= 2.9, "concurrently waits for every body")
  }
}
