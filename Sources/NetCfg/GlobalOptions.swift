import NetCfgCore
import NetCfgYAML

#if canImport(Glibc)
  import Glibc
#endif

/// Options every subcommand accepts.
struct GlobalOptions {
  /// Operate on the tree below this directory.
  var root = "/"
  var json = false
  var noColor = false
  var verbose = false
  var quiet = false
  var netplanVersion: NetplanVersion?
  var showSecrets = false

  init() {}

  init(_ a: inout Arguments) throws(UsageError) {
    self = try a.group("global") { a throws(UsageError) in
      var o = GlobalOptions()
      o.root = a.option("root", default: "/", valueName: "DIR", help: "Operate on the tree below DIR (images, chroots, tests).")
      o.json = a.flag("json", help: "Machine-readable output on stdout.")
      o.noColor = a.flag("no-color", help: "Never colour the output (NO_COLOR is honoured too).")
      o.verbose = a.flag("verbose", short: "v", help: "Say more.")
      o.quiet = a.flag("quiet", short: "q", help: "Say only what went wrong.")
      o.netplanVersion = try a.option(
        "netplan-version", as: NetplanVersion.self, valueName: "V",
        help: "Check by the rules of this netplan (0.106 or 1.1); by default those of the netplan installed below the root.")
      o.showSecrets = a.flag("show-secrets", help: "Show secret values (wifi passwords, WireGuard keys) instead of *** in diffs and messages.")
      return o
    }
    if a.isReading { try validate() }
  }

  var fileSystem: FileSystem { FileSystem(root: root) }

  /// The netplan rules in force: --netplan-version, else the installed netplan's.
  var netplanRules: NetplanVersion.Detected {
    if let netplanVersion { return NetplanVersion.Detected(version: netplanVersion, package: nil, source: "--netplan-version") }
    return NetplanVersion.installed(fileSystem)
  }

  func validate() throws(UsageError) {
    var info = stat()
    if stat(root, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
      throw UsageError("--root \(root): no such directory")
    }
  }

  var console: Console { Console(color: !noColor && !json, showSecrets: showSecrets) }

  /// The netplan configuration below `--root`, kept until the process ends, after recovery; `validate: false` for commands that only read values
  /// or validate their own result (the edits), which then skip checking the files as found.
  /// `recover: false` for the reading commands: they never change anything, and only say
  /// that a recovery is pending. `rules`: the netplan rules when the caller already has them.
  /// `only`: just the value at this path is wanted (`get`): nothing else is merged or checked.
  func loadNetplan(
    validate: Bool = true, recover: Bool = true, rules: NetplanVersion.Detected? = nil, only path: YAMLPath? = nil,
    keep: Bool = true
  ) throws -> NetplanConfiguration {
    if recover {
      recoverIfNeeded()
    } else if Recovery(fs: fileSystem).needsRecovery() || StateStore(fileSystem).hasInterruptedEdit {
      console.err("netcfg: note: a change did not finish (or was not confirmed in time) and awaits `netcfg recover`; this shows the files as they are now")
    }
    let config =
      if let path { try NetplanConfiguration.load(fileSystem, only: path) } else {
        try NetplanConfiguration.load(fileSystem, validate: validate, version: (rules ?? netplanRules).version)
      }
    if keep { keepUntilExit(config) }
    return config
  }
}

extension GlobalOptions {
  /// Any netcfg command first finishes what a crash, a reboot or a missed `try` deadline left:
  /// the journaled files go back (see `netcfg recover`).
  func recoverIfNeeded() {
    let recovery = Recovery(fs: fileSystem)
    guard recovery.needsRecovery() else { return }
    if let recovered = try? recovery.rollBack(wait: 0) {
      console.err("netcfg: recovered: `\(recovered.command)` did not finish (or was not confirmed): " + recovered.summary)
      if !recovered.ok { console.err("netcfg: RECOVERY NOT VERIFIED — the network may not be as the files say") }
    }
  }
}

extension GlobalOptions {
  /// Waits up to `wait` seconds for other netcfg commands changing the files of the same
  /// root (a lock on its /etc directory, held by edits from reading the files to writing
  /// them, and by transactions to their end): two at once would lose one's change, or roll
  /// back the other's.
  func lockEdits(wait: Double) throws(EditError) -> Int32 {
    // From here on, finishing matters more than the terminal: an SSH session that dies (the
    // new address may cut it) must not stop a transaction between its journal and its end.
    signal(SIGHUP, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    let fs = fileSystem
    guard let lock = try StateStore(fs).editLock(wait: wait) else {
      throw EditError(
        .failure,
        "another netcfg command (a transaction or an edit) is changing the files under \(fs.hostPath("/"))\(wait > 0 ? " and did not finish within \(Int(wait)) s" : ""); nothing was done: wait for it, or pass --wait SECONDS")
    }
    do {
      if let command = try StateStore(fs).finishInterruptedEdit() {
        console.err("netcfg: recovered: `\(command)` was cut short while writing its files; they are back as they were")
      }
    } catch {
      fs.unlock(lock)
      throw EditError(.failure, "cannot put back the files of an edit that was cut short: \(error)")
    }
    return lock
  }

  /// `lockEdits` for the transaction commands: a failure is printed and exits 1.
  func lockEditsOrExit(wait: Double) throws -> Int32 {
    do { return try lockEdits(wait: wait) } catch {
      console.err("netcfg: " + error.message)
      throw Exit.failure
    }
  }
}

/// Values kept alive until the process exits: freeing a parsed configuration of thousands of
/// devices node by node costs more CPU than reading it, and the kernel reclaims it at exit.
nonisolated(unsafe) private var keptUntilExit: [Any] = []

func keepUntilExit(_ value: Any) { keptUntilExit.append(value) }

/// Exit codes of the command-line contract.
enum Exit {
  static let failure = ExitCode(1)
  static let usage = ExitCode(64)
  static let invalidConfiguration = ExitCode(65)
}

extension NetplanVersion: ArgumentValue {
  init?(argument: String) {
    guard let version = NetplanVersion.allCases.first(where: { $0.rawValue == argument || "v" + $0.rawValue == argument }) else {
      return nil
    }
    self = version
  }

  static var choices: [String] { allCases.map(\.rawValue) }
}

extension NetplanVersion.Detected {
  /// `{"netplan-version", "package", "source"}` for --json.
  var json: JSONValue {
    .object([("netplan-version", .string(version.rawValue)), ("package", .optional(package)), ("source", .string(source))])
  }
}
