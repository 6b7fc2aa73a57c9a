#if canImport(Glibc)
  import Glibc
#endif

/// Runs `body(0..<count)` at once (0 on the calling thread, each other on a thread of its
/// own) and returns when all have: for work that mostly waits (a process, a daemon's answer,
/// a network probe; GCD's pool has about as many threads as cores, so on two cores its
/// concurrentPerform runs such waits two at a time), and for the two halves of a large
/// parse or check. In the YAML library, the lowest that needs it; the core uses it too.
public func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  final class Work {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }
  var threads: [pthread_t] = []
  for i in 1..<max(count, 1) {
    let work = Unmanaged.passRetained(Work { body(i) }).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { argument in
      Unmanaged<Work>.fromOpaque(argument!).takeRetainedValue().run()
      return nil
    }, work)
    if started == 0 {
      threads.append(thread)
    } else {
      // No thread to be had: do it here.
      Unmanaged<Work>.fromOpaque(work).takeRetainedValue().run()
    }
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
