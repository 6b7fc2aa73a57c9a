import NetCfgYAML

// The root and the `network:` mapping (`root_handlers`, `network_handlers`,
// `handle_network_type`).

extension NetplanSchema {
  /// The whole grammar of a netplan file: `network:` and nothing else.
  public static let root = NetplanRule.mapping(MappingSchema("root", ["network": network]))

  /// `network:` (`network_handlers`).
  static let network = NetplanRule.mapping(
    MappingSchema(
      "network",
      [
        "version": scalar(version),
        "renderer": scalar(renderer),
        "ethernets": devices("ethernets") { ethernet },
        "wifis": devices("wifis") { wifi },
        "modems": devices("modems") { modem },
        "bridges": devices("bridges") { bridge },
        "bonds": devices("bonds") { bond },
        "vlans": devices("vlans") { vlan },
        "vrfs": devices("vrfs") { vrf },
        "tunnels": devices("tunnels") { tunnel },
        "dummy-devices": devices("dummy-devices") { dummy },
        "virtual-ethernets": devices("virtual-ethernets") { virtualEthernet },
        "nm-devices": devices("nm-devices") { nmDevice },
        "openvswitch": globalOpenVSwitch,
      ]))

  /// `version:` is read with strtol; only 2 is accepted.
  static let version = ScalarRule("version") { text in
    CNumber(text).longValue == 2 ? nil : "Only version 2 is supported"
  }

  /// The global and per-type `renderer:`.
  static let renderer = oneOf("renderer", ["networkd", "NetworkManager"]) { "unknown renderer '\($0)'" }

  /// The type keys of `network:` whose values map device ids to definitions.
  public static let deviceTypes = [
    "ethernets", "wifis", "modems", "bridges", "bonds", "vlans", "vrfs", "tunnels", "dummy-devices",
    "virtual-ethernets", "nm-devices",
  ]

  /// A map of device ids to definitions of one type (`handle_network_type`): each id must be a
  /// valid name without globs, `renderer:` sets the type's renderer, every other value is a
  /// definition checked with `schema` while `deviceID`/`deviceType` name it.
  ///
  /// `schema` is asked for when a file has the type: a type's table (some 80 keys, each with
  /// its rule, hashed twice) is built only for the types a configuration uses. Building all
  /// eleven at the first check was 3.8% of a one-device `set-ip`.
  static func devices(_ type: String, _ schema: @escaping @Sendable () -> MappingSchema) -> NetplanRule {
    let rendererRule = scalar(renderer)
    return .custom(
      CustomRule(type) { node, context in
        // Once per type mapping, not once per definition.
        let definitionRule = NetplanRule.mapping(schema())
        context.forEachEntry(node) { key, value, context in
          if !isValidID(key.text) {
            context.error("Invalid name '\(key.text)'", at: key.node, code: "invalid-id")
          } else if key.text.utf8.contains(where: { $0 == 0x2A || $0 == 0x5B || $0 == 0x5D || $0 == 0x3F }) {
            context.error(
              "Definition ID '\(key.text)' must not use globbing", at: key.node, code: "invalid-id")
          }
          if key.text == "renderer" {
            return context.validate(value, rendererRule)
          }
          guard let definition = context.resolve(value) else { return }
          guard definition.isMapping else {
            return context.error(
              "expected mapping (check indentation)", at: definition, code: "expected-mapping")
          }
          let saved = (context.deviceID, context.deviceType)
          context.deviceID = key.text
          context.deviceType = type
          context.validate(definition, definitionRule)
          (context.deviceID, context.deviceType) = saved
        }
      })
  }
}
