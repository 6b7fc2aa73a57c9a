import NetCfgYAML

/// Tunnels: the mode, the ends and their address family, keys, VXLAN ids, WireGuard keys and
/// peers (netplan's `validate_tunnel_grammar` and `validate_tunnel_backend_rules`).
extension SemanticContext {
  static let ipv6TunnelModes: Set<String> = ["ipip6", "ip6ip6", "ip6gre", "ip6gretap", "vti6"]
  static let knownTunnelModes: Set<String> = [
    "ipip", "gre", "sit", "isatap", "vti", "ip6ip6", "ipip6", "ip6gre", "vti6", "gretap", "ip6gretap", "vxlan",
    "wireguard",
  ]

  /// input, output and private keys of a tunnel (`key: X` sets all three), with their nodes.
  func tunnelKeys(_ node: NetplanNode) -> [String: NetplanNode] {
    var out: [String: NetplanNode] = [:]
    for key in ["key", "keys"] {
      guard let value = node[key] else { continue }
      if value.scalar != nil {
        for which in ["input", "output", "private"] { out[which] = value }
      } else {
        for which in ["input", "output", "private"] { if let v = value[which] { out[which] = v } }
      }
    }
    return out
  }

  mutating func checkTunnels() {
    for device in devices where device.type == "tunnels" {
      let id = device.id, node = device.node
      guard let mode = node["mode"]?.scalar, presentAtFirstDefinition(device, "mode") else {
        if node["mode"] == nil || node["mode"]?.scalar != nil {
          definitionError("\(id): missing or invalid 'mode' property for tunnel", code: "missing-property", device)
        }
        continue
      }
      guard Self.knownTunnelModes.contains(mode) else { continue }  // the grammar reports it
      let keys = tunnelKeys(node)

      if mode == "vxlan" { checkVXLAN(device) }

      if mode == "wireguard" {
        checkWireGuard(device, privateKey: keys["private"])
        continue
      }
      for which in ["input", "output"] {
        guard let key = keys[which], let text = key.scalar else { continue }
        let number = UInt64(text).map { $0 <= UInt64(UInt32.max) } ?? false
        if !number, IPv4Address(text) == nil {
          definitionError("\(id): invalid tunnel key '\(text)'", code: "invalid-tunnel-key", device, value: key.location)
        }
      }
      if mode != "vxlan", node["remote"] == nil {
        definitionError("\(id): missing 'remote' property for tunnel", code: "missing-property", device)
      }
      if let ttl = Self.unsigned(node["ttl"]), ttl > 255 {
        definitionError(
          "\(id): 'ttl' property for tunnel must be in range [1...255]", code: "invalid-value",
          device, value: node["ttl"]?.location)
      }
      checkTunnelFamilies(device, mode: mode)
      checkTunnelBackend(device, mode: mode, keys: keys)
    }
  }

  private mutating func checkTunnelFamilies(_ device: NetplanDevice, mode: String) {
    let id = device.id
    let local = device.node["local"], remote = device.node["remote"]
    func isV6(_ node: NetplanNode?) -> Bool? {
      guard let text = node?.scalar else { return nil }
      if IPv6Address(text) != nil { return true }
      if IPv4Address(text) != nil { return false }
      return nil  // malformed: the grammar reports it
    }
    if mode == "vxlan" {
      if let l = isV6(local), let r = isV6(remote), l != r {
        definitionError(
          "\(id): 'local' and 'remote' must be of same IP family type", code: "tunnel-family",
          device, value: remote?.location)
      }
      return
    }
    let wantV6 = Self.ipv6TunnelModes.contains(mode)
    let family = wantV6 ? "IPv6" : "IPv4"
    for (name, node) in [("local", local), ("remote", remote)] {
      if let v6 = isV6(node), v6 != wantV6 {
        definitionError(
          "\(id): '\(name)' must be a valid \(family) address for this tunnel type", code: "tunnel-family",
          device, value: node?.location, notes: ["mode '\(mode)' carries \(family) between \(family) ends"])
      }
    }
  }

  private mutating func checkVXLAN(_ device: NetplanDevice) {
    let id = device.id, node = device.node
    // netplan starts the VXLAN settings afresh in every file that defines the tunnel.
    let idFiles = Set(entry(node, "id")?.keyLocations.map(\.file) ?? [])
    let vni = Self.unsigned(node["id"])
    if let without = device.keyLocations.first(where: { !idFiles.contains($0.file) }) {
      definitionError("\(id): missing 'id' property (VXLAN VNI)", code: "missing-property", device, inFile: without.file)
    } else if vni == 0 {
      definitionError("\(id): missing 'id' property (VXLAN VNI)", code: "missing-property", device, value: node["id"]?.location)
    } else if let vni, vni > 16_777_215 {
      definitionError("\(id): VXLAN 'id' (VNI) must be in range [1..16777215]", code: "invalid-value", device, value: node["id"]?.location)
    }
    if let label = Self.unsigned(node["flow-label"]), label > 1_048_575, label < UInt64(UInt32.max) {
      definitionError(
        "\(id): VXLAN 'flow-label' must be in range [0..1048575]", code: "invalid-value",
        device, value: node["flow-label"]?.location)
    }
  }

  /// A WireGuard key: 32 bytes in base64 (44 characters, one `=` of padding).
  static func isWireGuardKey(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 44, bytes[43] == UInt8(ascii: "="), bytes[42] != UInt8(ascii: "=") else { return false }
    return bytes[..<43].allSatisfy { b in
      (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F
    }
  }

  private mutating func checkWireGuard(_ device: NetplanDevice, privateKey: NetplanNode?) {
    let id = device.id
    if let key = privateKey, let text = key.scalar, !text.hasPrefix("/"), !Self.isWireGuardKey(text) {
      definitionError("\(id): invalid wireguard private key", code: "invalid-wireguard-key", device, value: key.location)
    }
    let nm = backend(device) == .networkManager
    if nm, let key = privateKey, let text = key.scalar, text.hasPrefix("/"), !Self.isWireGuardKey(text) {
      definitionError(
        "\(id): private key needs to be base64 encoded when using the NM backend", code: "unsupported-by-renderer",
        device, value: key.location)
    }
    for peer in device.node["peers"]?.items ?? [] {
      if let keepalive = Self.unsigned(peer["keepalive"]), keepalive > 65535 {
        definitionError("\(id): keepalive must be 0-65535 inclusive.", code: "invalid-value", device, value: peer["keepalive"]?.location)
      }
      guard let publicKey = peer["keys"]?["public"], let text = publicKey.scalar else {
        definitionError("\(id): a public key is required.", code: "missing-property", device, value: peer.location)
        continue
      }
      if !Self.isWireGuardKey(text) {
        definitionError("\(id): invalid wireguard public key", code: "invalid-wireguard-key", device, value: publicKey.location)
      }
      if let shared = peer["keys"]?["shared"], let text = shared.scalar {
        if !text.hasPrefix("/"), !Self.isWireGuardKey(text) {
          definitionError("\(id): invalid wireguard shared key", code: "invalid-wireguard-key", device, value: shared.location)
        } else if nm, text.hasPrefix("/"), !Self.isWireGuardKey(text) {
          error(
            "\(id): shared key needs to be base64 encoded when using the NM backend",
            code: "unsupported-by-renderer", at: shared.location)
        }
      }
    }
  }

  /// What networkd and NetworkManager support of classic tunnels.
  private mutating func checkTunnelBackend(_ device: NetplanDevice, mode: String, keys: [String: NetplanNode]) {
    let keyed: Set<String>
    switch backend(device) {
    case .networkd:
      if mode == "isatap" {
        error(
          "\(device.id): ISATAP tunnel mode is not supported by networkd", code: "unsupported-by-renderer",
          at: device.node["mode"]?.location, notes: ["use `renderer: NetworkManager` for ISATAP tunnels"])
        return
      }
      keyed = ["vti", "vti6", "gre", "ip6gre", "gretap", "ip6gretap"]
    case .networkManager:
      keyed = ["gre", "ip6gre", "gretap", "ip6gretap"]
    case .openVSwitch:
      return
    }
    guard !keyed.contains(mode) else { return }
    for which in ["input", "output"] {
      guard let key = keys[which] else { continue }
      error(
        "\(device.id): '\(which)-key' is not required for this tunnel type", code: "unsupported-by-renderer",
        at: key.location, notes: ["only GRE\(keyed.contains("vti") ? " and VTI" : "") tunnels use keys"])
      break
    }
  }
}
