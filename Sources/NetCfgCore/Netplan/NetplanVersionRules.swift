import NetCfgYAML

/// Everything netplan 0.106 and 1.1 disagree on, in one place. The schema and the semantic
/// checks describe 1.1; these tables take back, for 0.106, what it did not know yet and what
/// it did not check yet, and add what only 0.106 refuses. Measured against both versions'
/// live verdicts on netplan's own corpus (NetplanVersionScoreTests).
enum NetplanVersionRules {
  /// A place in a netplan file: each element a key (`a|b` for either), `*` for any key, `[]`
  /// for any item of a sequence, `**` for any number of levels.
  typealias Pattern = [String]

  /// Keys 1.1 knows and 0.106 does not ("unknown key 'KEY'" at the key).
  static let keysFrom1_1: [Pattern] = [
    ["network", "dummy-devices"],
    ["network", "virtual-ethernets"],
    ["network", "*", "*", "ra-overrides"],
    ["network", "*", "*", "routes", "[]", "advertised-mss"],
    ["network", "tunnels", "*", "hairpin"],
    ["network", "tunnels", "*", "port-mac-learning"],
    ["network", "tunnels", "*", "keys|key", "private-key-flags"],
  ]

  /// Values 1.1 accepts and 0.106 refuses, with 0.106's message (at the value).
  static let valuesFrom1_1: [(pattern: Pattern, values: Set<String>, message: @Sendable (String) -> String)] = [
    (["network", "**", "auth", "key-management"], ["psk-sha256", "eap-sha256", "eap-suite-b-192", "sae"],
     { "unknown key management type '\($0)'" }),
    (["network", "**", "auth", "method"], ["leap", "pwd"], { "unknown EAP method '\($0)'" }),
    (["network", "*", "*", "macaddress"], ["permanent", "random", "stable", "preserve", "stable-ssid"],
     { "Invalid MAC address '\($0)', must be XX:XX:XX:XX:XX:XX or XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX" }),
    // 1.1 ignores an empty endpoint.
    (["network", "tunnels", "*", "peers", "[]", "endpoint"], [""], { "invalid endpoint address or hostname '\($0)'" }),
  ]

  /// Values 0.106 takes without checking them (1.1's check is not made for 0.106).
  static let valueChecksFrom1_1: [Pattern] = [
    ["network", "bonds", "*", "parameters", "lacp-rate"]
  ]

  /// Semantic findings (by code) only 1.1 makes, and only 0.106 makes.
  static let codesFrom1_1: Set<String> = ["primary-of-two-bonds", "renderer-mismatch"]
  static let codesOf0_106: Set<String> = [
    "undefined-interface-nm", "ip6-address-generation-networkd", "duplicate-ssid-second-pass", "vrf-routes-without-policy",
  ]

  /// The grammar findings of `file` for `version`, from those of 1.1 (`found`).
  static func fileDiagnostics(_ file: YAMLFile, _ found: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    guard version == .v0_106, let root = file.root else { return found }
    var out = found
    // 1.1's checks of values 0.106 takes as they are.
    var unchecked = Set<String>()
    for pattern in valueChecksFrom1_1 {
      matches(root, pattern[...]) { _, value in unchecked.insert(location(file, value)) }
    }
    if !unchecked.isEmpty {
      out.removeAll { $0.code == "invalid-value" && unchecked.contains($0.location?.description ?? "") }
    }
    for pattern in keysFrom1_1 {
      matches(root, pattern[...]) { key, _ in
        out.append(error(file, "unknown key '\(key.scalarText ?? "")'", at: key, code: "unknown-key"))
      }
    }
    for rule in valuesFrom1_1 {
      matches(root, rule.pattern[...]) { _, value in
        guard let text = value.scalarText, rule.values.contains(text) else { return }
        out.append(error(file, rule.message(text), at: value, code: "invalid-value"))
      }
    }
    return out
  }

  /// The semantic findings for `version`, from all that the checks make.
  static func semanticDiagnostics(_ found: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    let dropped = version == .v0_106 ? codesFrom1_1 : codesOf0_106
    return found.filter { !dropped.contains($0.code) }
  }

  /// Calls `body` with the key and value of every entry of `node` that `pattern` reaches.
  static func matches(_ node: YAMLNode, _ pattern: ArraySlice<String>, _ body: (YAMLNode, YAMLNode) -> Void) {
    guard let head = pattern.first else { return }
    let rest = pattern.dropFirst()
    if head == "**" {
      matches(node, rest, body)
      for entry in node.entries { matches(entry.value, pattern, body) }
      for item in node.items { matches(item, pattern, body) }
      return
    }
    if head == "[]" {
      for item in node.items { matches(item, rest, body) }
      return
    }
    let names = head.split(separator: "|").map(String.init)
    for entry in node.entries {
      guard let key = entry.key.scalarText, head == "*" || names.contains(key) else { continue }
      if rest.isEmpty { body(entry.key, entry.value) } else { matches(entry.value, rest, body) }
    }
  }

  static func location(_ file: YAMLFile, _ node: YAMLNode) -> String {
    SourceLocation(file: file.name, line: node.start.line, column: node.start.column).description
  }

  static func error(_ file: YAMLFile, _ message: String, at node: YAMLNode, code: String) -> Diagnostic {
    Diagnostic(
      .error, message, code: code, at: SourceLocation(file: file.name, line: node.start.line, column: node.start.column),
      sourceLine: file.source.lineText(node.start.line - 1))
  }
}
