import NetCfgYAML

/// A key of a device definition that the checks of the merged configuration (and `show`) ask about, again
/// and again for thousands of definitions, mostly of keys a definition does not have. Which
/// of them a definition has is one bit each (`NetplanDevice.keys`, found in one pass over its
/// keys), so asking about a missing one reads no key.
enum DeviceKey: Int, CaseIterable, Sendable {
  case accessPoints, activationMode, addresses, auth, delayVirtualFunctionsRebind, dhcp4, dhcp4Overrides, dhcp6
  case dhcp6Overrides, embeddedSwitchMode, gateway4, gateway6, interfaces, ipv6AddressGeneration, ipv6AddressToken
  case ipv6Mtu, link, macaddress, match, mtu, nameservers, networkmanager, openvswitch, parameters, peer, renderer
  case routes, routingPolicy, setName, virtualFunctionCount, wakeonwlan

  /// The key as netplan spells it, by `rawValue`.
  static let names = [
    "access-points", "activation-mode", "addresses", "auth", "delay-virtual-functions-rebind", "dhcp4",
    "dhcp4-overrides", "dhcp6", "dhcp6-overrides", "embedded-switch-mode", "gateway4", "gateway6", "interfaces",
    "ipv6-address-generation", "ipv6-address-token", "ipv6-mtu", "link", "macaddress", "match", "mtu", "nameservers",
    "networkmanager", "openvswitch", "parameters", "peer", "renderer", "routes", "routing-policy", "set-name",
    "virtual-function-count", "wakeonwlan",
  ]

  /// Each key's bit, found by its bytes.
  static let byBytes = KeyTable(Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) }))

  /// `NetplanDevice.keys` when they were not looked for: no set of keys has it (the bits
  /// above `names.count` are never set), and every key is then looked up in the node.
  static let unknown = UInt64.max

  var name: String { DeviceKey.names[rawValue] }
  var bit: UInt64 { 1 << UInt64(rawValue) }
}

extension NetplanDevice {
  /// True when the definition has `key`.
  func has(_ key: DeviceKey) -> Bool {
    keys == DeviceKey.unknown ? node.entry(key.name) != nil : keys & key.bit != 0
  }

  /// The value of `key` in the definition (`node[key]`), nil at once when it has no such key.
  subscript(key: DeviceKey) -> NetplanNode? {
    keys & key.bit == 0 ? nil : node[key.name]
  }

  /// The entry of `key` in the definition (`node.entry(key)`), nil at once when it has none.
  func entry(_ key: DeviceKey) -> NetplanEntry? {
    keys & key.bit == 0 ? nil : node.entry(key.name)
  }
}
