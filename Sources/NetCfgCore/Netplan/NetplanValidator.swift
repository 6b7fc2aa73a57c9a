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
    NetplanVersionRules.semanticDiagnostics(NetplanSemanticChecks.check(configuration), configuration.netplanVersion)
      + NetplanWarnings.check(configuration, cloudInitNetworkDisabled: cloudInitNetworkDisabled)
  }
}
