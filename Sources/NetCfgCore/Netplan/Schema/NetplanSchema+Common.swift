import NetCfgYAML

// The keys every device type shares (COMMON_LINK_HANDLERS, COMMON_BACKEND_HANDLERS) and those
// of physical devices (PHYSICAL_LINK_HANDLERS), with their sub-grammars: addresses, nameservers,
// DHCP and RA overrides, match.

extension NetplanSchema {
  /// COMMON_LINK_HANDLERS and COMMON_BACKEND_HANDLERS.
  static let commonLink: [String: NetplanRule] = [
    "accept-ra": scalar(bool),
    "activation-mode": scalar(
      oneOf("activation-mode", ["manual", "off"]) { _ in
        "Value of 'activation-mode' needs to be 'manual' or 'off'"
      }),
    "addresses": addresses("addresses", allowZeroPrefix: false),
    "critical": scalar(bool),
    "ignore-carrier": scalar(bool),
    "dhcp4": scalar(bool),
    "dhcp6": scalar(bool),
    "dhcp-identifier": scalar(
      oneOf("dhcp-identifier", ["duid", "mac"], caseInsensitive: true) {
        "invalid DHCP client identifier type '\($0)'"
      }),
    "dhcp4-overrides": .mapping(dhcpOverrides),
    "dhcp6-overrides": .mapping(dhcpOverrides),
    "ra-overrides": .mapping(raOverrides),
    "gateway4": deprecatedGateway("gateway4", gateway4),
    "gateway6": deprecatedGateway("gateway6", gateway6),
    "ipv6-address-generation": scalar(
      oneOf("ipv6-address-generation", ["eui64", "stable-privacy"]) {
        "unknown ipv6-address-generation '\($0)'"
      }),
    "ipv6-address-token": scalar(
      ScalarRule("ipv6-address-token") { IPv6Address($0) == nil ? "invalid ipv6-address-token '\($0)'" : nil }),
    "ipv6-mtu": scalar(guint),
    "ipv6-privacy": scalar(bool),
    "link-local": scalarList(
      "link-local",
      item: { text, _, _ in
        matches(text, ["ipv4", "ipv6"], caseInsensitive: true) ? nil : "invalid value for link-local: '\(text)'"
      }),
    "macaddress": setMACAddress,
    "mtu": scalar(guint),
    "nameservers": .mapping(nameservers),
    "optional": scalar(bool),
    "optional-addresses": scalarList(
      "optional-addresses",
      item: { text, _, _ in
        matches(text, ["ipv4-ll", "ipv6-ra", "dhcp4", "dhcp6", "static"], caseInsensitive: true)
          ? nil : "invalid value for optional-addresses: '\(text)'"
      }),
    "renderer": deviceRenderer,
    "routes": routes,
    "routing-policy": routingPolicy,
    "hairpin": scalar(tristate),
    "port-mac-learning": scalar(tristate),
    "neigh-suppress": scalar(tristate),
    // COMMON_BACKEND_HANDLERS
    "networkmanager": .mapping(networkManagerSettings),
    "openvswitch": deviceOpenVSwitch,
  ]

  /// PHYSICAL_LINK_HANDLERS (ethernets, wifis, modems).
  static let physicalLink: [String: NetplanRule] = [
    "match": .mapping(match),
    "set-name": scalar(string),
    "wakeonlan": scalar(bool),
    "wakeonwlan": scalarList(
      "wakeonwlan",
      item: { text, _, _ in
        wakeOnWLANFlags[asciiLowercased(text)] == nil ? "invalid value for wakeonwlan: '\(text)'" : nil
      },
      whole: { texts, _ in
        let flags = texts.reduce(0) { $0 | (wakeOnWLANFlags[asciiLowercased($1)] ?? 0) }
        return flags > 1 && flags & 1 != 0 ? "'default' is an exclusive flag for wakeonwlan" : nil
      }),
    "emit-lldp": scalar(bool),
    "receive-checksum-offload": scalar(tristate),
    "transmit-checksum-offload": scalar(tristate),
    "tcp-segmentation-offload": scalar(tristate),
    "tcp6-segmentation-offload": scalar(tristate),
    "generic-segmentation-offload": scalar(tristate),
    "generic-receive-offload": scalar(tristate),
    "large-receive-offload": scalar(tristate),
  ]

  /// `wakeonwlan` words and their bits (`default` is bit 0 and exclusive).
  static let wakeOnWLANFlags: [String: Int] = [
    "default": 1, "any": 2, "disconnect": 4, "magic_pkt": 8, "gtk_rekey_failure": 16,
    "eap_identity_req": 32, "four_way_handshake": 64, "rfkill_release": 128, "tcp": 256,
  ]

  /// `match:`.
  static let match = MappingSchema(
    "match",
    [
      "driver": matchDriver,
      "macaddress": scalar(macAddress),
      "name": scalar(ScalarRule("match-name") { isValidID($0) ? nil : "Invalid name '\($0)'" }),
    ])

  /// `match: driver:` is one glob or a non-empty sequence of globs, none with a space.
  static let matchDriver = NetplanRule.custom(
    CustomRule("driver") { node, context in
      switch node.content {
      case .scalar(let text, _):
        if text.contains(" ") { context.error("A 'driver' glob cannot contain whitespace", at: node) }
      case .sequence(let items, _):
        for item in items {
          guard let text = context.expectScalar(item) else { return }
          if text.contains(" ") { return context.error("A 'driver' glob cannot contain whitespace", at: node) }
        }
        if items.isEmpty { context.error("invalid sequence for 'driver'", at: node) }
      default:
        context.error("invalid type for 'driver': must be a scalar or a sequence of scalars", at: node)
      }
    })

  /// `macaddress:` of a device: a MAC or one of the special words.
  static let setMACAddress = contextScalar("macaddress") { text, context in
    if MACAddress(text) != nil { return nil }
    if ["permanent", "random", "stable", "preserve"].contains(text) { return nil }
    if text == "stable-ssid", context.deviceType == "wifis" { return nil }
    return "Invalid MAC address '\(text)', must be XX:XX:XX:XX:XX:XX, "
      + "XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX"
      + " or one of 'permanent', 'random', 'stable', 'preserve', 'stable-ssid' (Wi-Fi only)."
  }

  /// A device's `renderer:`; VLANs also accept `sriov` (VLAN filtering on a VF).
  static let deviceRenderer = contextScalar("renderer") { text, context in
    if context.deviceType == "vlans", text == "sriov" { return nil }
    return renderer.check(text)
  }

  /// `gateway4`/`gateway6`: checked, and deprecated (netplan warns).
  static func deprecatedGateway(_ key: String, _ rule: ScalarRule) -> NetplanRule {
    .custom(
      CustomRule(key) { node, context in
        guard let text = context.expectScalar(node) else { return }
        if let message = rule.check(text) { return context.error(message, at: node) }
        context.warning(
          "`\(key)` has been deprecated, use default routes instead.", at: node, code: "deprecated-gateway",
          notes: ["write `routes: [{to: default, via: \(text)}]` instead; `netcfg migrate` does it for you"])
      })
  }

  /// `nameservers:`.
  static let nameservers = MappingSchema(
    "nameservers",
    [
      "search": scalarList("search"),
      "addresses": scalarList(
        "nameserver-addresses",
        item: { text, _, _ in
          isIP(text) ? nil : "malformed address '\(text)', must be X.X.X.X or X:X:X:X:X:X:X:X"
        }),
    ])

  /// `dhcp4-overrides` and `dhcp6-overrides`.
  static let dhcpOverrides = MappingSchema(
    "dhcp-overrides",
    [
      "hostname": scalar(string),
      "route-metric": scalar(guint),
      "send-hostname": scalar(bool),
      "use-dns": scalar(bool),
      "use-domains": scalar(string),
      "use-hostname": scalar(bool),
      "use-mtu": scalar(bool),
      "use-ntp": scalar(bool),
      "use-routes": scalar(bool),
    ])

  /// `ra-overrides`.
  static let raOverrides = MappingSchema(
    "ra-overrides",
    [
      "use-dns": scalar(tristate),
      "use-domains": scalar(
        ScalarRule("use-domains") { text in
          NetplanBool.parse(asciiOnly(text)) != nil || asciiLowercased(text) == "route"
            ? nil : "Invalid use-domains options '\(text)', must be a boolean, or the special value 'route'."
        }),
      "table": scalar(guint),
    ])

  /// `networkmanager:` of a device or an access point.
  static let networkManagerSettings = MappingSchema(
    "networkmanager",
    [
      "name": scalar(string),
      "uuid": scalar(string),
      "stable-id": scalar(string),
      "device": scalar(string),
      "passthrough": passthrough,
    ])

  /// `passthrough:`: scalar keys and values; keys without a group are dropped with a warning.
  static let passthrough = NetplanRule.custom(
    CustomRule("passthrough") { node, context in
      context.forEachEntry(node) { key, value, context in
        _ = context.expectScalar(value)
        if !key.text.contains(".") {
          context.warning(
            "NetworkManager: passthrough key '\(key.text)' format is invalid, should be 'group.key'.",
            at: key.node, code: "passthrough-key")
        }
      }
    })

  /// `addresses:` (and wireguard `allowed-ips:`): `ADDR/PREFIX` scalars, or single-entry
  /// mappings `ADDR/PREFIX: {lifetime, label}`. Errors in the address are reported at the
  /// sequence, as netplan does.
  static func addresses(_ name: String, allowZeroPrefix: Bool) -> NetplanRule {
    .custom(
      CustomRule(name) { node, context in
        guard let items = context.expectSequence(node) else { return }
        for item in items {
          guard let entry = context.resolve(item) else { return }
          var addressNode = entry
          var options: YAMLNode?
          // Told apart without making the scalar's text (`expectScalar` makes it once).
          if entry.isMapping, let first = entry.entries.first {
            addressNode = first.key
            options = first.value
          } else if !entry.isScalar {
            return context.error("expected either scalar or mapping (check indentation)", at: entry)
          }
          guard let text = context.expectScalar(addressNode) else { return }
          if let message = addressProblem(text, withOptions: options != nil, allowZeroPrefix: allowZeroPrefix) {
            return context.error(message, at: node)
          }
          if let options { context.validate(options, .mapping(addressOptions)) }
        }
      })
  }

  /// Why `text` is no valid address of `addresses:` (`handle_generic_addresses`), or nil.
  /// With options, the prefix length is not checked.
  static func addressProblem(_ text: String, withOptions: Bool, allowZeroPrefix: Bool) -> String? {
    switch InterfaceAddress.parse(text, allowZeroPrefix: allowZeroPrefix) {
    case .success: return nil
    // With options netplan reads the address and not its prefix.
    case .failure(.invalidPrefix) where withOptions: return nil
    case .failure(let problem): return problem.message(text)
    }
  }

  /// The options of one address.
  static let addressOptions = MappingSchema(
    "address-options",
    [
      "lifetime": scalar(
        oneOf("lifetime", ["0", "forever"], caseInsensitive: true) { "invalid lifetime value '\($0)'" }),
      "label": scalar(string),
    ])
}
