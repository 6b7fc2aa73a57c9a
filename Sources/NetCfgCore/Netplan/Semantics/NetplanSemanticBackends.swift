import NetCfgYAML

/// What the renderer in charge of a definition cannot express: the errors netplan's networkd and
/// NetworkManager generators raise.
extension SemanticContext {
  static let fiveGHzChannels: Set<UInt64> = [
    7, 8, 9, 11, 12, 16, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 68, 96, 100, 102, 104,
    106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 132, 134, 136, 138, 140, 142, 144, 149, 151, 153,
    155, 157, 159, 161, 165, 169, 173,
  ]

  /// Channels must exist in the band they are given for (both renderers check).
  mutating func checkChannels(_ device: NetplanDevice) {
    for point in device[.accessPoints]?.entries ?? [] {
      let ap = point.value
      guard let band = ap["band"]?.scalar, let channelNode = ap["channel"], let channel = Self.unsigned(channelNode),
        channel != 0
      else { continue }
      if ["5GHz", "5G"].contains(band), !Self.fiveGHzChannels.contains(channel) {
        error("invalid 5GHz WiFi channel: \(channel)", code: "invalid-wifi-channel", at: channelNode.location)
      } else if ["2.4GHz", "2.4G"].contains(band), channel > 14 {
        error("invalid 2.4GHz WiFi channel: \(channel)", code: "invalid-wifi-channel", at: channelNode.location)
      }
    }
  }

  mutating func checkNetworkd() {
    for device in devices where backend(device) == .networkd {
      let id = device.id, node = device.node
      if let generation = device.entry(.ipv6AddressGeneration) {
        // netplan 0.106 only (1.0 writes IPv6LinkLocalAddressGenerationMode=).
        error(
          "\(id): ipv6-address-generation mode is not supported by networkd", code: "ip6-address-generation-networkd",
          at: generation.lastKeyLocation)
      }
      if device.type == "modems" {
        error(
          "\(id): networkd backend does not support GSM/CDMA modem configuration", code: "unsupported-by-renderer",
          at: location(device), notes: ["modems need `renderer: NetworkManager`"])
        continue
      }
      if device.type == "wifis" {
        if device.has(.match) {
          error(
            "\(id): networkd backend does not support wifi with match:, only by interface name",
            code: "unsupported-by-renderer", at: location(device, "match"))
          continue
        }
        checkWakeOnWLAN(device)
        checkChannels(device)
        for point in device[.accessPoints]?.entries ?? [] {
          if point.value["mode"]?.scalar == "ap" {
            error(
              "\(id): \(point.key): networkd does not support this wifi mode", code: "unsupported-by-renderer",
              at: point.value["mode"]?.location, notes: ["access-point mode needs `renderer: NetworkManager`"])
          }
          checkPassphrase(point.key, point.value, password: point.value["password"])
        }
      } else if device.has(.auth) {
        checkPassphrase(id, node, password: nil)
      }
      if let mac = device[.macaddress], let text = mac.scalar, MACAddress(text) == nil,
        ["stable", "preserve", "stable-ssid"].contains(text)
      {
        error(
          "\(id): networkd backend does not support the MAC address option '\(text)'",
          code: "unsupported-by-renderer", at: mac.location,
          notes: ["networkd knows 'permanent' and 'random'; '\(text)' needs `renderer: NetworkManager`"])
      }
    }
    // networkd also writes the .network file of Open vSwitch definitions.
    for device in devices where backend(device) != .networkManager {
      if device.type == "vlans", device[.renderer]?.scalar == "sriov" { continue }
      checkDHCPOverrides(device)
    }
  }

  /// wpa_supplicant's rule for pre-shared keys: 8 to 63 characters, or 64 hex digits.
  private mutating func checkPassphrase(_ name: String, _ owner: NetplanNode, password: NetplanNode?) {
    let auth = owner["auth"]
    let management = auth?["key-management"]?.scalar ?? ""
    var psk = password
    if psk == nil, let p = auth?["password"], ["psk", "psk-sha256", "sae"].contains(management) { psk = p }
    guard let psk, let text = psk.scalar else { return }
    // netplan escapes the text first; only plain printable ASCII keeps its length.
    guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "\\" && $0 != "\"" })
    else { return }
    let count = text.unicodeScalars.count
    if count == 64 {
      if !text.allSatisfy(\.isHexDigit) {
        error(
          "\(name): PSK length of 64 is only supported for hex-digit representation", code: "invalid-psk",
          at: psk.location)
      }
    } else if count < 8 || count > 63 {
      error(
        "\(name): ASCII passphrase must be between 8 and 63 characters (inclusive)", code: "invalid-psk",
        at: psk.location)
    }
  }

  private mutating func checkWakeOnWLAN(_ device: NetplanDevice) {
    let flags = [
      "default": 1, "any": 1 << 1, "disconnect": 1 << 2, "magic_pkt": 1 << 3, "gtk_rekey_failure": 1 << 4,
      "eap_identity_req": 1 << 5, "four_way_handshake": 1 << 6, "rfkill_release": 1 << 7, "tcp": 1 << 8,
    ]
    guard let list = device[.wakeonwlan] else { return }
    var mask = 0
    for item in list.items {
      guard let text = item.scalar, let flag = flags[text] else { return }
      mask |= flag
    }
    if mask > 1, mask & 1 != 0 || mask >= 1 << 8 {
      error(
        "unsupported wowlan_triggers mask: 0x\(String(mask, radix: 16))", code: "unsupported-by-renderer",
        at: list.location)
    }
  }

  /// networkd has one set of DHCP options: with both DHCPs on, the overrides must agree.
  private mutating func checkDHCPOverrides(_ device: NetplanDevice) {
    guard Self.bool(device[.dhcp4]) == true, Self.bool(device[.dhcp6]) == true else { return }
    let v4 = device[.dhcp4Overrides], v6 = device[.dhcp6Overrides]
    guard v4 != nil || v6 != nil else { return }
    for key in ["use-dns", "use-domains", "use-ntp", "send-hostname", "use-hostname", "use-mtu", "hostname", "route-metric", "use-routes"] {
      let a = v4?[key]?.scalar, b = v6?[key]?.scalar
      let same: Bool
      switch key {
      case "use-domains", "hostname": same = a == b
      case "route-metric": same = a.flatMap { UInt64($0) } == b.flatMap { UInt64($0) }
      default: same = (a.flatMap(NetplanBool.parse) ?? true) == (b.flatMap(NetplanBool.parse) ?? true)
      }
      if !same {
        error(
          "\(device.id): networkd requires that \(key) has the same value in both dhcp4_overrides and dhcp6_overrides",
          code: "unsupported-by-renderer", at: (v6?[key] ?? v4?[key])?.location ?? location(device),
          notes: ["networkd applies one set of DHCP options to both DHCPv4 and DHCPv6"])
        return
      }
    }
  }

  mutating func checkNetworkManager() {
    for device in devices where backend(device) == .networkManager {
      let id = device.id, node = device.node
      if device[.match]?["driver"] != nil, !device.has(.setName) {
        error(
          "\(id): NetworkManager definitions do not support matching by driver", code: "unsupported-by-renderer",
          at: node["match"]?["driver"]?.location)
      }
      if let item = device[.addresses]?.items.first(where: { !$0.entries.isEmpty }) {
        error("\(id): NetworkManager does not support address options", code: "unsupported-by-renderer", at: item.location)
      }
      if let mode = device[.activationMode], let text = mode.scalar, text != "manual" {
        error(
          "\(id): NetworkManager definitions do not support activation-mode \(text)", code: "unsupported-by-renderer",
          at: mode.location)
      }
      if let mtu = Self.unsigned(device[.ipv6Mtu]), mtu != 0 {
        error(
          "\(id): NetworkManager definitions do not support ipv6-mtu", code: "unsupported-by-renderer",
          at: location(device, "ipv6-mtu"))
      }
      if device.type == "wifis" { checkChannels(device) }
      checkNetworkManagerRoutes(device)
    }
  }

  /// NetworkManager writes routes and rules of a family only when the device has that family.
  private mutating func checkNetworkManagerRoutes(_ device: NetplanDevice) {
    var families: Set<IPAddress.Family> = []
    let addresses = (device[.addresses]?.items ?? []).compactMap { ($0.scalar ?? $0.entries.first?.key).flatMap(InterfaceAddress.init) }
    if device.type == "vrfs" || Self.bool(device[.dhcp4]) == true || addresses.contains(where: { $0.address.family == .ipv4 }) {
      families.insert(.ipv4)
    }
    let v6Nameservers = (device[.nameservers]?["addresses"]?.items ?? []).contains { IPv6Address($0.scalar ?? "") != nil }
    if device.type == "vrfs" || Self.bool(device[.dhcp6]) == true || addresses.contains(where: { $0.address.family == .ipv6 })
      || device.has(.gateway6) || v6Nameservers || device.has(.ipv6AddressGeneration)
    {
      families.insert(.ipv6)
    }
    func family(_ item: NetplanNode) -> IPAddress.Family? {
      for key in ["to", "via", "from"] {
        guard var text = item[key]?.scalar, text != "default" else { continue }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if let ip = IPAddress(text) { return ip.family }
      }
      return nil
    }
    for route in device[.routes]?.items ?? [] {
      guard let f = family(route), families.contains(f), let type = route["type"]?.scalar,
        type.lowercased() != "unicast"
      else { continue }
      error(
        "\(device.id): NetworkManager only supports unicast routes", code: "unsupported-by-renderer",
        at: route["type"]?.location)
      break
    }
    for rule in device[.routingPolicy]?.items ?? [] {
      guard let f = family(rule), families.contains(f), rule["priority"] == nil else { continue }
      // netplan 0.106 and 1.1 both write it (measured); NetworkManager refuses such a rule.
      diagnostics.append(.warning(
        "\(device.id): The priority setting is mandatory for NetworkManager routing-policy",
        code: "unsupported-by-renderer", at: rule.location,
        notes: ["netplan accepts the rule, but NetworkManager does not apply a routing-policy rule without `priority:`"]))
      break
    }
  }
}
