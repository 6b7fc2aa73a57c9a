import NetCfgYAML

// `wifis:`, access points and `auth:` (`wifi_def_handlers`, `wifi_access_point_handlers`,
// `auth_handlers`).

extension NetplanSchema {
  /// `wifis:`.
  static let wifi = definition(
    "wifis", commonLink, physicalLink,
    [
      "access-points": accessPoints,
      "auth": .mapping(auth),
      "regulatory-domain": scalar(string),
    ])

  /// `auth:` of a device or an access point.
  static let auth = MappingSchema(
    "auth",
    [
      "key-management": scalar(
        oneOf("key-management", ["none", "psk", "psk-sha256", "eap", "eap-sha256", "eap-suite-b-192", "sae", "802.1x"]) {
          "unknown key management type '\($0)'"
        }),
      "method": scalar(oneOf("method", ["tls", "peap", "ttls", "leap", "pwd"]) { "unknown EAP method '\($0)'" }),
      "identity": scalar(string),
      "anonymous-identity": scalar(string),
      "password": scalar(string),
      "ca-certificate": scalar(string),
      "client-certificate": scalar(string),
      "client-key": scalar(string),
      "client-key-password": scalar(string),
      "phase2-auth": scalar(string),
    ])

  /// One access point.
  static let accessPoint = MappingSchema(
    "access-point",
    [
      "band": scalar(oneOf("band", ["5GHz", "5G", "2.4GHz", "2.4G"]) { "unknown wifi band '\($0)'" }),
      "bssid": scalar(macAddress),
      "hidden": scalar(bool),
      "channel": scalar(guint),
      "mode": scalar(oneOf("wifi-mode", ["infrastructure", "adhoc", "ap"]) { "unknown wifi mode '\($0)'" }),
      "password": scalar(string),
      "auth": .mapping(auth),
      "networkmanager": .mapping(networkManagerSettings),
    ])

  /// `access-points:`: SSIDs to access points; an SSID given twice is an error at its key.
  static let accessPoints = NetplanRule.custom(
    CustomRule("access-points") { node, context in
      var seen: Set<[UInt8]> = []
      context.forEachEntry(node) { key, value, context in
        guard context.expectMapping(value) != nil else { return }
        if !seen.insert(Array(key.text.utf8)).inserted {
          context.error(
            "\(context.devicePrefix): Duplicate access point SSID '\(key.text)'", at: key.node,
            code: "duplicate-ssid")
        }
        context.validate(value, .mapping(accessPoint))
      }
    })
}
