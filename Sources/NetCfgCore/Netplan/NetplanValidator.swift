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

  /// The checks of the merged configuration before they are held against what the grammar
  /// found (`combine`): independent of the per-file checks, so the two can run at once.
  static func findings(_ configuration: NetplanConfiguration, cloudInitNetworkDisabled: Bool) -> (semantic: [Diagnostic], warnings: [Diagnostic]) {
    (NetplanSemanticChecks.findings(configuration), NetplanWarnings.check(configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled))
  }

  /// The merged configuration's findings less those the grammar said already (`given`), by
  /// the rules of `version`.
  static func combine(_ found: (semantic: [Diagnostic], warnings: [Diagnostic]), given: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    NetplanVersionRules.semanticDiagnostics(NetplanSemanticChecks.unknown(found.semantic, given: given), version) + found.warnings
  }
}
