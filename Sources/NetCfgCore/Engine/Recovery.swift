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
    case awaitingConfirmation(command: String, deadline: Deadline)
  }

  public func pending() -> Pending {
    guard let snapshot = try? store.pending() else { return .none }
    let command = snapshot.info["command"] ?? "?"
    if snapshot.info["state"] == "awaiting-confirmation", let deadline = Deadline(journal: snapshot.info) {
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
    case .awaitingConfirmation(_, let deadline): return deadline.passed
    }
  }

  /// What a recovery did.
  public struct Recovered: Sendable {
    /// The command whose change was undone.
    public var command: String
    /// The backend run after the files went back; empty when the change never reached it (the
    /// interfaces were left as they were).
    public var backend: [BackendStep]
    /// Why the backend failed, if it did.
    public var backendFailure: String?
    /// The checks the restored state was verified with (none: not verified, as under
    /// `--root`, at boot or with `--no-verify`), and those that did not hold in time.
    public var checks: [Check]
    public var failed: [CheckResult]
    /// True when the restored state is in force and passed its checks.
    public var ok: Bool { backendFailure == nil && failed.isEmpty }
  }

  /// Puts the journaled files back and, when the change may have reached the kernel, runs the
  /// backend and waits until the restored state passes the checks the transaction's own
  /// rollback would have used (idempotent: nothing pending, nothing done; nil). `boot`: run
  /// before the network starts, so the restored files are rendered (`netplan generate`), not
  /// applied, and nothing can be verified yet.
  public func rollBack(wait: Double = 10, boot: Bool = false) throws(EditError) -> Recovered? {
    let lock = try store.lock(wait: wait)
    defer { close(lock) }
    store.removeLeftovers()
    guard let snapshot = try? store.pending() else { return nil }
    if store.wasRecorded(snapshot) {
      // It crashed after recording its generation: done, nothing to undo.
      store.clearPending()
      return nil
    }
    // Read only for a journal without noted checks (an older netcfg's): they come from it.
    let crashed = snapshot.info[JournalKey.checks] == nil ? try? NetplanConfiguration.load(fs) : nil
    let changed = snapshot.states.filter { (try? FileState.capture($0.path, fs)) != $0.state }.map(\.path)
    do { try snapshot.restore(fs) } catch { throw EditError(.failure, "cannot restore the journaled files: \(error)") }
    var steps = backendSteps(snapshot, changed: changed)
    if boot, !steps.isEmpty { steps = [.netplanGenerate(root: "/")] }
    var recovered = Recovered(
      command: snapshot.info["command"] ?? "?", backend: steps, backendFailure: nil, checks: [], failed: [])
    let result = BackendStep.run(steps, runner)
    if !result.ok {
      recovered.backendFailure = result.output
    } else if fs.root == "/", !boot, !steps.isEmpty {
      recovered.checks = restoreChecks(snapshot, crashed: crashed)
      let timeout = Verifier.restoreTimeout(snapshot.info[JournalKey.timeout].flatMap(Double.init) ?? 5)
      recovered.failed = Verifier(checks: recovered.checks, timeout: timeout, runner: runner).verify()
    }
    store.clearPending()
    return recovered
  }

  /// The backend to run after the files went back: the steps the transaction noted before
  /// starting them; none when it never got that far on this boot; for a journal without
  /// notes (an older netcfg's), or after a reboot (which rendered the files on disk), the
  /// steps for the files that changed.
  func backendSteps(_ snapshot: Snapshot, changed: [String]) -> [BackendStep] {
    if let noted = snapshot.info[JournalKey.backend] {
      return noted.split(separator: "\n").compactMap { BackendStep(journalName: String($0), root: fs.root) }
    }
    let sameBoot = snapshot.info[JournalKey.boot].map { $0 == currentBootID() } ?? false
    if sameBoot || changed.isEmpty { return [] }
    return BackendStep.plan(for: changed, root: fs.root)
  }

  /// The noted checks; for a journal without them, the addresses and default routes of the
  /// definitions the crashed change touched (nothing outside this host: whether that held
  /// before is unknown).
  func restoreChecks(_ snapshot: Snapshot, crashed: NetplanConfiguration?) -> [Check] {
    if let noted = snapshot.info[JournalKey.checks] {
      return noted.split(separator: "\n").compactMap { Check(encoded: String($0)) }
    }
    guard let restored = try? NetplanConfiguration.load(fs) else { return [] }
    let touched = Transaction.changedDevices(crashed, restored)
    let devices = touched.isEmpty ? restored.devices.map(\.id) : touched
    return Verifier.checks(devices: devices, in: restored, hosts: [], names: [], sshClient: nil).filter { !$0.isExternal }
  }

  /// Confirms a pending `try`: the applied state becomes a generation (kept also when the
  /// generation cannot be recorded).
  public func confirm() throws(EditError) -> Commit {
    let lock = try store.lock(wait: 10)
    defer { close(lock) }
    guard let snapshot = try? store.pending(), snapshot.info["state"] == "awaiting-confirmation" else {
      throw EditError(.failure, "nothing is waiting for confirmation")
    }
    var info = ["command": snapshot.info["command"] ?? "?", "time": String(Int(wallClockSeconds())), "outcome": "confirmed"]
    info["transaction"] = snapshot.info["transaction"]
    return store.commit(snapshot.states.map(\.path), info: info)
  }
}
