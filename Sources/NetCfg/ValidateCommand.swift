import NetCfgCore

extension NetCfg {
  /// `netcfg validate`: every diagnostic of the whole hierarchy; exit 65 on any error.
  struct Validate: Command {
    static let info = CommandInfo(
      name: "validate",
      abstract: "Check the whole netplan hierarchy; exit 65 when anything is an error.")

    var options: GlobalOptions
    var netplan = false

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      netplan = a.flag("netplan", help: "Also run the real `netplan generate --root-dir` on a scratch copy and show its verdict.")
    }

    func run() throws {
      let console = options.console
      let rules = options.netplanRules
      let config = try options.loadNetplan(recover: false, rules: rules)
      let diagnostics = config.diagnostics
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      var verdict: NetplanVerdict?
      if netplan {
        do { verdict = try NetplanGenerate.verdict(config.hierarchy) } catch {
          console.err("netcfg: cannot run netplan: \(error)")
          throw Exit.failure
        }
      }
      if options.json {
        var fields: [(String, JSONValue)] = [
          ("valid", .bool(errors == 0)), ("errors", .int(errors)), ("warnings", .int(warnings)),
          ("files", .array(config.hierarchy.files.map { .string($0.path) })),
          ("diagnostics", .array(diagnostics.map(\.json))), ("rules", rules.json),
        ]
        if let verdict {
          fields.append(("netplan", .object([
            ("accepted", .bool(verdict.accepted)), ("status", .int(Int(verdict.status))),
            ("stderr", .string(verdict.stderr)),
          ])))
        }
        console.out(JSONValue.object(fields).serialized())
      } else {
        console.report(diagnostics, quiet: options.quiet)
        let files = config.hierarchy.files.count
        let summary = "netcfg: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
          + " (netplan \(config.netplanVersion) rules)"
        if !options.quiet || errors > 0 { console.out(summary) }
        if let verdict {
          console.out("netplan generate: " + (verdict.accepted ? "accepted" : "rejected (exit \(verdict.status))"))
          let text = verdict.stderr.trimmingTrailingNewlines
          if !text.isEmpty { console.out(text) }
        }
      }
      if errors > 0 || verdict?.accepted == false { throw Exit.invalidConfiguration }
    }
  }
}

extension String {
  var trimmingTrailingNewlines: String {
    var s = Substring(self)
    while s.last == "\n" { s = s.dropLast() }
    return String(s)
  }
}
