import CSystemCalls
import Glibc
import NetCfgYAML
import Synchronization
import Testing

/// The hand-over between the two threads of a large load: tasks taken once each whichever
/// thread asks, and a value waited for until it is published.
@Suite struct SharedWorkTests {
  /// Two threads taking tasks as fast as they can: each task is taken exactly once, and
  /// asking after the last one gives nil (also asked again).
  @Test func everyTaskIsTakenOnce() {
    for count in [0, 1, 2, 5, 1000] {
      let tasks = SharedTasks(count: count)
      let taken = Mutex<[Int]>([])
      concurrently(2) { _ in
        while let task = tasks.next() { taken.withLock { $0.append(task) } }
        #expect(tasks.next() == nil)
      }
      #expect(taken.withLock { $0.sorted() } == Array(0..<count))
    }
  }

  /// Values put out of order are taken in task order: without waiting only the ready ones
  /// at the front, waiting each in turn, then nil once all are taken.
  @Test func valuesAreTakenInTaskOrder() {
    let done = InOrder<String>(count: 3)
    #expect(done.next(wait: false) == nil)
    done.put("c", at: 2)
    #expect(done.next(wait: false) == nil)  // 0 is not ready: 2 waits behind it
    done.put("a", at: 0)
    #expect(done.next(wait: false) == "a")
    #expect(done.next(wait: false) == nil)
    done.put("b", at: 1)
    #expect(done.next(wait: true) == "b")
    #expect(done.next(wait: true) == "c")
    #expect(done.next(wait: true) == nil)
    #expect(InOrder<Int>(count: 0).next(wait: true) == nil)

    // Two threads making 500 values as they are free, one taking them as it goes.
    for _ in 0..<20 {
      let tasks = SharedTasks(count: 500), values = InOrder<Int>(count: 500)
      let taken = Mutex<[Int]>([])
      concurrently(2) { thread in
        while let task = tasks.next() {
          values.put(task * 3, at: task)
          if thread == 0 { while let v = values.next(wait: false) { taken.withLock { $0.append(v) } } }
        }
        if thread == 0 { while let v = values.next(wait: true) { taken.withLock { $0.append(v) } } }
      }
      #expect(taken.withLock { $0 } == (0..<500).map { $0 * 3 })
    }
  }

  /// A thread that asks before the value is there waits for it; one that asks after gets it
  /// at once; both get the value published.
  @Test func waitReturnsThePublishedValue() {
    let published = Published<[String]>()
    let seen = Mutex<[Int: [String]]>([:])
    concurrently(2) { thread in
      if thread == 0 {
        usleep(20_000)  // the other thread is waiting by now
        published.publish(["built"])
      }
      let value = published.wait()
      seen.withLock { $0[thread] = value }
    }
    #expect(seen.withLock { $0 } == [0: ["built"], 1: ["built"]])
    #expect(published.wait() == ["built"])
  }

  /// Work started on a thread of its own runs beside the caller, which gets its result when
  /// it waits (again and again); a nil result is a result.
  @Test func startedWorkRunsBesideTheCaller() {
    let caller = pthread_self()
    let gate = Published<Bool>()
    let started = Started { () -> (Bool, Int?) in
      let besideTheCaller = pthread_equal(pthread_self(), caller) == 0
      _ = gate.wait()  // returns only once the caller, not waiting on it, has gone on
      return (besideTheCaller, nil)
    }
    gate.publish(true)
    let (beside, value) = started.wait()
    #expect(beside)
    #expect(value == nil)
    #expect(started.wait().0)
  }

  /// A thread is started away from its creator's CPU (a new thread waited on the creator's
  /// busy CPU for the scheduler's balancing, milliseconds, with the other idle), then allowed
  /// on every CPU again: the threads of `concurrently` and `Started` end up on all of them.
  @Test func threadsStartAwayFromTheCreatorThenMayRunAnywhere() {
    let all = netcfg_allowed_cpu_count()
    #expect(all >= 1)
    // [allowed when started, allowed after netcfg_thread_allow_all_cpus]
    let counts = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
    defer { counts.deallocate() }
    var thread = pthread_t()
    let error = netcfg_thread_create_elsewhere(&thread, { argument in
      let counts = argument!.assumingMemoryBound(to: Int32.self)
      counts[0] = netcfg_allowed_cpu_count()
      netcfg_thread_allow_all_cpus()
      counts[1] = netcfg_allowed_cpu_count()
      return nil
    }, counts)
    #expect(error == 0)
    pthread_join(thread, nil)
    #expect(counts[0] == (all > 1 ? all - 1 : all))
    #expect(counts[1] == all)

    let seen = Mutex<[Int: Int32]>([:])
    concurrently(3) { part in seen.withLock { $0[part] = netcfg_allowed_cpu_count() } }
    #expect(seen.withLock { $0 } == [0: all, 1: all, 2: all])
    let started = Started { netcfg_allowed_cpu_count() }
    #expect(started.wait() == all)
  }
}
