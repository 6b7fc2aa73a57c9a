import NetCfgYAML

// `tunnels:` (`tunnel_def_handlers`): classic tunnels, keys, WireGuard peers and VXLAN.

extension NetplanSchema {
  static let tunnelModes = [
    "ipip", "gre", "sit", "isatap", "vti", "ip6ip6", "ipip6", "ip6gre", "vti6", "gretap", "ip6gretap", "vxlan",
    "wireguard",
  ]

  /// `tunnels:`.
  static let tunnel = definition(
    "tunnels", commonLink,
    [
      "mode": contextScalar("tunnel-mode") { text, context in
        tunnelModes.contains(text) ? nil : "\(context.devicePrefix): tunnel mode '\(text)' is not supported"
      },
      "local": scalar(tunnelAddress),
      "remote": scalar(tunnelAddress),
      "ttl": scalar(guint),
      "key": tunnelKeys,
      "keys": tunnelKeys,
      // WireGuard
      "mark": scalar(guint),
      "port": scalar(guint),
      "peers": wireguardPeers,
      // VXLAN
      "link": scalar(string),
      "ageing": scalar(guint),
      "aging": scalar(guint),
      "id": scalar(guint),
      "limit": scalar(guint),
      "type-of-service": scalar(guint),
      "flow-label": scalar(guint),
      "do-not-fragment": scalar(tristate),
      "short-circuit": scalar(tristate),
      "arp-proxy": scalar(tristate),
      "mac-learning": scalar(tristate),
      "notifications": vxlanFlags("notifications", ["l2-miss", "l3-miss"]),
      "checksums": vxlanFlags("checksums", ["udp", "zero-udp6-tx", "zero-udp6-rx", "remote-tx", "remote-rx"]),
      "extensions": vxlanFlags("extensions", ["group-policy", "generic-protocol"]),
      "port-range": vxlanPortRange,
    ])

  /// `local:`/`remote:`: one address, no prefix.
  static let tunnelAddress = ScalarRule("tunnel-address") { text in
    if text.contains("/") { return "address '\(text)' should not include /prefixlength" }
    return isIP(text) ? nil : "malformed address '\(text)', must be X.X.X.X or X:X:X:X:X:X:X:X"
  }

  /// `key:`/`keys:`: one key for all uses, or a mapping of keys.
  static let tunnelKeys = NetplanRule.custom(
    CustomRule("tunnel-keys") { node, context in
      switch node.content {
      case .scalar: return
      case .mapping: context.validate(node, .mapping(tunnelKeyFields))
      default: context.error("invalid type for 'key[s]': must be a scalar or mapping", at: node)
      }
    })

  static let tunnelKeyFields = MappingSchema(
    "tunnel-keys",
    [
      "input": scalar(string),
      "output": scalar(string),
      "private": scalar(string),
      "private-key-flags": scalarList(
        "private-key-flags",
        item: { text, _, _ in
          matches(text, ["agent-owned", "not-saved", "not-required"], caseInsensitive: true)
            ? nil
            : "Key flag '\(text)' is not supported. Valid values are \"agent-owned\", \"not-saved\" and \"not-required\""
        }),
    ])

  /// `peers:`: WireGuard peer mappings.
  static let wireguardPeers = NetplanRule.sequence(.mapping(wireguardPeer))

  static let wireguardPeer = MappingSchema(
    "wireguard-peer",
    [
      "keys": .mapping(MappingSchema("wireguard-peer-keys", ["public": scalar(string), "shared": scalar(string)])),
      "keepalive": scalar(guint),
      "endpoint": scalar(ScalarRule("endpoint", endpointProblem)),
      "allowed-ips": addresses("allowed-ips", allowZeroPrefix: true),
    ])

  /// Why `text` is no WireGuard endpoint (`ADDRESS:PORT`, `[IPv6]:PORT`, `HOST:PORT`), or nil.
  @Sendable static func endpointProblem(_ text: String) -> String? {
    if text.isEmpty { return nil }
    if text.utf8.count < 3 { return "invalid endpoint address or hostname '\(text)'" }
    var address: Substring
    var port: Substring?
    if text.hasPrefix("[") {
      guard let close = text.lastIndex(of: "]") else { return "invalid address in endpoint '\(text)'" }
      address = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      port = rest.lastIndex(of: ":").map { rest[rest.index(after: $0)...] }
    } else {
      let colon = text.lastIndex(of: ":")
      address = colon.map { text[..<$0] } ?? Substring(text)
      port = colon.map { text[text.index(after: $0)...] }
    }
    guard let port else { return "endpoint '\(text)' is missing :port" }
    if CNumber(String(port)).unsignedValue > 65535 { return "invalid port in endpoint '\(text)'" }
    let host = String(address)
    return isIP(host) || isHostname(host) ? nil : "invalid endpoint address or hostname '\(text)'"
  }

  /// VXLAN flag lists, case-insensitive; the first bad word is reported at the sequence.
  static func vxlanFlags(_ key: String, _ words: [String]) -> NetplanRule {
    scalarList(
      key,
      item: { text, _, _ in
        matches(text, words, caseInsensitive: true) ? nil : "invalid value for \(key): '\(text)'"
      })
  }

  /// `port-range: [MIN, MAX]`.
  static let vxlanPortRange = NetplanRule.custom(
    CustomRule("port-range") { node, context in
      guard let items = context.expectSequence(node) else { return }
      guard items.count == 2 else {
        return context.error("\(context.devicePrefix): Expected exactly two values for port-range", at: node)
      }
      var values: [UInt64] = []
      for item in items {
        guard let resolved = context.resolve(item), let text = context.expectScalar(resolved) else { return }
        if let message = guint.check(text) { return context.error(message, at: resolved) }
        values.append(guintValue(text))
      }
      if values[0] > values[1] {
        context.warning(
          "\(context.devicePrefix): swapped invalid port-range order [MIN, MAX]", at: node, code: "port-range-order")
      }
    })
}
