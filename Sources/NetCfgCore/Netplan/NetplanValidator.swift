import NetCfgYAML

/// All checks of netplan configuration: per file (the grammar, at each key's position) and of
/// the merged whole (references between devices, and the warnings netplan does not give).
public enum NetplanValidator {

  /// The grammar checks of one file, by the rules of netplan `version`.
  public static func check(_ file: YAMLFile, version: NetplanVersion = .v1_1) -> [Diagnostic] {
    guard let root = file.root else { return [] }
    var context = SchemaContext(file: file)
    context.validate(root, NetplanSchema.root)
    return NetplanVersionRules.fileDiagnostics(file, context.diagnostics, version)
  }

  /// Checks of the merged configuration: references between devices, then the warnings.
  public static func check(_ configuration: NetplanConfiguration, cloudInitNetworkDisabled: Bool = false) -> [Diagnostic] {
    combine(findings(configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled), given: configuration.diagnostics, configuration.netplanVersion)
  }

  typealias Findings = (semantic: [Diagnostic], warnings: [Diagnostic])

  /// The checks of the merged configuration before they are held against what the grammar
  /// found (`combine`): independent of the per-file checks, so the two can run at once.
  static func findings(_ configuration: NetplanConfiguration, cloudInitNetworkDisabled: Bool) -> Findings {
    (NetplanSemanticChecks.findings(configuration), NetplanWarnings.check(configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled))
  }

  /// The merged configuration's findings less those the grammar said already (`given`), by
  /// the rules of `version`.
  static func combine(_ found: Findings, given: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    NetplanVersionRules.semanticDiagnostics(NetplanSemanticChecks.unknown(found.semantic, given: given), version) + found.warnings
  }
}

extension NetplanValidator {
  /// How many parts the warnings' pass over the definitions is cut into on two threads.
  static let warningParts = 8

  /// `build()` (merging) and `findings` beside `grammar()`, on two threads: one builds the
  /// merged configuration while the other runs the grammar checks of the files; then each
  /// takes the checks of the merged configuration in parts (the cross-definition checks,
  /// the warnings' pass over each part of the definitions) as it is free, so neither waits
  /// long for the other. The findings are those of `findings` (the parts joined in order).
  static func checkConcurrently(
    build: @escaping @Sendable () -> NetplanConfiguration, grammar: @escaping @Sendable () -> [[Diagnostic]],
    cloudInitNetworkDisabled: Bool
  ) -> (NetplanConfiguration, Findings, [[Diagnostic]]) {
    let built = Published<(configuration: NetplanConfiguration, parents: [String: NetplanConfiguration.Parent])>()
    let checked = Handoff<[[Diagnostic]]>()
    let semantic = Handoff<[Diagnostic]>()
    let passes = (0..<warningParts).map { _ in Handoff<NetplanWarnings.DevicePass>() }
    let tasks = SharedTasks(count: warningParts + 1)
    concurrently(2) { thread in
      if thread == 0 {
        let configuration = build()
        built.publish((configuration, configuration.memberParents()))
      } else {
        checked.value = grammar()
      }
      let (configuration, parents) = built.wait()
      // The cross-definition checks first (one piece, taken by the thread done first), then
      // the warnings' parts, shared out to the end.
      while let task = tasks.next() {
        if task == 0 {
          semantic.value = NetplanSemanticChecks.findings(configuration)
        } else {
          let devices = configuration.devices, i = task - 1
          let part = devices.count * i / warningParts..<devices.count * (i + 1) / warningParts
          passes[i].value = NetplanWarnings.pass(devices[part], parents: parents)
        }
      }
    }
    let configuration = built.wait().configuration
    var pass = NetplanWarnings.DevicePass()
    for part in passes { pass.append(part.value!) }
    // The clashes between the static addresses of all definitions, in two halves at once.
    let addresses = pass.addresses
    let duplicates = Handoff<[Diagnostic]>(), overlaps = Handoff<[Diagnostic]>()
    concurrently(2) { half in
      if half == 0 {
        duplicates.value = NetplanWarnings.duplicateAddresses(addresses)
      } else {
        overlaps.value = NetplanWarnings.overlappingSubnets(addresses)
      }
    }
    let warnings = NetplanWarnings.combine(
      configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled, pass: pass, addressWarnings: duplicates.value! + overlaps.value!)
    return (configuration, (semantic.value!, warnings), checked.value!)
  }
}
