import NetCfgYAML

// Open vSwitch: a device's `openvswitch:` (`ovs_backend_settings_handlers`) and the global
// `network: openvswitch:` (`ovs_network_settings_handlers`).

extension NetplanSchema {
  /// A device's `openvswitch:`. Some keys are for bonds or bridges only.
  static let deviceOpenVSwitch = NetplanRule.mapping(
    MappingSchema(
      "openvswitch",
      [
        "external-ids": scalarMap,
        "other-config": scalarMap,
        "lacp": contextScalar("lacp") { text, context in
          guard context.deviceType == "bonds" else {
            return "Key 'lacp' is only valid for interface type 'Open vSwitch bond'"
          }
          return ["active", "passive", "off"].contains(text)
            ? nil : "Value of 'lacp' needs to be 'active', 'passive' or 'off"
        },
        "fail-mode": contextScalar("fail-mode") { text, context in
          guard context.deviceType == "bridges" else {
            return "Key 'fail-mode' is only valid for interface type 'Open vSwitch bridge'"
          }
          return ["standalone", "secure"].contains(text)
            ? nil : "Value of 'fail-mode' needs to be 'standalone' or 'secure'"
        },
        "mcast-snooping": bridgeOnlyBool,
        "rstp": bridgeOnlyBool,
        "protocols": bridgeOnly(
          "Key 'protocols' is only valid for interface type 'Open vSwitch bridge'", ovsProtocols),
        "controller": .mapping(
          MappingSchema(
            "controller",
            [
              "addresses": bridgeOnly(
                "Key 'controller.addresses' is only valid for interface type 'Open vSwitch bridge'",
                ovsControllerAddresses),
              "connection-mode": contextScalar("connection-mode") { text, context in
                guard context.deviceType == "bridges" else {
                  return "Key 'controller.connection-mode' is only valid for interface type 'Open vSwitch bridge'"
                }
                return ["in-band", "out-of-band"].contains(text)
                  ? nil : "Value of 'connection-mode' needs to be 'in-band' or 'out-of-band'"
              },
            ])),
      ]))

  static let bridgeOnlyBool = contextScalar("ovs-bridge-bool") { text, context in
    guard context.deviceType == "bridges" else { return "Key is only valid for interface type 'Open vSwitch bridge'" }
    return bool.check(text)
  }

  /// A sequence that only bridges may have: the type is checked at the sequence first.
  static func bridgeOnly(_ message: String, _ rule: NetplanRule) -> NetplanRule {
    .custom(
      CustomRule("ovs-bridge-only") { node, context in
        guard context.expectSequence(node) != nil else { return }
        guard context.deviceType == "bridges" else { return context.error(message, at: node) }
        context.validate(node, rule)
      })
  }

  /// `network: openvswitch:`.
  static let globalOpenVSwitch = NetplanRule.mapping(
    MappingSchema(
      "openvswitch",
      [
        "external-ids": scalarMap,
        "other-config": scalarMap,
        "protocols": ovsProtocols,
        "ports": ovsPorts,
        "ssl": .mapping(
          MappingSchema(
            "ssl", ["ca-cert": scalar(string), "certificate": scalar(string), "private-key": scalar(string)])),
      ]))

  /// `protocols:`: OpenFlow versions; OpenFlow16 is ignored with a warning.
  static let ovsProtocols = scalarList(
    "protocols",
    item: { text, itemNode, context in
      if text == "OpenFlow16" {
        context.warning(
          "Open vSwitch: Ignoring deprecated protocol: \(text)", at: itemNode, code: "ovs-deprecated-protocol")
        return nil
      }
      let supported = ["OpenFlow10", "OpenFlow11", "OpenFlow12", "OpenFlow13", "OpenFlow14", "OpenFlow15"]
      return supported.contains(text) ? nil : "Unsupported OVS 'protocol' value: \(text)"
    })

  /// `controller: addresses:`: `tcp:`/`ssl:HOST[:PORT]`, `ptcp:`/`pssl:[PORT][:HOST]`,
  /// `unix:`/`punix:PATH`.
  static let ovsControllerAddresses = scalarList(
    "controller-addresses",
    item: { text, _, _ in
      isOVSControllerTarget(text) ? nil : "Unsupported OVS controller target: \(text)"
    })

  static func isOVSControllerTarget(_ text: String) -> Bool {
    guard let colon = text.firstIndex(of: ":") else { return false }
    let scheme = text[..<colon]
    let rest = String(text[text.index(after: colon)...])
    switch scheme {
    case "unix", "punix": return true
    case "tcp", "ssl": return isOVSTarget(hostFirst: true, rest)
    case "ptcp", "pssl": return isOVSTarget(hostFirst: false, rest)
    default: return false
    }
  }

  /// `validate_ovs_target`: a port in 1...65535 and, when given, an IP address host.
  static func isOVSTarget(hostFirst: Bool, _ target: String) -> Bool {
    let defaultPort = "6653"
    var host: String?
    var port: String
    func split(_ s: String, _ separator: String) -> (String, String?) {
      guard let range = s.firstRange(of: separator) else { return (s, nil) }
      return (String(s[..<range.lowerBound]), String(s[range.upperBound...]))
    }
    if hostFirst {
      if target.hasPrefix("[") {
        let inner = String(target.dropFirst())
        let (h, p) = split(inner.contains("]:") ? inner : inner + ":" + defaultPort, "]:")
        guard let p else { return false }  // netplan aborts here
        (host, port) = (h, p)
      } else {
        let (h, p) = split(target.contains(":") ? target : target + ":" + defaultPort, ":")
        (host, port) = (h, p ?? defaultPort)
      }
    } else if target.isEmpty {
      port = defaultPort
    } else {
      let (p, h) = split(target, ":")
      port = p
      host = h.map { $0.hasPrefix("[") ? $0.filter { $0 != "[" && $0 != "]" } : $0 }
    }
    if let h = host, let percent = h.firstIndex(of: "%") { host = String(h[..<percent]) }
    let portNumber = CNumber(port).intValue
    guard portNumber > 0, portNumber <= 65535 else { return false }
    guard let host else { return true }
    return isIP(host)
  }

  /// `ports:`: pairs of patch port names; a port belongs to one peer only.
  static let ovsPorts = NetplanRule.custom(
    CustomRule("ports") { node, context in
      guard let pairs = context.expectSequence(node) else { return }
      var peers: [[UInt8]: String] = [:]
      for pairNode in pairs {
        guard let pair = context.resolve(pairNode), let items = context.expectSequence(pair) else { return }
        guard items.count == 2 else {
          return context.error("An Open vSwitch peer port sequence must have exactly two entries", at: pair)
        }
        guard let portNode = context.resolve(items[0]), let port = context.expectScalar(portNode),
          let peerNode = context.resolve(items[1]), let peer = context.expectScalar(peerNode)
        else { return }
        if same(port, peer) {
          return context.error("Open vSwitch patch ports must be of different name", at: peerNode)
        }
        if let old = peers[Array(port.utf8)], !same(old, peer) {
          return context.error("Open vSwitch port '\(port)' is already assigned to peer '\(old)'", at: portNode)
        }
        if let old = peers[Array(peer.utf8)], !same(old, port) {
          return context.error("Open vSwitch port '\(peer)' is already assigned to peer '\(old)'", at: peerNode)
        }
        peers[Array(port.utf8)] = peers[Array(port.utf8)] ?? peer
        peers[Array(peer.utf8)] = peers[Array(peer.utf8)] ?? port
      }
    })
}
