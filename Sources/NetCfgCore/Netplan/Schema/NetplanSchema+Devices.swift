import NetCfgYAML

// The definition of each device type (`*_def_handlers`), with bond and bridge parameters.

extension NetplanSchema {
  static func definition(_ name: String, _ parts: [String: NetplanRule]...) -> MappingSchema {
    MappingSchema(name, parts.reduce(into: [:]) { $0.merge($1) { _, new in new } })
  }

  /// `ethernets:` (also the grammar of `nm-devices:`).
  static let ethernet = definition(
    "ethernets", commonLink, physicalLink,
    [
      "auth": .mapping(auth),
      "link": scalar(string),
      "virtual-function-count": scalar(guint),
      "embedded-switch-mode": scalar(
        oneOf("embedded-switch-mode", ["switchdev", "legacy"]) { _ in
          "Value of 'embedded-switch-mode' needs to be 'switchdev' or 'legacy'"
        }),
      "delay-virtual-functions-rebind": scalar(bool),
      "infiniband-mode": scalar(
        oneOf("infiniband-mode", ["datagram", "connected"]) { _ in
          "Value of 'infiniband-mode' needs to be 'datagram' or 'connected'"
        }),
    ])

  /// `nm-devices:` use the ethernet grammar.
  static let nmDevice = MappingSchema("nm-devices", ethernet.keys)

  /// `modems:`.
  static let modem = definition(
    "modems", commonLink, physicalLink,
    [
      "apn": scalar(string),
      "auto-config": scalar(bool),
      "device-id": scalar(string),
      "network-id": scalar(string),
      "number": scalar(string),
      "password": scalar(string),
      "pin": scalar(string),
      "sim-id": scalar(string),
      "sim-operator-id": scalar(string),
      "username": scalar(string),
    ])

  /// `dummy-devices:`.
  static let dummy = definition("dummy-devices", commonLink)

  /// `virtual-ethernets:`.
  static let virtualEthernet = definition(
    "virtual-ethernets", commonLink,
    [
      "peer": contextScalar("peer") { text, context in
        same(text, context.deviceID) ? "\(context.devicePrefix): virtual-ethernet peer cannot be itself" : nil
      }
    ])

  /// Member lists (`interfaces:` of bonds, bridges, VRFs): scalars naming devices.
  static let memberList = scalarList("interfaces")

  /// `vlans:`.
  static let vlan = definition("vlans", commonLink, ["id": scalar(guint), "link": scalar(string)])

  /// `vrfs:`.
  static let vrf = definition("vrfs", commonLink, ["interfaces": memberList, "table": scalar(guint)])

  /// `bridges:`.
  static let bridge = definition(
    "bridges", commonLink, ["interfaces": memberList, "parameters": .mapping(bridgeParameters)])

  /// `bonds:`.
  static let bond = definition("bonds", commonLink, ["interfaces": memberList, "parameters": bondParameters])

  /// A bridge's `parameters:`.
  static let bridgeParameters = MappingSchema(
    "bridge-parameters",
    [
      "ageing-time": scalar(string),
      "aging-time": scalar(string),
      "forward-delay": scalar(string),
      "hello-time": scalar(string),
      "max-age": scalar(string),
      "path-cost": perPortValues("path-cost", what: "a path cost") { text in
        let n = CNumber(text)
        return n.consumedAll && n.unsignedValue < UInt64(UInt32.max) ? nil : "invalid unsigned int value '\(text)'"
      },
      "port-priority": perPortValues("port-priority", what: "a port priority") { text in
        let n = CNumber(text)
        return n.consumedAll && n.unsignedValue <= 63
          ? nil : "invalid port priority value (must be between 0 and 63): \(text)"
      },
      "priority": scalar(guint),
      "stp": scalar(bool),
    ])

  /// `path-cost:`/`port-priority:`: member names to numbers. Bad values and a member given
  /// twice are reported at the mapping, as netplan does.
  static func perPortValues(
    _ name: String, what: String, _ check: @escaping @Sendable (String) -> String?
  ) -> NetplanRule {
    .custom(
      CustomRule(name) { node, context in
        var seen: [[UInt8]: String] = [:]
        var reported = false
        context.forEachEntry(node) { key, value, context in
          guard let text = context.expectScalar(value) else { return }
          guard !reported else { return }
          if let old = seen[Array(key.text.utf8)], CNumber(old).unsignedValue != 0 {
            reported = true
            return context.error(
              "\(context.devicePrefix): interface '\(key.text)' already has \(what) of \(CNumber(old).unsignedValue)",
              at: node)
          }
          if let message = check(text) {
            reported = true
            return context.error(message, at: node)
          }
          seen[Array(key.text.utf8)] = text
        }
      })
  }

  /// A bond's `parameters:` keys.
  static let bondParameterFields = MappingSchema(
    "bond-parameters",
    [
      "mode": scalar(
        oneOf(
          "bond-mode",
          [
            "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb",
            "balance-tcp", "balance-slb",
          ]
        ) { "unknown bond mode '\($0)'" }),
      "lacp-rate": scalar(
        oneOf("lacp-rate", ["slow", "fast"]) { "unknown lacp-rate value '\($0)' (expected 'fast' or 'slow')" }),
      "mii-monitor-interval": scalar(string),
      "min-links": scalar(guint),
      "transmit-hash-policy": scalar(string),
      "ad-select": scalar(string),
      "all-slaves-active": scalar(bool),
      "all-members-active": scalar(bool),
      "arp-interval": scalar(string),
      "arp-ip-targets": scalarList(
        "arp-ip-targets",
        item: { text, _, _ in
          IPv4Address(text) == nil ? "malformed address '\(text)', must be X.X.X.X or X:X:X:X:X:X:X:X" : nil
        }),
      "arp-validate": scalar(string),
      "arp-all-targets": scalar(string),
      "up-delay": scalar(string),
      "down-delay": scalar(string),
      "fail-over-mac-policy": scalar(string),
      "gratuitous-arp": scalar(guint),
      "gratuitious-arp": scalar(guint),
      "packets-per-slave": scalar(guint),
      "packets-per-member": scalar(guint),
      "primary-reselect-policy": scalar(string),
      "resend-igmp": scalar(guint),
      "learn-packet-interval": scalar(string),
      "primary": scalar(string),
    ])

  /// A bond's `parameters:`: a second, different `primary` is an error at its value.
  static let bondParameters = NetplanRule.custom(
    CustomRule("bond-parameters") { node, context in
      var primary: String?
      context.walk(node, bondParameterFields) { key, value, context in
        guard key == "primary", let text = value.scalarText else { return }
        if let primary, !same(primary, text) {
          return context.error("\(context.devicePrefix): bond already has a primary member: \(primary)", at: value)
        }
        primary = text
      }
    })
}
