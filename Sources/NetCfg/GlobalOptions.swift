import ArgumentParser
import NetCfgCore

/// Options every subcommand accepts.
struct GlobalOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Operate on the tree below DIR (images, chroots, tests).", valueName: "DIR"))
  var root: String = "/"

  @Flag(help: "Machine-readable output on stdout.")
  var json = false

  @Flag(name: .customLong("no-color"), help: "Never colour the output (NO_COLOR is honoured too).")
  var noColor = false

  @Flag(name: .shortAndLong, help: "Say more.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "Say only what went wrong.")
  var quiet = false

  var fileSystem: FileSystem { FileSystem(root: root) }

  var console: Console { Console(color: !noColor && !json) }
}

/// Exit codes of the command-line contract.
enum Exit {
  static let failure = ExitCode(1)
  static let usage = ExitCode(64)
  static let invalidConfiguration = ExitCode(65)
}
