import NetCfgCore

#if canImport(Glibc)
  import Glibc
#endif

/// The process entry: parses and runs a command, and says what went wrong the netcfg way
/// (`netcfg: ...` on stderr, exit 64 for usage errors, including an unknown or missing
/// command, with the close names).
@main
enum Entry {
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty {
      FileHandleWriter.stderr("Usage: " + Help.usage([NetCfg.self]) + "\n  See 'netcfg --help' for the commands.\n")
      exit(Exit.usage.rawValue)
    }
    let json = arguments.contains("--json")
    if let generated = Generated.output(arguments) {
      print(generated, terminator: "")
      exit(0)
    }
    let names = ["help"] + NetCfg.info.subcommands.map { $0.info.name }
    let asked = arguments[0] == "help" ? arguments.dropFirst().first : arguments[0]
    if let asked, !asked.hasPrefix("-"), !names.contains(asked) {
      let shown = ["help"] + NetCfg.info.subcommands.filter { !$0.info.hidden }.map { $0.info.name }
      let close = shown.filter { NameDistance.isClose(asked, $0) || $0.hasPrefix(asked) }
      var message = "unknown command '\(asked)'"
      if !close.isEmpty { message += "; did you mean \(close.joined(separator: " or "))?" }
      FileHandleWriter.stderr("netcfg: " + message + "\n  See 'netcfg --help' for the commands.\n")
      fail(message, Exit.usage.rawValue, json: json)
    }
    switch parse(arguments, json: json) {
    case .version:
      print(NetCfgVersion.string)
    case .help(let path):
      print(Help.text(path), terminator: "")
    case .run(let command, let path):
      run(command, path: path, json: json)
    }
    exit(0)
  }

  static func parse(_ arguments: [String], json: Bool) -> CommandLineParser.Outcome {
    do {
      return try CommandLineParser(root: NetCfg.self).parse(arguments)
    } catch {
      usageFailure(error.error, error.path, json: json)
    }
  }

  /// Runs `command`; its errors end the process with their exit status.
  static func run(_ command: any Command, path: [any Command.Type], json: Bool) {
    do {
      try command.run()
    } catch {
      switch error {
      case let exit as ExitCode:
        if exit != .success { fail(Output.lastError ?? "failed", exit.rawValue, json: json) }
      case let usage as UsageError:
        usageFailure(usage, path, json: json)
      case let request as HelpRequest:
        print(Help.text(request.path ?? path), terminator: "")
      default:
        let text = "\(error)"
        FileHandleWriter.stderr("netcfg: " + text + "\n")
        fail(Output.lastError ?? String(text.prefix { $0 != "\n" }), Exit.failure.rawValue, json: json)
      }
    }
  }

  /// `netcfg: MESSAGE`, the parameter's help, the usage line; exit 64.
  static func usageFailure(_ error: UsageError, _ path: [any Command.Type], json: Bool) -> Never {
    var text = "netcfg: " + error.message + "\n"
    if let parameter = error.parameter { text += "Help:  \(parameter.label)  \(parameter.help)\n" }
    text += "Usage: " + Help.usage(path) + "\n"
    text += "  See '\(Help.name(path)) --help' for more information.\n"
    FileHandleWriter.stderr(text)
    Output.lastError = Output.lastError ?? error.message
    fail(error.message, Exit.usage.rawValue, json: json)
  }

  /// Exits with `status`; with --json, first the one object promised on stdout when the
  /// command printed none.
  static func fail(_ message: String, _ status: Int32, json: Bool) -> Never {
    if json && !Output.wroteStdout && status != 0 {
      print(JSONValue.object([("error", .string(message)), ("status", .int(Int(status)))]).serialized())
    }
    exit(status)
  }
}
