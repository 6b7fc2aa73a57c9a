/// A netcfg command: what it is called, what it says about itself, and its parameters, read
/// in `init` (see `Arguments`).
protocol Command {
  static var info: CommandInfo { get }
  init(_ arguments: inout Arguments) throws(UsageError)
  /// Checks of the values together (after `init` read them); a thrown error is a usage error.
  func validate() throws(UsageError)
  func run() throws
  /// What `init` declares (given by the extension).
  static var parameters: [Parameter] { get }
}

extension Command {
  func validate() throws(UsageError) {}
  /// A group of commands (`dns`, `cloud-init`) runs none itself: it shows its help.
  func run() throws { throw HelpRequest(path: nil) }

  /// What `init` declares.
  static var parameters: [Parameter] {
    var arguments = Arguments()
    do { _ = try Self(&arguments) } catch {}
    return arguments.declared
  }
}

/// A command with no parameters of its own (a group of subcommands).
protocol CommandGroup: Command {
  init()
}

extension CommandGroup {
  init(_ arguments: inout Arguments) throws(UsageError) { self.init() }
}

struct CommandInfo: @unchecked Sendable {  // metatypes and strings, never changed
  let name: String
  var abstract = ""
  var discussion = ""
  var subcommands: [any Command.Type] = []
  /// Left out of the help, the manual and the completions (the internal `watchdog`).
  var hidden = false
}

/// `--help` (or a group run without a subcommand): the help of the command at `path`.
struct HelpRequest: Error {
  /// nil: the command that was run.
  let path: [any Command.Type]?
}
