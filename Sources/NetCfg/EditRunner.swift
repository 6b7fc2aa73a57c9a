import NetCfgCore
import NetCfgYAML

#if canImport(Glibc)
  import Glibc
#endif

/// Options every edit command takes.
struct EditOptions {
  var dryRun = false
  var new = false
  var file: String?
  var apply = false
  var tryChange = false
  var applyOptions = ApplyOptions()
  var confirm = ConfirmOptions()

  init(_ a: inout Arguments) throws(UsageError) {
    try a.group("edit") { a throws(UsageError) in
      dryRun = a.flag("dry-run", help: "Print the unified diff and write nothing.")
      new = a.flag("new", help: "Create a definition for an interface name that nothing defines (and no network link has).")
      file = a.option("file", valueName: "NAME", help: "Write to this file in /etc/netplan (also when a later file would override it).")
      apply = a.flag("apply", help: "Apply at once, verified, as one transaction with the edit (a failure puts the old files back).")
      tryChange = a.flag("try", help: "Like --apply, then roll back after --timeout seconds unless confirmed (Enter, or `netcfg confirm`).")
    }
    applyOptions = try ApplyOptions(&a)
    confirm = try ConfirmOptions(&a)
    if a.isReading { try validate() }
  }

  func validate() throws(UsageError) {
    if apply && tryChange { throw UsageError("--apply and --try exclude each other") }
    if confirm.timeout != nil && !tryChange { throw UsageError("--timeout goes with --try") }
    if applyOptions.anyGiven && !apply && !tryChange {
      throw UsageError("the verification options (--check-host, --verify-timeout, ...) go with --apply or --try")
    }
  }
}

/// Runs an edit command: plan, check, then print or write, with the contract's exit codes.
struct EditRunner {
  let options: GlobalOptions
  let edit: EditOptions
  /// `migrate`: written /etc files get 0600, and files only readable by others too.
  var fixModes = false

  /// `plan` records its edits in the editor and returns the check of the result.
  func run(_ plan: (inout NetplanEditor) throws(EditError) -> (NetplanConfiguration) -> [String]) throws {
    // Freed memory is left to glibc's own thresholds: a lower trim threshold (mallopt) fixed
    // both at 128 KiB, so that every large array was mapped anew and faulted in page by page
    // (set-ip at 10,000 devices 2.5 ms slower, for 0.45 MiB less at its peak).
    try runChanges(netplan: true) {
      // The editor holds the only reading: it frees what the result does not need.
      var editor = try NetplanEditor(options.loadNetplan(validate: false, keep: false), file: edit.file)
      editor.allowsNewDevices = edit.new || edit.file != nil
      editor.links = options.root == "/" ? (try? options.fileSystem.list("/sys/class/net")) ?? [] : []
      let verify = try plan(&editor)
      // A plain edit of one file writes it beside its place (synced) while the result is
      // checked, and puts it in place only when the checks pass (removed otherwise): the
      // fsync of a large file took as long as the checks. Not for a dry run, a mode fix or
      // an edit applied at once (a transaction writes its files itself).
      let early = edit.dryRun || edit.apply || edit.tryChange || fixModes ? nil : editor.singleFileChange().map { file in
        let fs = options.fileSystem
        return Started { try? fs.prepareAtomicWrite(file.path, file.bytes, mode: file.mode, owner: file.owner) }
      }
      var changes: ChangeSet
      do { changes = try editor.finish(verify: verify) } catch {
        early?.wait()?.discard()
        throw error
      }
      changes.prepared = early?.wait() ?? nil
      if fixModes {
        for i in changes.files.indices where changes.files[i].mode & 0o077 != 0 { changes.files[i].mode = 0o600 }
        changes.files += NetCfgCore.Migrate.modeFixes(editor.original, excluding: Set(changes.files.map(\.path)))
        changes.diagnostics.removeAll { $0.code == "file-mode" }  // fixed by this very command
      }
      return changes
    }
  }

  /// Runs an edit that computes its `ChangeSet` itself (DNS, cloud-init); `netplan`: whether
  /// it edits netplan files (`--file` and `--new` mean nothing to the others).
  func runChanges(netplan: Bool = false, _ plan: () throws -> ChangeSet) throws {
    let console = options.console
    do {
      if !netplan, edit.file != nil || edit.new {
        throw EditError(.usage, "--file and --new are for netplan edits; this one writes no netplan file")
      }
      if edit.tryChange && options.root != "/" {
        throw EditError(.usage, "--try needs the live system (not --root): there would be nothing to roll back from")
      }
      // One edit at a time from reading the files to writing them: two at once would each
      // write its own result and one would be lost.
      // Edits take milliseconds: wait for another one (a minute means something is stuck).
      let lock = edit.dryRun ? nil : try options.lockEdits(wait: max(60, edit.applyOptions.wait))
      defer { lock.map(options.fileSystem.unlock) }
      let changes = try plan()
      if (edit.apply || edit.tryChange) && !edit.dryRun && changes.changed {
        // The edit and the apply are one transaction: a failed verification restores the
        // files as they were before the edit.
        if !options.json { report(changes, console, written: false) }
        // Re-addressing over SSH: say before anything is applied that this session will drop.
        var dropping: (session: SSHSession, addresses: [String])?
        if edit.tryChange, let session = SSHSession(connection: getenv("SSH_CONNECTION").map { String(cString: $0) }),
          let before = try? NetplanConfiguration.load(options.fileSystem, validate: false)
        {
          let after = before.replacing(Dictionary(uniqueKeysWithValues: changes.files.filter { $0.path.hasPrefix("/etc/netplan/") }.map { ($0.path, $0.after) }))
          if let drop = session.dropped(before: before, after: after) {
            console.err("netcfg: " + session.warning(device: drop.device, addresses: drop.addresses, seconds: Int(edit.confirm.seconds)))
            dropping = (session, drop.addresses)
          }
        }
        var transactionOptions = edit.applyOptions.transactionOptions
        if edit.tryChange {
          transactionOptions.confirmWithin = edit.confirm.seconds
          transactionOptions.armWatchdog = ConfirmationWait.spawnWatchdog
        }
        var transaction = Transaction(fs: options.fileSystem, options: transactionOptions)
        let outcome = try transaction.run(changes, command: Secrets.commandLine(CommandLine.arguments.dropFirst()))
        try finish(
          outcome, transaction, console, json: options.json, quiet: options.quiet,
          extra: [
            ("changed", true), ("written", true),
            ("files", .array(changes.files.map { .object([("path", .string($0.path)), ("diff", .string(console.secret($0.diff)))]) })),
            ("diagnostics", .array(changes.diagnostics.map(\.json))),
          ], dropping: dropping)
        return
      }
      if !edit.dryRun, changes.changed {
        try StateStore(options.fileSystem).writeEdit(changes, command: Secrets.commandLine(CommandLine.arguments.dropFirst()))
      }
      report(changes, console)
    } catch let error as EditError {
      if options.json {
        console.out(JSONValue.object([
          ("changed", false), ("files", []), ("error", .string(error.message)),
          ("diagnostics", .array(error.diagnostics.map(\.json))),
        ]).serialized())
      } else {
        console.report(error.diagnostics, quiet: false)
        console.err("netcfg: " + error.message)
      }
      switch error.kind {
      case .usage: throw Exit.usage
      case .invalid: throw Exit.invalidConfiguration
      case .failure: throw Exit.failure
      }
    } catch let error as FileSystemError {
      console.err("netcfg: \(error)")
      throw Exit.failure
    }
  }

  /// What to run for the written files to take effect.
  func notApplied(_ changes: ChangeSet) -> String {
    if changes.files.allSatisfy({ $0.path.hasPrefix("/etc/cloud/") }) { return "cloud-init reads it at the next boot" }
    return "not applied yet: run `netcfg apply` (or `netcfg try`), or edit with --apply"
  }

  func report(_ changes: ChangeSet, _ console: Console, written: Bool? = nil) {
    if options.json {
      console.out(JSONValue.object([
        ("changed", .bool(changes.changed)), ("written", .bool(written ?? (changes.changed && !edit.dryRun))),
        ("files", .array(changes.files.map { .object([("path", .string($0.path)), ("diff", .string(console.secret($0.diff)))]) })),
        ("diagnostics", .array(changes.diagnostics.map(\.json))),
      ]).serialized())
      return
    }
    console.report(changes.diagnostics, quiet: options.quiet)
    guard changes.changed else {
      if !options.quiet { console.out("unchanged") }
      return
    }
    if !options.quiet || edit.dryRun {
      for change in changes.files {
        if change.modeOnly {
          console.out("\(change.path): mode set to 0600")
        } else {
          console.out(console.colorDiff(console.secret(change.diff)), terminator: "")
        }
      }
    }
    if !edit.dryRun && written != false && !options.quiet {
      console.err("netcfg: wrote " + changes.files.map(\.path).joined(separator: ", ") + "; " + notApplied(changes))
    }
  }
}
