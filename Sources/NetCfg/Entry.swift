import ArgumentParser
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
    var names = ["help"]
    var hidden: [String] = []
    for command in NetCfg.configuration.subcommands {
      let configuration = command.configuration
      guard let name = configuration.commandName else { continue }
      if configuration.shouldDisplay { names.append(name) } else { hidden.append(name) }
    }
    if arguments.isEmpty {
      FileHandleWriter.stderr("Usage: " + NetCfg.usageString() + "\n  See 'netcfg --help' for the commands.\n")
      exit(ExitCode(64).rawValue)
    }
    let json = arguments.contains("--json")
    let asked = arguments[0] == "help" ? arguments.dropFirst().first : arguments[0]
    if let asked, !asked.hasPrefix("-"), !names.contains(asked), !hidden.contains(asked) {
      let close = names.filter { NameDistance.isClose(asked, $0) || $0.hasPrefix(asked) }
      var message = "unknown command '\(asked)'"
      if !close.isEmpty { message += "; did you mean \(close.joined(separator: " or "))?" }
      FileHandleWriter.stderr("netcfg: " + message + "\n  See 'netcfg --help' for the commands.\n")
      fail(message, 64, json: json)
    }
    do {
      var command = try NetCfg.parseAsRoot(arguments)
      try command.run()
    } catch {
      let code = NetCfg.exitCode(for: error)
      let message = NetCfg.fullMessage(for: error)
      if code == .success {
        if !message.isEmpty { print(message) }
      } else if !message.isEmpty {
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
        FileHandleWriter.stderr("netcfg: " + text + "\n")
        Output.lastError = Output.lastError ?? String(text.prefix { $0 != "\n" })
      }
      fail(Output.lastError ?? "failed", code.rawValue, json: json)
    }
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
