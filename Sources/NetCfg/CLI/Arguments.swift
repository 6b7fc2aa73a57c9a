/// netcfg's command line, without reflection: a command declares its options and arguments
/// by reading them from an `Arguments` in its `init`. The same `init` runs twice: once
/// declaring (the values are defaults; help, usage, the manual and the completions come
/// from what it declared), then reading what `CommandLineParser` found on the command line.
/// One place names each option, its help and its type.
struct Arguments {
  /// What the parser found, by parameter name (options: long name; arguments: their name).
  typealias Values = [String: [String]]

  private(set) var declared: [Parameter] = []
  /// nil while declaring.
  private let values: Values?
  /// The group being declared (`GlobalOptions`, ...), for the manual.
  private var group: String?

  /// Declares.
  init() { values = nil }

  /// Reads.
  init(values: Values) { self.values = values }

  var isReading: Bool { values != nil }

  /// Declares the parameters `body` reads as one group (the options every command, or every
  /// edit, shares), so that the manual can describe them once.
  mutating func group<T>(_ name: String, _ body: (inout Arguments) throws(UsageError) -> T) throws(UsageError) -> T {
    let outer = group
    group = name
    defer { group = outer }
    return try body(&self)
  }

  /// Declaring: records the parameter. Reading: its values (nothing is recorded: only the
  /// declaring pass's list is ever used).
  private mutating func declare(_ parameter: Parameter) -> [String]? {
    if let values { return values[parameter.name] }
    var parameter = parameter
    parameter.group = group
    declared.append(parameter)
    return nil
  }

  // MARK: Options

  /// `--name`: present or not.
  mutating func flag(_ name: String, short: Character? = nil, help: String) -> Bool {
    !(declare(Parameter(.flag, name, short: short, help: help)) ?? []).isEmpty
  }

  /// `--name VALUE`, the last one given.
  mutating func option(_ name: String, valueName: String? = nil, help: String) -> String? {
    declare(Parameter(.option, name, valueName: valueName, help: help))?.last
  }

  /// `--name VALUE` with a default shown in the help.
  mutating func option(_ name: String, default value: String, valueName: String? = nil, help: String) -> String {
    var parameter = Parameter(.option, name, valueName: valueName, help: help)
    parameter.defaultValue = value
    return declare(parameter)?.last ?? value
  }

  /// `--name VALUE` of a type (a number, an enumeration).
  mutating func option<T: ArgumentValue>(_ name: String, as type: T.Type, valueName: String? = nil, help: String) throws(UsageError) -> T? {
    let parameter = Parameter(.option, name, valueName: valueName, help: help)
    guard let text = declare(isReading ? parameter : parameter.described(T.self))?.last else { return nil }
    guard let value = T(argument: text) else { throw UsageError.invalidValue(text, parameter.described(T.self)) }
    return value
  }

  /// `--name VALUE` of a type, with a default shown in the help.
  mutating func option<T: ArgumentValue>(_ name: String, default value: T, valueName: String? = nil, help: String) throws(UsageError) -> T {
    let parameter = Parameter(.option, name, valueName: valueName, help: help)
    guard let text = declare(isReading ? parameter : parameter.described(T.self, default: value))?.last else { return value }
    guard let parsed = T(argument: text) else { throw UsageError.invalidValue(text, parameter.described(T.self, default: value)) }
    return parsed
  }

  /// `--name VALUE`, repeatable (`--name A --name B`); `upToNextOption`: also
  /// `--name A B` (the values up to the next option).
  mutating func options(_ name: String, upToNextOption: Bool = false, valueName: String? = nil, help: String) -> [String] {
    declare(Parameter(upToNextOption ? .options : .repeatable, name, valueName: valueName, help: help)) ?? []
  }

  // MARK: Arguments (positional)

  /// A required argument.
  mutating func argument(_ name: String, valueName: String? = nil, help: String) -> String {
    declare(Parameter(.argument, name, valueName: valueName, help: help))?.first ?? ""
  }

  /// An argument that may be left out.
  mutating func optionalArgument(_ name: String, valueName: String? = nil, help: String) -> String? {
    declare(Parameter(.optionalArgument, name, valueName: valueName, help: help))?.first
  }

  /// The rest of the arguments; `required`: at least one.
  mutating func arguments(_ name: String, required: Bool = false, valueName: String? = nil, help: String) -> [String] {
    declare(Parameter(required ? .requiredArguments : .arguments, name, valueName: valueName, help: help)) ?? []
  }
}

/// One declared option or argument.
struct Parameter {
  enum Kind {
    case flag, option, repeatable, options
    case argument, optionalArgument, arguments, requiredArguments

    var isPositional: Bool {
      switch self {
      case .argument, .optionalArgument, .arguments, .requiredArguments: true
      default: false
      }
    }
    var takesValue: Bool { self != .flag && !isPositional }
    var isList: Bool { [.repeatable, .options, .arguments, .requiredArguments].contains(self) }
  }

  let kind: Kind
  /// An option's long name (without `--`) or an argument's name.
  let name: String
  var short: Character?
  var valueName: String?
  let help: String
  var defaultValue: String?
  var choices: [String] = []
  var group: String?

  init(_ kind: Kind, _ name: String, short: Character? = nil, valueName: String? = nil, help: String) {
    self.kind = kind
    self.name = name
    self.short = short
    self.valueName = valueName
    self.help = help
  }

  /// `--gateway <IP>`, `-v, --verbose`, `<interface>`, `<servers> ...` as help and errors
  /// show them.
  var label: String {
    let value = "<\(valueName ?? name)>"
    switch kind {
    case .flag: return (short.map { "-\($0), " } ?? "") + "--" + name
    case .option, .repeatable, .options: return (short.map { "-\($0), " } ?? "") + "--\(name) \(value)"
    case .argument, .optionalArgument, .arguments: return value
    case .requiredArguments: return value + " ..."
    }
  }

  /// How the usage line shows it.
  var usage: String {
    switch kind {
    case .flag: return "[--\(name)]"
    case .option: return "[--\(name) <\(valueName ?? name)>]"
    case .repeatable, .options: return "[--\(name) <\(valueName ?? name)> ...]"
    case .argument: return "<\(valueName ?? name)>"
    case .optionalArgument: return "[<\(valueName ?? name)>]"
    case .arguments: return "[<\(valueName ?? name)> ...]"
    case .requiredArguments: return "<\(valueName ?? name)> ..."
    }
  }
}

extension Parameter {
  /// With the choices of `type` and the text of its default: for the help and for an error
  /// only (reading a command line that is right needs neither, and formatting a Double
  /// costs a short command).
  func described<T: ArgumentValue>(_ type: T.Type, default value: T? = nil) -> Parameter {
    var parameter = self
    parameter.choices = T.choices
    if let value { parameter.defaultValue = value.shown }
    return parameter
  }
}

/// A value an option can take: a number, an enumeration.
protocol ArgumentValue {
  init?(argument: String)
  /// The values it can take, when they are few (help, completions, errors).
  static var choices: [String] { get }
  /// How a default shows in the help.
  var shown: String { get }
}

extension ArgumentValue {
  static var choices: [String] { [] }
  var shown: String { "\(self)" }
}

extension ArgumentValue where Self: RawRepresentable & CaseIterable, RawValue == String {
  init?(argument: String) { self.init(rawValue: argument) }
  static var choices: [String] { allCases.map(\.rawValue) }
  var shown: String { rawValue }
}

extension Double: ArgumentValue {
  init?(argument: String) {
    guard let value = Double(argument), value.isFinite else { return nil }
    self = value
  }
}

extension Int: ArgumentValue {
  init?(argument: String) { self.init(argument) }
}

/// A mistake on the command line: `netcfg: MESSAGE`, the usage, exit 64.
struct UsageError: Error {
  let message: String
  /// The parameter it is about, shown with its help.
  var parameter: Parameter?

  init(_ message: String, parameter: Parameter? = nil) {
    self.message = message
    self.parameter = parameter
  }

  static func invalidValue(_ text: String, _ parameter: Parameter) -> UsageError {
    var message = "The value '\(text)' is invalid for '\(parameter.label)'"
    if !parameter.choices.isEmpty {
      let quoted = parameter.choices.map { "'\($0)'" }
      message += ". Please provide one of " + (quoted.count == 2 ? quoted.joined(separator: " and ") : quoted.joined(separator: ", "))
    }
    return UsageError(message + (parameter.choices.isEmpty ? "" : "."), parameter: parameter)
  }
}

/// A command's own check of its values (`--apply and --try exclude each other`): a usage
/// error.
typealias ValidationError = UsageError

/// Ends a command with this exit status (what went wrong is already said).
struct ExitCode: Error, Equatable {
  let rawValue: Int32
  init(_ rawValue: Int32) { self.rawValue = rawValue }
  static let success = ExitCode(0)
}
