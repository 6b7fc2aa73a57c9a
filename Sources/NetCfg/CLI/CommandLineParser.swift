/// Matches a command line to a command and its declared parameters: subcommand names first,
/// then options (`--name VALUE`, `--name=VALUE`, `-v`, `-vq`) and arguments in any order,
/// `--` ending the options.
struct CommandLineParser {
  /// What the command line asks for.
  enum Outcome {
    case run(any Command, path: [any Command.Type])
    case help(path: [any Command.Type])
    case version
  }

  /// A usage error with the command it is about (for its usage line).
  struct Failure: Error {
    let error: UsageError
    let path: [any Command.Type]
  }

  let root: any Command.Type

  func parse(_ arguments: [String]) throws(Failure) -> Outcome {
    var path: [any Command.Type] = [root]
    var rest = arguments[...]
    if rest.first == "help" {
      rest = rest.dropFirst()
      for name in rest {
        guard let sub = Self.subcommand(named: name, of: path.last!) else {
          throw Failure(error: UsageError("unknown command '\(name)'"), path: path)
        }
        path.append(sub)
      }
      return .help(path: path)
    }
    while let name = rest.first, let sub = Self.subcommand(named: name, of: path.last!) {
      path.append(sub)
      rest = rest.dropFirst()
    }
    let command = path.last!
    if rest.isEmpty && !command.info.subcommands.isEmpty { return .help(path: path) }
    do throws(UsageError) {
      let parameters = command.parameters
      guard let values = try Self.values(Array(rest), parameters) else { return .help(path: path) }
      if values["--version"] != nil { return .version }
      var reader = Arguments(values: values)
      let parsed = try command.init(&reader)
      try parsed.validate()
      return .run(parsed, path: path)
    } catch {
      throw Failure(error: error, path: path)
    }
  }

  static func subcommand(named name: String, of command: any Command.Type) -> (any Command.Type)? {
    command.info.subcommands.first { $0.info.name == name }
  }

  /// The values of `tokens` by parameter name; nil when help was asked for.
  static func values(_ tokens: [String], _ parameters: [Parameter]) throws(UsageError) -> Arguments.Values? {
    var values: Arguments.Values = [:]
    var positional: [String] = []
    var i = 0
    while i < tokens.count {
      let token = tokens[i]
      i += 1
      if token == "--" {
        positional += tokens[i...]
        break
      }
      if token == "--help" || token == "-h" { return nil }
      if token == "--version" {
        values["--version"] = []
        continue
      }
      if token.hasPrefix("--") {
        let body = token.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
        guard let parameter = parameters.first(where: { !$0.kind.isPositional && $0.name == name }) else {
          throw UsageError("Unknown option '--\(name)'")
        }
        try take(parameter, inline: inline, tokens, &i, &values)
      } else if token.hasPrefix("-") && token.count > 1 {
        var letters = token.dropFirst()
        while let letter = letters.first {
          letters = letters.dropFirst()
          if letter == "h" { return nil }
          guard let parameter = parameters.first(where: { !$0.kind.isPositional && $0.short == letter }) else {
            throw UsageError("Unknown option '-\(letter)'")
          }
          if parameter.kind.takesValue {
            try take(parameter, inline: letters.isEmpty ? nil : String(letters), tokens, &i, &values)
            break
          }
          values[parameter.name, default: []].append("")
        }
      } else {
        positional.append(token)
      }
    }
    if values["--version"] != nil { return values }
    var next = 0
    for parameter in parameters where parameter.kind.isPositional {
      switch parameter.kind {
      case .argument:
        guard next < positional.count else { throw UsageError("Missing expected argument '\(parameter.label)'", parameter: parameter) }
        values[parameter.name] = [positional[next]]
        next += 1
      case .optionalArgument:
        if next < positional.count {
          values[parameter.name] = [positional[next]]
          next += 1
        }
      default:
        if parameter.kind == .requiredArguments && next >= positional.count {
          throw UsageError("Missing expected argument '\(parameter.label)'", parameter: parameter)
        }
        values[parameter.name] = Array(positional[next...])
        next = positional.count
      }
    }
    if next < positional.count { throw UsageError("Unexpected argument '\(positional[next])'") }
    return values
  }

  /// An option's value: after `=`, else the next token; `--name A B` takes the values up to
  /// the next option.
  private static func take(
    _ parameter: Parameter, inline: String?, _ tokens: [String], _ i: inout Int, _ values: inout Arguments.Values
  ) throws(UsageError) {
    if parameter.kind == .flag {
      if let inline {
        throw UsageError("The option '--\(parameter.name)' does not take any value, but '\(inline)' was specified.")
      }
      values[parameter.name, default: []].append("")
      return
    }
    var taken: [String] = inline.map { [$0] } ?? []
    func isValue(_ token: String) -> Bool { !token.hasPrefix("-") || token == "-" }
    if taken.isEmpty, i < tokens.count, isValue(tokens[i]) {
      taken.append(tokens[i])
      i += 1
    }
    guard !taken.isEmpty else { throw UsageError("Missing value for '\(parameter.label)'", parameter: parameter) }
    if parameter.kind == .options {
      while i < tokens.count, isValue(tokens[i]) {
        taken.append(tokens[i])
        i += 1
      }
    }
    values[parameter.name, default: []] += taken
  }
}
