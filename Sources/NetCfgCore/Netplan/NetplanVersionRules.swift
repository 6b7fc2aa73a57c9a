import NetCfgYAML

/// Everything netplan 0.106 and 1.1 disagree on, in one place. The schema and the semantic
/// checks describe 1.1; these tables take back, for 0.106, what it did not know yet and what
/// it did not check yet, and add what only 0.106 refuses. Measured against both versions'
/// live verdicts on netplan's own corpus (NetplanVersionScoreTests).
enum NetplanVersionRules {
  /// A place in a netplan file: each element a key (`a|b` for either), `*` for any key, `[]`
  /// for any item of a sequence.
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

  static let keyManagement1_1: Set<String> = ["psk-sha256", "eap-sha256", "eap-suite-b-192", "sae"]

  /// Values 1.1 accepts and 0.106 refuses, with 0.106's message (at the value).
  static let valuesFrom1_1: [(pattern: Pattern, values: Set<String>, message: @Sendable (String) -> String)] = [
    (["network", "ethernets|wifis", "*", "auth", "key-management"], keyManagement1_1, { "unknown key management type '\($0)'" }),
    (["network", "wifis", "*", "access-points", "*", "auth", "key-management"], keyManagement1_1,
     { "unknown key management type '\($0)'" }),
    (["network", "ethernets|wifis", "*", "auth", "method"], ["leap", "pwd"], { "unknown EAP method '\($0)'" }),
    (["network", "wifis", "*", "access-points", "*", "auth", "method"], ["leap", "pwd"], { "unknown EAP method '\($0)'" }),
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

  /// What to do at a place a pattern reaches.
  enum Action: Sendable {
    case unknownKey
    case valueFrom1_1(Set<String>, @Sendable (String) -> String)
    case unchecked
  }

  /// The patterns as one tree, walked once over a file (a 10,000-device file is visited once,
  /// not once per pattern). Immutable once built: its reads need no exclusivity checks.
  final class Trie: Sendable {
    /// The children by key name (`names[i]` leads to `children[i]`): a few at each level,
    /// compared with a key's bytes in place.
    let names: [String]
    /// `names` as bytes, compared with a key's bytes in the source.
    let nameBytes: [[UInt8]]
    let children: [Trie]
    let anyKey: Trie?
    let items: Trie?
    let actions: [Action]

    /// The tree of `rules`: each a pattern (what is left of it at this level) and its action.
    init(_ rules: [(pattern: ArraySlice<String>, action: Action)]) {
      var actions: [Action] = []
      var byKey: [String: [(pattern: ArraySlice<String>, action: Action)]] = [:]
      var any: [(pattern: ArraySlice<String>, action: Action)] = []
      var items: [(pattern: ArraySlice<String>, action: Action)] = []
      for rule in rules {
        guard let head = rule.pattern.first else {
          actions.append(rule.action)
          continue
        }
        let rest = (pattern: rule.pattern.dropFirst(), action: rule.action)
        switch head {
        case "*": any.append(rest)
        case "[]": items.append(rest)
        default: for name in head.split(separator: "|") { byKey[String(name), default: []].append(rest) }
        }
      }
      self.actions = actions
      let named = byKey.sorted { $0.key < $1.key }
      names = named.map(\.key)
      nameBytes = names.map { Array($0.utf8) }
      children = named.map { Trie($0.value) }
      anyKey = any.isEmpty ? nil : Trie(any)
      self.items = items.isEmpty ? nil : Trie(items)
    }
  }

  static let trie = Trie(
    keysFrom1_1.map { ($0[...], Action.unknownKey) }
      + valuesFrom1_1.map { ($0.pattern[...], Action.valueFrom1_1($0.values, $0.message)) }
      + valueChecksFrom1_1.map { ($0[...], Action.unchecked) })

  /// The grammar findings of `file` for `version`, from those of 1.1 (`found`).
  static func fileDiagnostics(_ file: YAMLFile, _ found: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    guard version == .v0_106, let root = file.root else { return found }
    var added: [Diagnostic] = []
    var unchecked = Set<String>()
    var hits: [Hit] = []
    walk(root, trie, into: &hits)
    for hit in hits {
      switch hit.action {
      case .unknownKey:
        added.append(error(file, "unknown key '\(hit.key.scalarText ?? "")'", at: hit.key, code: "unknown-key"))
      case .valueFrom1_1(let values, let message):
        guard let text = hit.value.scalarText, values.contains(text) else { continue }
        added.append(error(file, message(text), at: hit.value, code: "invalid-value"))
      case .unchecked:
        // 1.1's check of a value 0.106 takes as it is.
        unchecked.insert(location(file, hit.value))
      }
    }
    var out = found
    if !unchecked.isEmpty {
      out.removeAll { $0.code == "invalid-value" && unchecked.contains($0.location?.description ?? "") }
    }
    return out + added
  }

  /// An action the trie holds for an entry: the entry's key and value.
  struct Hit {
    var action: Action
    var key: YAMLNode
    var value: YAMLNode
  }

  /// Collects each action the trie holds for an entry of `node` (a list, not a callback: a
  /// closure capturing the file was copied at every entry of a 10,000-device file).
  static func walk(_ node: YAMLNode, _ trie: Trie, into hits: inout [Hit]) {
    if let items = trie.items {
      for item in node.items { walk(item, items, into: &hits) }
    }
    if let any = trie.anyKey {
      guard node.isMapping else { return }
      for entry in node.entries where entry.key.isScalar {
        if let i = trie.names.firstIndex(where: { entry.key.isScalar(equalTo: $0) }) {
          visit(trie.children[i], key: entry.key, value: entry.value, &hits)
        }
        visit(any, key: entry.key, value: entry.value, &hits)
      }
    } else if !trie.names.isEmpty {
      // Only named keys lead on: the others are passed over in place by their bytes, no
      // handle made for them (a key not written as it is is compared as text).
      node.forEachEntryKey { bytes, position in
        let i: Int?
        if let bytes {
          i = trie.nameBytes.firstIndex { $0.count == bytes.count && $0.elementsEqual(bytes) }
        } else {
          let key = node.entryKey(position)
          i = key.isScalar ? trie.names.firstIndex { key.isScalar(equalTo: $0) } : nil
        }
        if let i { visit(trie.children[i], key: node.entryKey(position), value: node.entryValue(position), &hits) }
      }
    }
  }

  private static func visit(_ child: Trie, key: YAMLNode, value: YAMLNode, _ hits: inout [Hit]) {
    for action in child.actions { hits.append(Hit(action: action, key: key, value: value)) }
    walk(value, child, into: &hits)
  }

  /// The semantic findings for `version`, from all that the checks make.
  static func semanticDiagnostics(_ found: [Diagnostic], _ version: NetplanVersion) -> [Diagnostic] {
    let dropped = version == .v0_106 ? codesFrom1_1 : codesOf0_106
    return found.filter { !dropped.contains($0.code) }
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
