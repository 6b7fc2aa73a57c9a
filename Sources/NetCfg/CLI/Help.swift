/// `--help` and the usage line, from what the commands declare.
enum Help {
  static let width = 80
  /// Where the help of an option starts.
  static let column = 26

  /// The command line of `path`: `netcfg dns set`.
  static func name(_ path: [any Command.Type]) -> String {
    path.map { $0.info.name }.joined(separator: " ")
  }

  /// `netcfg show [--root <DIR>] ... [<interface>]`; `[<options>]` when that gets long.
  static func usage(_ path: [any Command.Type]) -> String {
    let command = path.last!
    if !command.info.subcommands.isEmpty { return name(path) + " <subcommand>" }
    let parameters = command.parameters
    let options = parameters.filter { !$0.kind.isPositional }.map(\.usage)
    let positional = parameters.filter { $0.kind.isPositional }.map(\.usage)
    let full = ([name(path)] + options + positional).joined(separator: " ")
    if full.count <= 160 { return full }
    return ([name(path), "[<options>]"] + positional).joined(separator: " ")
  }

  static func text(_ path: [any Command.Type]) -> String {
    let command = path.last!
    let info = command.info
    var out = wrap("OVERVIEW: " + info.abstract, indent: 0) + "\n"
    if !info.discussion.isEmpty {
      out += "\n" + info.discussion.split(separator: "\n", omittingEmptySubsequences: false).map { wrap(String($0), indent: 0) }.joined(separator: "\n") + "\n"
    }
    out += "\nUSAGE: " + usage(path) + "\n"
    let parameters = command.parameters
    let positional = parameters.filter { $0.kind.isPositional }
    if !positional.isEmpty {
      out += "\nARGUMENTS:\n" + positional.map { item("<\($0.valueName ?? $0.name)>", describe($0)) }.joined()
    }
    out += "\nOPTIONS:\n"
    out += parameters.filter { !$0.kind.isPositional }.map { item($0.label, describe($0)) }.joined()
    out += item("--version", "Show the version.") + item("-h, --help", "Show help information.")
    let subcommands = info.subcommands.filter { !$0.info.hidden }
    if !subcommands.isEmpty {
      out += "\nSUBCOMMANDS:\n" + subcommands.map { item($0.info.name, $0.info.abstract) }.joined()
      let helpCommand = (["netcfg help"] + path.dropFirst().map { $0.info.name } + ["<subcommand>"]).joined(separator: " ")
      out += "\n  See '\(helpCommand)' for detailed help.\n"
    }
    return out
  }

  /// The help of a parameter with its choices and default.
  static func describe(_ parameter: Parameter) -> String {
    var text = parameter.help
    if !parameter.choices.isEmpty { text += " (values: " + parameter.choices.joined(separator: ", ") + ")" }
    if let value = parameter.defaultValue { text += " (default: \(value))" }
    return text
  }

  /// `  LABEL   help, wrapped at the column`.
  static func item(_ label: String, _ help: String) -> String {
    let head = "  " + label
    let body = wrap(help, indent: column, width: width)
    if head.count < column {
      return head + String(repeating: " ", count: column - head.count) + body.dropFirst(column) + "\n"
    }
    return head + "\n" + body + "\n"
  }

  /// `text` in lines of at most `width` columns, every line indented by `indent`.
  static func wrap(_ text: String, indent: Int, width: Int = width) -> String {
    let pad = String(repeating: " ", count: indent)
    var lines: [String] = []
    var line = pad
    for word in text.split(separator: " ") {
      if line.count > indent && line.count + 1 + word.count > width {
        lines.append(line)
        line = pad
      }
      line += (line.count > indent ? " " : "") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }
}
