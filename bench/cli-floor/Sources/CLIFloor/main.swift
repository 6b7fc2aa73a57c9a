import ArgumentParser

// netcfg set-ip's options (GlobalOptions, EditOptions with its option groups, SetIP's own),
// declared the same way; running prints nothing and touches no file.

struct GlobalOptions: ParsableArguments {
  @Option var root: String = "/"
  @Flag var json = false
  @Flag(name: .customLong("no-color")) var noColor = false
  @Flag(name: .shortAndLong) var verbose = false
  @Flag(name: .shortAndLong) var quiet = false
  @Option(name: .customLong("netplan-version")) var netplanVersion: String?
  @Flag var showSecrets = false
}

struct ApplyOptions: ParsableArguments {
  @Flag var noVerify = false
  @Option var verifyTimeout: Double?
  @Option(parsing: .singleValue) var checkHost: [String] = []
  @Option(parsing: .singleValue) var checkDns: [String] = []
  @Option(parsing: .singleValue) var checkTcp: [String] = []
  @Option var wait: Double = 0
}

struct ConfirmOptions: ParsableArguments {
  @Option var timeout: Double?
}

struct EditOptions: ParsableArguments {
  @Flag var dryRun = false
  @Flag var new = false
  @Option var file: String?
  @Flag var apply = false
  @Flag(name: .customLong("try")) var tryChange = false
  @OptionGroup var applyOptions: ApplyOptions
  @OptionGroup var confirm: ConfirmOptions
}

struct SetIP: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "set-ip")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var edit: EditOptions
  @Argument var interface: String
  @Argument var addresses: [String] = []
  @Option var gateway: String?
  @Option var gateway6: String?
  @Option(parsing: .upToNextOption) var dns: [String] = []
  @Option(parsing: .upToNextOption) var search: [String] = []
  @Flag var keepDhcp = false
  @Flag var onLink = false
  @Flag var force = false

  func run() {}
}

struct Get: ParsableCommand {
  @OptionGroup var options: GlobalOptions
  @Argument var key: String
  func run() {}
}

@main
struct CLIFloor: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "netcfg", version: "0", subcommands: [SetIP.self, Get.self])
}
