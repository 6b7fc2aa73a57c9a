#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls
import Synchronization

/// Runs `body(0..<count)` at once (0 on the calling thread, each other on a thread of its
/// own) and returns when all have: for work that mostly waits (a process, a daemon's answer,
/// a network probe; GCD's pool has about as many threads as cores, so on two cores its
/// concurrentPerform runs such waits two at a time), and for the two halves of a large
/// parse or check. In the YAML library, the lowest that needs it; the core uses it too.
public func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  var threads: [pthread_t] = []
  for i in 1..<max(count, 1) {
    // No thread to be had: done here.
    if let thread = startThread({ body(i) }) { threads.append(thread) }
  }
  // Body 0 runs on the calling thread: what it allocates comes from the main thread's
  // malloc arena, which holds what earlier work freed (a thread of its own would take fresh
  // pages from an arena of its own: the peak memory of an edit grew by what it freed).
  if count > 0 { body(0) }
  for thread in threads { pthread_join(thread, nil) }
}

/// A value one body of `concurrently` sets and the caller reads after it returns: the
/// threads' join orders the write before the read, so no lock is needed.
public final class Handoff<Value>: @unchecked Sendable {
  public var value: Value?
  public init() {}
}

/// A mutex and a condition on it, for the hand-overs below: `locked` runs its body holding
/// the mutex, and in it `waitForChange` sleeps until `locked(changing:)` runs elsewhere.
final class ChangeSignal: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// `body` run holding the mutex; with `changing`, the waiters are woken after it.
  func locked<T>(changing: Bool = false, _ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer {
      if changing { pthread_cond_broadcast(condition) }
      pthread_mutex_unlock(mutex)
    }
    return body()
  }

  /// Inside `locked`: lets the mutex go until a change is signalled, then holds it again.
  func waitForChange() { pthread_cond_wait(condition, mutex) }
}

/// A value one thread of `concurrently` makes and the others wait for: `wait` returns once
/// `publish` has been called (at once after it).
public final class Published<Value>: @unchecked Sendable {
  private var value: Value?
  private let signal = ChangeSignal()

  public init() {}

  public func publish(_ value: Value) {
    signal.locked(changing: true) { self.value = value }
  }

  public func wait() -> Value {
    signal.locked {
      while value == nil { signal.waitForChange() }
      return value!
    }
  }
}

/// One value per task, made by whichever thread does the task and taken in task order by
/// one thread as each is ready (`show` prints its tables in order while they are made).
/// A value taken is let go.
public final class InOrder<Value>: @unchecked Sendable {
  private var values: [Value?]
  private var taken = 0
  private let signal = ChangeSignal()

  public init(count: Int) { values = Array(repeating: nil, count: count) }

  /// The value of task `index`.
  public func put(_ value: Value, at index: Int) {
    signal.locked(changing: true) { values[index] = value }
  }

  /// The value of the first task not yet taken: nil when every value has been taken, or,
  /// unless `wait`, when that one is not ready yet.
  public func next(wait: Bool) -> Value? {
    signal.locked {
      guard taken < values.count else { return nil }
      while values[taken] == nil {
        guard wait else { return nil }
        signal.waitForChange()
      }
      taken += 1
      return values[taken - 1].take()
    }
  }
}

/// Tasks `0..<count` taken one at a time by whichever thread is free first (`next`), so two
/// threads that finish their own work at different times share the rest evenly.
public final class SharedTasks: Sendable {
  private let taken = Atomic<Int>(0)
  public let count: Int

  public init(count: Int) { self.count = count }

  /// The next task not yet taken, or nil when all are.
  public func next() -> Int? {
    let task = taken.add(1, ordering: .relaxed).oldValue
    return task < count ? task : nil
  }
}

/// `body` started on a thread of its own at once (on the caller's when no thread can be
/// had); `wait` returns its result when it is done. For small work that mostly waits on a
/// device (a file's fsync) beside work that keeps both cores busy.
public final class Started<Value: Sendable>: @unchecked Sendable {
  private let result = Published<Value>()
  private var thread: pthread_t?

  public init(_ body: @escaping @Sendable () -> Value) {
    let result = self.result
    thread = startThread { result.publish(body()) }
  }

  deinit {
    if let thread { pthread_detach(thread) }
  }

  /// The result, once `body` has returned (its thread joined).
  public func wait() -> Value {
    if let thread {
      pthread_join(thread, nil)
      self.thread = nil
    }
    return result.wait()
  }
}

/// `run` on a new thread (to be joined), or, when no thread can be had, run here (nil).
private func startThread(_ run: @escaping () -> Void) -> pthread_t? {
  final class Work {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }
  let work = Unmanaged.passRetained(Work(run)).toOpaque()
  var thread = pthread_t()
  // Started away from this thread's CPU, which it keeps busy (see the C function).
  let started = netcfg_thread_create_elsewhere(&thread, { argument in
    netcfg_thread_allow_all_cpus()
    Unmanaged<Work>.fromOpaque(argument!).takeRetainedValue().run()
    return nil
  }, work)
  guard started == 0 else {
    Unmanaged<Work>.fromOpaque(work).takeRetainedValue().run()
    return nil
  }
  return thread
}
