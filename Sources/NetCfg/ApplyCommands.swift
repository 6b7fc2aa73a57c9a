import NetCfgCore

#if canImport(Glibc)
  import Glibc
#endif

/// Options of every command that applies.
struct ApplyOptions {
  var noVerify = false
  var verifyTimeout: Double?
  var checkHost: [String] = []
  var checkDns: [String] = []
  var checkTcp: [String] = []
  var wait: Double = 0

  init() {}

  init(_ a: inout Arguments) throws(UsageError) {
    try a.group("verify") { a throws(UsageError) in
      noVerify = a.flag("no-verify", help: "Do not verify after applying.")
      verifyTimeout = try a.option("verify-timeout", as: Double.self, valueName: "S", help: "How long verification may take (seconds; default 2).")
      checkHost = a.options("check-host", valueName: "IP", help: "A host that must answer ping afterwards (repeatable).")
      checkDns = a.options("check-dns", valueName: "NAME", help: "A name that must resolve afterwards (repeatable).")
      checkTcp = a.options("check-tcp", valueName: "HOST:PORT", help: "An IP:PORT (IPv6: [IP]:PORT) that must accept TCP afterwards (repeatable).")
      wait = try a.option("wait", default: 0.0, valueName: "S", help: "Wait this long for another netcfg transaction to finish.")
    }
    if a.isReading { try validate() }
  }

  /// Whether any verification option was given (they mean nothing without an apply).
  var anyGiven: Bool { noVerify || verifyTimeout != nil || !checkHost.isEmpty || !checkDns.isEmpty || !checkTcp.isEmpty || wait != 0 }

  func validate() throws(UsageError) {
    // Operands reach getent and ping: names and addresses only, never an option.
    for host in checkHost where IPAddress(host) == nil && !DNSServer.isDNSName(host) {
      throw ValidationError("--check-host '\(host)' is not an IP address or host name")
    }
    for name in checkDns where !DNSServer.isDNSName(name) {
      throw ValidationError("--check-dns '\(name)' is not a host name")
    }
    for text in checkTcp {
      guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
        IPAddress(String(text[..<colon]).trimming("[]")) != nil
      else { throw ValidationError("--check-tcp '\(text)' is not IP:PORT (IPv6: [IP]:PORT)") }
    }
  }

  var transactionOptions: Transaction.Options {
    var o = Transaction.Options()
    o.verify = !noVerify
    o.timeout = verifyTimeout ?? 2
    o.timeoutGiven = verifyTimeout != nil
    o.hosts = checkHost
    o.names = checkDns
    o.wait = wait
    o.tcp = checkTcp.compactMap { text in
      guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
      var host = String(text[..<colon])
      if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
      return (host, port)
    }
    if let ssh = getenv("SSH_CONNECTION").map({ String(cString: $0) }), let client = ssh.split(separator: " ").first,
      IPAddress(String(client)) != nil
    {
      o.sshClient = String(client)
    }
    return o
  }
}

/// `--timeout` of a `try`: how long a confirmation may take.
struct ConfirmOptions {
  var timeout: Double?

  init() {}

  init(_ a: inout Arguments) throws(UsageError) {
    timeout = try a.option("timeout", as: Double.self, valueName: "S", help: "Seconds to confirm before the automatic rollback (default 120).")
  }

  var seconds: Double { timeout ?? 120 }
}

extension Commit {
  /// `generation` (null when it could not be recorded) and the reason, for --json.
  var json: [(String, JSONValue)] {
    [("generation", generation.map { .int($0) } ?? .null)] + (problem.map { [("history-problem", JSONValue.string($0))] } ?? [])
  }
}

/// Prints a transaction's outcome and exits as the contract says (0, 3, 4). `extra` fields
/// join the JSON object (an edit's `changed` and `files`).
func finish(
  _ outcome: Transaction.Outcome, _ transaction: Transaction, _ console: Console, json: Bool, quiet: Bool,
  extra: [(String, JSONValue)] = [], dropping: (session: SSHSession, addresses: [String])? = nil
) throws {
  switch outcome {
  case .awaitingConfirmation(let deadline):
    try ConfirmationWait(fs: transaction.fs, console: console)
      .run(deadline: deadline, dropping: dropping?.session, newAddresses: dropping?.addresses ?? [])
  case .committed(let commit):
    if json {
      console.out(JSONValue.object(extra + [("outcome", "applied")] + commit.json).serialized())
    } else if !quiet {
      console.out(transaction.fs.root == "/"
        ? "applied\(transaction.options.verify ? " and verified" : " (not verified)"): \(commit.summary)"
        : "rendered with netplan generate (--root: nothing applied or verified): \(commit.summary)")
    }
    if let problem = commit.problem, quiet || json { console.err("netcfg: the change is kept, but not recorded in the history: " + problem) }
  case .rolledBack(let failed):
    let restored = transaction.restoredPaths, verified = transaction.restoreVerified
    if json {
      console.out(JSONValue.object(extra + [
        ("outcome", "rolled-back"), ("failed", .array(failed.map(JSONValue.string))),
        ("checks", .array(transaction.failedChecks.map(\.json))),
        ("restored", .array(restored.map(JSONValue.string))), ("verified", .array(verified.map { .string($0.description) })),
      ]).serialized())
    } else {
      console.err("netcfg: verification failed: " + failed.joined(separator: "; "))
      let took = transaction.rollbackMilliseconds.map { " (\($0) ms after the backend returned)" } ?? ""
      let what = restored.isEmpty ? "the previous files are in place" : "restored \(restored.joined(separator: ", "))"
      let how = !transaction.options.verify || transaction.fs.root != "/" ? "not verified"
        : verified.isEmpty ? "nothing to verify" : "verified: " + verified.map(\.description).joined(separator: ", ")
      console.err("netcfg: rolled back: \(what); \(how)" + took)
    }
    throw ExitCode(3)
  case .rollbackFailed(let failed, let restore):
    if json {
      console.out(JSONValue.object(extra + [
        ("outcome", "rollback-failed"), ("failed", .array(failed.map(JSONValue.string))),
        ("checks", .array(transaction.failedChecks.map(\.json))),
        ("restore-failed", .array(restore.map(JSONValue.string))),
      ]).serialized())
    }
    console.err("""
      netcfg: ROLLBACK FAILED — the network may be down.
        the change failed: \(failed.joined(separator: "; "))
        restoring failed:  \(restore.joined(separator: "; "))
        on disk: the previous files were put back where possible (netcfg history; /var/lib/netcfg).
        by hand: check `ip addr`, `ip route`; run `netplan apply`; `netcfg rollback --to N` for a known good generation.
      """)
    throw ExitCode(4)
  }
}

extension NetCfg {
  /// `netcfg apply`.
  struct Apply: Command {
    static let info = CommandInfo(
      name: "apply",
      abstract: "Apply what is on disk with verification; roll back to the last applied generation on failure.")

    var options: GlobalOptions
    var apply: ApplyOptions
    var dryRun = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      apply = try ApplyOptions(&a)
      dryRun = a.flag("dry-run", help: "Print the steps and write nothing.")
    }

    func run() throws {
      let console = options.console
      let lock = dryRun ? nil : try options.lockEditsOrExit(wait: apply.wait)
      defer { lock.map(options.fileSystem.unlock) }
      let config = try options.loadNetplan()
      let errors = config.diagnostics.filter { $0.severity == .error }
      guard errors.isEmpty else {
        console.report(errors, quiet: false)
        console.err("netcfg: the configuration is invalid; nothing was applied")
        throw Exit.invalidConfiguration
      }
      let store = StateStore(options.fileSystem)
      let steps = BackendStep.plan(for: store.managedPaths(), root: options.root)
      if dryRun {
        for step in steps { console.out(step.description) }
        // How long verification will wait, and why when links forward late.
        let slow = Verifier.slowLinks(config, changed: config.devices.map(\.id))
        let given = apply.verifyTimeout
        let wait = given ?? max(2, slow.map(\.seconds).max() ?? 0)
        let why = given == nil && wait > 2 ? " (" + slow.map(\.reason).joined(separator: ", ") + ")" : ""
        if !apply.noVerify { console.out("verify for up to \(Int(wait)) s" + why) }
        return
      }
      var transaction = Transaction(fs: options.fileSystem, options: apply.transactionOptions)
      do {
        let previous = try store.generationNumbers().last.flatMap { n throws(FileSystemError) in try store.generation(n) }
        let outcome = try transaction.run(ChangeSet(files: [], diagnostics: []), command: "netcfg apply", previous: previous)
        try finish(outcome, transaction, console, json: options.json, quiet: options.quiet)
      } catch let error as EditError {
        console.err("netcfg: " + error.message)
        throw Exit.failure
      }
    }
  }

  /// `netcfg try [--timeout 120]`.
  struct Try: Command {
    static let info = CommandInfo(
      name: "try",
      abstract: "Apply what is on disk, verified, and roll back at the deadline unless confirmed.",
      discussion: """
        Confirm with Enter here or `netcfg confirm` from any other shell. The deadline is kept by \
        a detached watchdog: a lost SSH session, a killed `netcfg try` or a closed terminal still \
        ends in a rollback; Ctrl-C rejects at once. After a reboot, `netcfg recover` (any netcfg \
        command runs it) rolls an unconfirmed change back.
        """)

    var options: GlobalOptions
    var apply: ApplyOptions
    var confirm: ConfirmOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      apply = try ApplyOptions(&a)
      confirm = try ConfirmOptions(&a)
    }

    func run() throws {
      let console = options.console
      guard options.root == "/" else {
        console.err("netcfg: try needs the live system; with --root there is nothing to roll back from")
        throw Exit.usage
      }
      let lock = try options.lockEditsOrExit(wait: apply.wait)
      defer { options.fileSystem.unlock(lock) }
      let config = try options.loadNetplan()
      guard !config.diagnostics.hasErrors else {
        console.report(config.diagnostics.filter { $0.severity == .error }, quiet: false)
        throw Exit.invalidConfiguration
      }
      let store = StateStore(options.fileSystem)
      var transactionOptions = apply.transactionOptions
      transactionOptions.confirmWithin = confirm.seconds
      transactionOptions.armWatchdog = ConfirmationWait.spawnWatchdog
      var transaction = Transaction(fs: options.fileSystem, options: transactionOptions)
      do {
        let previous = try store.generationNumbers().last.flatMap { n throws(FileSystemError) in try store.generation(n) }
        // Re-addressing over SSH: say before anything is applied that this session will drop.
        var dropping: (session: SSHSession, addresses: [String])?
        if let session = SSHSession(connection: getenv("SSH_CONNECTION").map { String(cString: $0) }), let previous,
          let drop = session.dropped(before: Transaction.configuration(of: previous, current: config), after: config)
        {
          console.err("netcfg: " + session.warning(device: drop.device, addresses: drop.addresses, seconds: Int(confirm.seconds)))
          dropping = (session, drop.addresses)
        }
        try finish(
          try transaction.run(ChangeSet(files: [], diagnostics: []), command: "netcfg try", previous: previous), transaction, console,
          json: options.json, quiet: options.quiet, dropping: dropping)
      } catch let error as EditError {
        console.err("netcfg: " + error.message)
        throw Exit.failure
      }
    }
  }

  /// `netcfg confirm`.
  struct Confirm: Command {
    static let info = CommandInfo(name: "confirm", abstract: "Keep the change a `netcfg try` applied.")

    var options: GlobalOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
    }

    func run() throws {
      do {
        let commit = try Recovery(fs: options.fileSystem).confirm()
        if options.json {
          options.console.out(JSONValue.object([("outcome", "confirmed")] + commit.json).serialized())
        } else if !options.quiet {
          options.console.out("confirmed: \(commit.summary)")
        }
      } catch let error as EditError {
        options.console.err("netcfg: " + error.message)
        throw Exit.failure
      }
    }
  }

  /// `netcfg watchdog`: started detached by `try`; rolls back at the deadline.
  struct Watchdog: Command {
    static let info = CommandInfo(name: "watchdog", hidden: true)

    var root = "/"

    init(_ a: inout Arguments) throws(UsageError) {
      root = a.option("root", default: "/", help: "")
    }

    func run() throws {
      signal(SIGHUP, SIG_IGN)
      signal(SIGINT, SIG_IGN)
      FaultPoint.setRole("watchdog")
      let recovery = Recovery(fs: FileSystem(root: root))
      // Started before the `try` writes even its journal: it waits up to 10 s for the journal
      // to appear (a `try` killed before writing it changed nothing), then rolls back at the
      // deadline, which moves once the change is verified. While the `try` itself still holds
      // the lock (its backend or verification running), the rollback waits for it; once it is
      // gone, killed or not, the rollback goes ahead.
      let started = monotonicSeconds()
      var armed = false
      while true {
        switch recovery.pending() {
        case .awaitingConfirmation(_, let deadline):
          armed = true
          if deadline.passed, (try? recovery.rollBack(wait: 0.5)) != nil { return }
        case .none, .interrupted:
          if armed || monotonicSeconds() - started > 10 { return }
        }
        usleep(200_000)
      }
    }
  }

  /// `netcfg rollback [--to N]`.
  struct Rollback: Command {
    static let info = CommandInfo(
      name: "rollback",
      abstract: "Go back to an applied generation (the one before the last by default), verified.")

    var options: GlobalOptions
    var apply: ApplyOptions
    var to: Int?

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      apply = try ApplyOptions(&a)
      to = try a.option("to", as: Int.self, valueName: "N", help: "The generation to restore.")
    }

    func run() throws {
      let console = options.console
      let lock = try options.lockEditsOrExit(wait: apply.wait)
      defer { options.fileSystem.unlock(lock) }
      let store = StateStore(options.fileSystem)
      let numbers = store.generationNumbers()
      guard let n = to ?? (numbers.count >= 2 ? numbers[numbers.count - 2] : nil) else {
        console.err("netcfg: no earlier generation to roll back to (netcfg history)")
        throw Exit.failure
      }
      guard let snapshot = try store.generation(n) else {
        console.err("netcfg: there is no generation \(n) (netcfg history)")
        throw Exit.usage
      }
      var transaction = Transaction(fs: options.fileSystem, options: apply.transactionOptions)
      do {
        try finish(try transaction.restore(snapshot, command: "netcfg rollback --to \(n)"), transaction, console, json: options.json, quiet: options.quiet)
      } catch let error as EditError {
        console.err("netcfg: " + error.message)
        throw Exit.failure
      }
    }
  }

  /// `netcfg history`.
  struct History: Command {
    static let info = CommandInfo(name: "history", abstract: "The generations netcfg applied.")

    var options: GlobalOptions

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
    }

    func run() throws {
      let console = options.console
      let store = StateStore(options.fileSystem)
      var rows: [JSONValue] = []
      for n in store.generationNumbers() {
        guard let snapshot = try store.generation(n) else { continue }
        let files = snapshot.states.filter { if case .absent = $0.state { return false } else { return true } }.map(\.path)
        let time = snapshot.info["time"].flatMap(Int.init).map(utcTime) ?? "-"
        if options.json {
          rows.append(.object([
            ("generation", .int(n)), ("time", .string(time)), ("command", .optional(snapshot.info["command"])),
            ("outcome", .optional(snapshot.info["outcome"])), ("files", .array(files.map(JSONValue.string))),
          ]))
        } else {
          console.out("\(n)\t\(time)\t\(snapshot.info["outcome"] ?? "-")\t\(snapshot.info["command"] ?? "-")\t\(files.count) files")
        }
      }
      if options.json { console.out(JSONValue.object([("generations", .array(rows))]).serialized()) }
    }
  }

  /// `netcfg recover`.
  struct Recover: Command {
    static let info = CommandInfo(
      name: "recover",
      abstract: "Roll back a change that did not finish or was not confirmed (after a crash or reboot; idempotent).",
      discussion: """
        The journaled files go back. When the change may have reached the kernel (its backend \
        started, or the machine rebooted since), netplan apply runs again and recover returns \
        once the restored state passes the checks the change's own rollback would have used; \
        exit 4 when it does not. A change that never reached the backend leaves the interfaces \
        alone.
        """)

    var options: GlobalOptions
    var wait: Double = 0
    var boot = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      wait = try a.option("wait", default: 0.0, valueName: "S", help: "Wait this long for a running netcfg to finish.")
      boot = a.flag("boot", help: "Run at boot before the network starts (the recovery unit): render the restored files with netplan generate instead of applying and verifying them.")
    }

    func run() throws {
      let console = options.console
      // A plain edit cut short while writing several files: they go back (no backend ran).
      var edit: String?
      do {
        let store = StateStore(options.fileSystem)
        if store.hasInterruptedEdit, let lock = try store.editLock(wait: wait) {
          defer { options.fileSystem.unlock(lock) }
          edit = try store.finishInterruptedEdit()
        }
      } catch {
        console.err("netcfg: cannot put back the files of an edit that was cut short: \(error)")
        throw Exit.failure
      }
      let result = Result { () throws(EditError) in try Recovery(fs: options.fileSystem).rollBack(wait: wait, boot: boot) }
      guard case .success(let outcome) = result else {
        if case .failure(let error) = result { console.err("netcfg: " + error.message) }
        throw Exit.failure
      }
      if let edit, outcome == nil {
        if options.json {
          console.out(JSONValue.object([
            ("recovered", .bool(true)), ("command", .string(edit)), ("outcome", "restored"), ("backend", []),
            ("verified", []), ("failed", []), ("backend-failure", .null),
          ]).serialized())
        } else if !options.quiet {
          console.out("recovered: `\(edit)` was cut short while writing its files; they are back as they were")
        }
        return
      }
      guard let recovered = outcome else {
        if options.json {
          console.out(JSONValue.object([("recovered", .bool(false)), ("command", .null)]).serialized())
        } else if !options.quiet {
          console.out("nothing to recover")
        }
        return
      }
      if options.json {
        console.out(JSONValue.object([
          ("recovered", .bool(true)), ("command", .string(recovered.command)),
          ("outcome", .string(recovered.ok ? "restored" : "restore-failed")),
          ("backend", .array(recovered.backend.map { .string($0.description) })),
          ("verified", .array(recovered.checks.filter { c in !recovered.failed.contains { $0.check == c } }.map { .string($0.description) })),
          ("failed", .array(recovered.failed.map(\.json))),
          ("backend-failure", .optional(recovered.backendFailure)),
        ]).serialized())
      } else if recovered.ok, !options.quiet {
        console.out("recovered: " + recovered.summary)
      }
      if !recovered.ok {
        console.err("netcfg: RECOVERY NOT VERIFIED — the network may not be as the files say.\n  " + recovered.summary)
        console.err("  by hand: check `ip addr`, `ip route`; run `netplan apply`; `netcfg rollback --to N` for a known good generation.")
        throw ExitCode(4)
      }
    }
  }
}

extension Recovery.Recovered {
  /// One paragraph: what was put back, what ran, what was verified or failed.
  var summary: String {
    var text = "the files before `\(command)` are back"
    if backend.isEmpty {
      return text + "; the change never reached the backend, so the interfaces were left as they were"
    }
    text += "; ran \(backend.map(\.description).joined(separator: ", "))"
    if let backendFailure {
      return text + ", which failed: \(backendFailure.split(separator: "\n").joined(separator: "; "))"
    }
    if !failed.isEmpty {
      return text + "; did not hold in time: \(failed.map(\.description).joined(separator: "; "))"
    }
    if checks.isEmpty { return text + " (nothing to verify)" }
    return text + "; verified: \(checks.map(\.description).joined(separator: ", "))"
  }
}

/// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the epoch.
func utcTime(_ seconds: Int) -> String {
  var t = time_t(seconds)
  var parts = tm()
  gmtime_r(&t, &parts)
  var buffer = [CChar](repeating: 0, count: 32)
  strftime(&buffer, 32, "%Y-%m-%d %H:%M:%S UTC", &parts)
  return String(cString: buffer)
}
