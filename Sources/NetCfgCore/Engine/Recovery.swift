#if canImport(Glibc)
  import Glibc
#endif

/// Finishing what a transaction left: confirming a `try`, or putting the journaled files back
/// (at the deadline of a `try`, after a crash, after a reboot).
public struct Recovery: Sendable {
  public let fs: FileSystem
  public let runner: ProcessRunner

  public init(fs: FileSystem, runner: ProcessRunner = ProcessRunner()) {
    self.fs = fs
    self.runner = runner
  }

  var store: StateStore { StateStore(fs) }

  /// What is pending, if anything.
  public enum Pending: Sendable, Equatable {
    case none
    /// A transaction stopped between its journal and its end (crash, kill, reboot).
    case interrupted(command: String)
    /// A `try` waiting for confirmation until `deadline`.
    case awaitingConfirmation(command: String, deadline: Int)
  }

  public func pending() -> Pending {
    guard let snapshot = try? store.pending() else { return .none }
    let command = snapshot.info["command"] ?? "?"
    if snapshot.info["state"] == "awaiting-confirmation", let deadline = snapshot.info["deadline"].flatMap(Int.init) {
      return .awaitingConfirmation(command: command, deadline: deadline)
    }
    return .interrupted(command: command)
  }

  /// True when a pending transaction must be undone now: nobody holds the lock and it was
  /// interrupted, or its confirmation deadline has passed.
  public func needsRecovery() -> Bool {
    switch pending() {
    case .none: return false
    case .interrupted: return (try? store.lock(wait: 0)).map { close($0); return true } ?? false
    case .awaitingConfirmation(_, let deadline): return Int(wallClockSeconds()) >= deadline
    }
  }

  /// Puts the journaled files back and runs the backend (idempotent: nothing pending, nothing
  /// done). Returns the command undone, or nil.
  public func rollBack(wait: Double = 10) throws(EditError) -> String? {
    let lock = try store.lock(wait: wait)
    defer { close(lock) }
    store.removeLeftovers()
    guard let snapshot = try? store.pending() else { return nil }
    if store.wasRecorded(snapshot) {
      // It crashed after recording its generation: done, nothing to undo.
      store.clearPending()
      return nil
    }
    // The backend for what is put back (resolved restarts only when its files change).
    let changed = snapshot.states.filter { (try? FileState.capture($0.path, fs)) != $0.state }.map(\.path)
    do { try snapshot.restore(fs) } catch { throw EditError(.failure, "cannot restore the journaled files: \(error)") }
    let result = BackendStep.run(BackendStep.plan(for: changed, root: fs.root), runner)
    store.clearPending()
    if !result.ok { throw EditError(.failure, "files restored, but the backend failed: \(result.output)") }
    return snapshot.info["command"] ?? "?"
  }

  /// Confirms a pending `try`: the applied state becomes a generation.
  public func confirm() throws(EditError) -> Int {
    let lock = try store.lock(wait: 10)
    defer { close(lock) }
    guard let snapshot = try? store.pending(), snapshot.info["state"] == "awaiting-confirmation" else {
      throw EditError(.failure, "nothing is waiting for confirmation")
    }
    let paths = snapshot.states.map(\.path)
    do {
      var applied = try Snapshot.capture(paths, fs)
      applied.info = ["command": snapshot.info["command"] ?? "?", "time": String(Int(wallClockSeconds())), "outcome": "confirmed"]
      applied.info["transaction"] = snapshot.info["transaction"]
      let n = try store.record(applied)
      FaultPoint.reached("generation-recorded")
      store.clearPending()
      return n
    } catch { throw EditError(.failure, "cannot record the confirmed generation: \(error)") }
  }
}
