/// Apply with verification and automatic rollback: journal the before-state (fsynced), write,
/// run the backend, verify, then record a generation — or restore the journal, run the
/// backend again and verify the restored state.
public struct Transaction {
  public struct Options: Sendable {
    public var verify = true
    public var timeout = 5.0
    /// Whether `timeout` was asked for: else it grows for links that come up slowly (STP
    /// bridges, LACP bonds).
    public var timeoutGiven = false
    public var hosts: [String] = []
    public var names: [String] = []
    /// HOST:PORT pairs that must accept a TCP connection.
    public var tcp: [(String, Int)] = []
    public var sshClient: String?
    public var wait = 0.0
    /// `try`: after a verified apply, wait this many seconds for a confirmation instead of
    /// recording the generation (a detached watchdog rolls back at the deadline).
    public var confirmWithin: Double?
    /// `try`: starts what rolls the change back at its deadline if this process is gone (the
    /// root given; nil, or why it could not). Called before the journal and the files are
    /// written: a `try` killed at any point is undone without another command.
    public var armWatchdog: (@Sendable (String) -> String?)?
    public init() {}
  }

  /// How it ended.
  public enum Outcome: Sendable, Equatable {
    /// Applied (and verified unless asked not to), and recorded as a generation.
    case committed(Commit)
    /// Verification failed and the previous state is back and verified.
    case rolledBack(failed: [String])
    /// The rollback did not bring back a working state.
    case rollbackFailed(failed: [String], restoreFailed: [String])
    /// `try`: applied and verified; rolled back at the deadline unless confirmed.
    case awaitingConfirmation(deadline: Deadline)
  }

  public let fs: FileSystem
  public let runner: ProcessRunner
  public var options: Options
  /// Milliseconds from the backend returning to the previous state restored and verified.
  public private(set) var rollbackMilliseconds: Int?
  /// When verification failed: what each failing check showed.
  public private(set) var failedChecks: [CheckResult] = []
  /// After a rollback: the files put back, and the checks the restored state passed.
  public private(set) var restoredPaths: [String] = []
  public private(set) var restoreVerified: [Check] = []

  public init(fs: FileSystem, runner: ProcessRunner = ProcessRunner(), options: Options) {
    self.fs = fs
    self.runner = runner
    self.options = options
  }

  var store: StateStore { StateStore(fs) }

  /// Runs the transaction for `changes` (files to write; empty for `apply` of what is on disk)
  /// against `previous` (the state to return to; the files' current state when nil).
  public mutating func run(
    _ changes: ChangeSet, command: String, previous: Snapshot? = nil
  ) throws(EditError) -> Outcome {
    let fs = self.fs
    return try run(command: command, previous: previous, paths: changes.files.map(\.path)) { () throws(FileSystemError) in
      try changes.write(fs)
    }
  }

  /// Puts generation `snapshot` back, through the same verified path.
  public mutating func restore(_ snapshot: Snapshot, command: String) throws(EditError) -> Outcome {
    let fs = self.fs, store = self.store
    return try run(command: command, previous: nil, paths: snapshot.states.map(\.path)) { () throws(FileSystemError) in
      // Managed files that the generation did not have go away.
      let kept = Set(snapshot.states.map(\.path))
      for path in store.managedPaths() where !kept.contains(path) {
        try fs.remove(path)
      }
      try snapshot.restore(fs)
    }
  }

  mutating func run(
    command: String, previous: Snapshot?, paths written: [String], write: () throws(FileSystemError) -> Void
  ) throws(EditError) -> Outcome {
    let escaping = BackendStep.escapingPaths(fs)
    guard escaping.isEmpty else {
      throw EditError(
        .failure,
        "\(escaping.joined(separator: ", ")) below \(fs.root) lead out of it through a symbolic link; `netplan generate --root-dir` would follow them, so nothing was written or run")
    }
    var lock = try store.lock(wait: options.wait)
    defer { close(lock) }
    // A journal already there is another change's before-state (a `try` awaiting its
    // confirmation, or one to recover): replacing it would make that change the baseline.
    let started = monotonicSeconds()
    while let pending = try? store.pending() {
      let left = options.wait - (monotonicSeconds() - started)
      guard left > 0 else { throw EditError(.failure, Transaction.pendingMessage(pending, waited: options.wait)) }
      close(lock)
      usleep(200_000)
      lock = try store.lock(wait: max(left, 0.2))
    }
    let paths = uniqued(written + (previous?.states.map(\.path) ?? []) + store.managedPaths())
    let before: Snapshot
    do {
      if var previous {
        // A path the generation did not have did not exist then: restoring it removes it.
        let known = Set(previous.states.map(\.path))
        previous.states += paths.filter { !known.contains($0) }.map { ($0, FileState.absent) }
        before = previous
      } else {
        before = try Snapshot.capture(paths, fs)
      }
    } catch { throw EditError(.failure, "cannot read the current state: \(error)") }
    // The configuration to return to: the journaled /etc files with the current /lib and /run.
    let current = try? NetplanConfiguration.load(fs)
    let beforeConfig = current.map { Transaction.configuration(of: before, current: $0) }

    // Checks measured before: what already fails does not count against the change.
    let live = fs.root == "/" && options.verify
    var excused: Set<Check> = []
    if live, let beforeConfig {
      // Only what lies outside this host and was derived, not asked for (the gateway's ping,
      // the SSH client's route), is excused; the addresses and routes the configuration asks
      // for, and the checks named on the command line, must hold afterwards whatever they
      // were before (a single failed probe under load would otherwise void them).
      let asked = Set(Verifier.checks(devices: [], in: beforeConfig, hosts: options.hosts, names: options.names,
        sshClient: nil, tcp: options.tcp))
      excused = Verifier(checks: checks(for: beforeConfig, changed: beforeConfig.devices.map(\.id)), timeout: 0, runner: runner)
        .failing().filter { $0.isExternal && !asked.contains($0) }
    }

    // Names this transaction in its journal and in the generation it records, so that
    // recovery can tell a transaction that crashed after recording its generation (done:
    // keep its files) from one that did not (put the journaled files back).
    let id = "\(getpid())-\(Int(wallClockSeconds()))-\(UInt32.random(in: 0...UInt32.max))"
    var notes = ["command": command, "time": String(Int(wallClockSeconds())), "transaction": id]
    notes[JournalKey.boot] = currentBootID()
    if let seconds = options.confirmWithin {
      // Pending confirmation from the start; the deadline is set again once verified.
      notes["state"] = "awaiting-confirmation"
      Deadline.after(options.timeout + Verifier.settle + seconds + 1).note(in: &notes)
    }
    // `try`: what undoes the change if this process dies starts before anything is written.
    if let arm = options.armWatchdog, let problem = arm(fs.root) {
      throw EditError(.failure, "\(problem); nothing was written")
    }
    do {
      var journal = before
      journal.info = notes
      try store.savePending(journal)
    } catch { throw EditError(.failure, "cannot write the journal: \(error); nothing was written") }
    FaultPoint.reached("journal-written")
    do { try write() } catch {
      throw EditError(.failure, "cannot write: \(error); `netcfg recover` puts the previous files back")
    }

    let after: NetplanConfiguration
    do { after = try NetplanConfiguration.load(fs) } catch { throw EditError(.failure, "\(error)") }
    // The devices to check: those the change touched; when none did (the first `apply`, or
    // applying what is already on disk), all of them.
    let touched = Transaction.changedDevices(beforeConfig, after)
    let changed = touched.isEmpty ? after.devices.map(\.id) : touched
    // Links that take long to forward (STP, LACP) get the time they need, unless a timeout
    // was asked for; then a failure names it.
    let slow = Verifier.slowLinks(after, changed: changed)
    let timeout = options.timeoutGiven ? options.timeout : max(options.timeout, slow.map(\.seconds).max() ?? 0)
    // The backend for what this transaction changed (resolved restarts only for its files).
    let changedPaths = before.states.filter { (try? FileState.capture($0.path, fs)) != $0.state }.map(\.path)
    let steps = BackendStep.plan(for: changedPaths, root: fs.root)
    // Noted before the backend starts: recovery runs it (and verifies the restored state with
    // the checks the rollback below would use) only when the kernel may have seen the change.
    let restoreChecks = live ? beforeConfig.map { checks(for: $0, changed: changed).filter { !excused.contains($0) } } ?? [] : []
    notes[JournalKey.backend] = steps.map(\.journalName).joined(separator: "\n")
    notes[JournalKey.checks] = restoreChecks.map(\.encoded).joined(separator: "\n")
    notes[JournalKey.timeout] = String(timeout)
    if let seconds = options.confirmWithin {
      Deadline.after(timeout + Verifier.settle + seconds + 1).note(in: &notes)
    }
    do { try store.updatePendingInfo(notes) } catch {
      let undone = (try? before.restore(fs)) != nil
      if undone { store.clearPending() }
      throw EditError(
        .failure,
        "cannot note the backend in the journal: \(error); nothing was applied"
          + (undone ? " and the previous files are back" : "; `netcfg recover` puts the previous files back"))
    }
    let backend = BackendStep.run(steps, runner)
    let backendReturned = monotonicSeconds()
    var failed: [String] = backend.ok ? [] : ["\(steps.map(\.description).joined(separator: "; ")) failed: \(backend.output)"]
    if backend.ok, live {
      let verifier = Verifier(checks: checks(for: after, changed: changed), timeout: timeout, runner: runner)
      failedChecks = verifier.verify(excusing: excused)
      if changedPaths.contains(ResolvConf.path) {
        // A systemd-resolved just started probes its servers first: its answer takes seconds.
        let conf = ResolvConf.load(fs)
        let wait = conf.mode != .static ? Verifier.restoreTimeout(timeout) : timeout
        failedChecks += Verifier(checks: Verifier.resolverChecks(conf, fs), timeout: wait, runner: runner).verify(excusing: excused)
      }
      failed = failedChecks.map { "check failed: \($0)" }
      if !failed.isEmpty, let link = slow.first(where: { $0.seconds > timeout }) {
        failed.append("\(link.reason): it may need \(Int(link.seconds)) s to forward; raise --verify-timeout to \(Int(link.seconds))")
      }
    }
    if failed.isEmpty, let seconds = options.confirmWithin {
      let deadline = Deadline.after(seconds)
      notes["state"] = "awaiting-confirmation"
      deadline.note(in: &notes)
      do { try store.updatePendingInfo(notes) } catch { throw EditError(.failure, "cannot record the pending change: \(error)") }
      FaultPoint.reached("awaiting-confirmation")
      return .awaitingConfirmation(deadline: deadline)
    }
    if failed.isEmpty {
      return .committed(store.commit(
        paths, info: ["command": command, "time": String(Int(wallClockSeconds())), "outcome": "applied", "transaction": id]))
    }
    // Roll back: the journal's files, the backend again, and the previous state verified.
    restoredPaths = changedPaths
    do { try before.restore(fs) } catch {
      return .rollbackFailed(failed: failed, restoreFailed: ["restoring the files: \(error)"])
    }
    let again = BackendStep.run(steps, runner)
    var restoreFailed: [String] = again.ok ? [] : ["backend after restore: \(again.output)"]
    if again.ok, live, let beforeConfig {
      let verifier = Verifier(
        checks: checks(for: beforeConfig, changed: changed), timeout: Verifier.restoreTimeout(timeout), runner: runner)
      restoreFailed = verifier.verify(excusing: excused).map(\.description)
      if restoreFailed.isEmpty { restoreVerified = restoreChecks }
    }
    FaultPoint.reached("rolled-back")
    store.clearPending()
    rollbackMilliseconds = Int((monotonicSeconds() - backendReturned) * 1000)
    return restoreFailed.isEmpty ? .rolledBack(failed: failed) : .rollbackFailed(failed: failed, restoreFailed: restoreFailed)
  }

  /// Why a transaction cannot start while `pending` is journaled.
  static func pendingMessage(_ pending: Snapshot, waited: Double) -> String {
    let command = pending.info["command"] ?? "another change"
    var text: String
    if pending.info["state"] == "awaiting-confirmation", let deadline = Deadline(journal: pending.info) {
      let left = max(0, Int(deadline.secondsLeft))
      text = "`\(command)` is waiting for confirmation (rolled back in \(left) s unless confirmed): `netcfg confirm` keeps it"
    } else {
      text = "`\(command)` did not finish: `netcfg recover` puts its files back"
    }
    text += waited > 0 ? "; it did not end within \(Int(waited)) s" : "; --wait SECONDS waits for it"
    return text + "; nothing was done"
  }

  /// The netplan configuration a snapshot describes (its /etc files, the current others).
  public static func configuration(of snapshot: Snapshot, current: NetplanConfiguration) -> NetplanConfiguration {
    var files = (current.hierarchy.files + current.hierarchy.shadowed).filter { $0.directory != .etc }
    for (path, state) in snapshot.states where path.hasPrefix("/etc/netplan/") && path.hasSuffix(".yaml") {
      guard case .file(let bytes, let mode, let uid, let gid) = state else { continue }
      files.append(NetplanSourceFile(
        path: path, directory: .etc, name: String(path.dropFirst("/etc/netplan/".count)), bytes: bytes,
        info: FileInfo(mode: mode, owner: uid, group: gid, isRegular: true, isDirectory: false, isSymlink: false)))
    }
    return NetplanConfiguration.load(
      NetplanHierarchy.arranging(files), cloudInitNetworkDisabled: current.cloudInitNetworkDisabled, version: current.netplanVersion,
      ovsInstalled: current.ovsInstalled)
  }

  func checks(for config: NetplanConfiguration, changed: [String]) -> [Check] {
    Verifier.checks(
      devices: changed, in: config, hosts: options.hosts, names: options.names, sshClient: options.sshClient,
      tcp: options.tcp)
  }

  /// Devices whose merged definition differs between the two configurations.
  static func changedDevices(_ before: NetplanConfiguration?, _ after: NetplanConfiguration) -> [String] {
    after.devices.filter { device in
      guard let old = before?.device(device.id) else { return true }
      return !old.node.value.isEquivalent(to: device.node.value)
    }.map(\.id)
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// Seconds since the epoch (journal times, `try` deadlines).
public func wallClockSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
