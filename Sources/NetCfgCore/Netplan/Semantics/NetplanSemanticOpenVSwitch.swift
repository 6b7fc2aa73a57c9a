import NetCfgYAML

/// What netplan's Open vSwitch generator refuses: bonds outside a bridge or with one member,
/// bond modes OVS lacks, device types it cannot create, patch ports nowhere, SSL controllers
/// without certificates, OVS data on interfaces outside OVS.
extension SemanticContext {
  /// The bond or bridge each interface belongs to (the first that claims it).
  func memberships() -> (bond: [String: String], bridge: [String: String]) {
    var bond: [String: String] = [:], bridge: [String: String] = [:]
    for ref in references() {
      guard case .member(let type) = ref.kind, bond[ref.name] == nil, bridge[ref.name] == nil else { continue }
      if type == "bonds" { bond[ref.name] = ref.owner.id } else if type == "bridges" { bridge[ref.name] = ref.owner.id }
    }
    return (bond, bridge)
  }

  mutating func checkOpenVSwitch() {
    // netplan's generator refuses Open vSwitch settings where ovs-vsctl is not installed,
    // naming the first definition it renders with Open vSwitch (0.106 at its first setting).
    if !config.ovsInstalled, let first = devices.first(where: { backend($0) == .openVSwitch }) {
      error(
        "\(first.id): The 'ovs-vsctl' tool is required to setup OpenVSwitch interfaces.", code: "ovs-missing",
        at: first.node.entries.first?.keyLocations.first ?? location(first),
        notes: ["install openvswitch-switch, or drop the Open vSwitch settings"])
    }
    let (bondOf, bridgeOf) = memberships()
    let ssl = config.network?["openvswitch"]?["ssl"]
    let sslComplete = ["ca-cert", "certificate", "private-key"].allSatisfy { ssl?[$0]?.scalar != nil }

    for device in devices {
      let id = device.id
      guard backend(device) == .openVSwitch else {
        // Most definitions have no `openvswitch:`: nothing more is read of them.
        guard let ovs = device[.openvswitch] else { continue }
        let data = ["external-ids", "other-config"].contains { !(ovs[$0]?.entries.isEmpty ?? true) }
        if data, bondOf[id] == nil, bridgeOf[id] == nil {
          error(
            "\(id): Interface needs to be assigned to an OVS bridge/bond to carry external-ids/other-config",
            code: "ovs-unassigned", at: location(device, "openvswitch"))
        }
        continue
      }
      switch device.type {
      case "bonds":
        if bridgeOf[id] == nil {
          error(
            "Bond \(id) needs to be a member of an OpenVSwitch bridge", code: "ovs-unassigned", at: location(device),
            notes: ["list '\(id)' in the `interfaces:` of an Open vSwitch bridge"])
          continue
        }
        if bondOf.values.filter({ $0 == id }).count < 2 {
          error("Bond \(id) needs to have at least 2 member interfaces", code: "ovs-bond-members", at: location(device, "interfaces"))
          continue
        }
        if let mode = device[.parameters]?["mode"], let text = mode.scalar,
          !["active-backup", "balance-tcp", "balance-slb"].contains(text)
        {
          error(
            "\(id): bond mode '\(text)' not supported by Open vSwitch", code: "unsupported-by-renderer",
            at: mode.location, notes: ["Open vSwitch bonds use active-backup, balance-tcp or balance-slb"])
        }
      case "bridges":
        guard !sslComplete else { continue }
        for target in device[.openvswitch]?["controller"]?["addresses"]?.items ?? [] {
          guard let text = target.scalar, text.hasPrefix("ssl:") || text.hasPrefix("pssl:") else { continue }
          error(
            "Open vSwitch bridge controller target '\(text)' needs SSL configuration, but global 'openvswitch.ssl' settings are not set",
            code: "ovs-ssl", at: target.location)
          break
        }
      case "vlans":
        break
      default:
        error(
          "\(id): This device type is not supported with the OpenVSwitch backend", code: "unsupported-by-renderer",
          at: location(device, "openvswitch"))
      }
    }
    for (port, at) in ovsPorts.sorted(by: { precedes($0.value, $1.value) }) where byID[port] == nil {
      if bondOf[port] == nil, bridgeOf[port] == nil {
        error(
          "\(port): OpenVSwitch patch port needs to be assigned to a bridge/bond", code: "ovs-unassigned", at: at)
      }
    }
  }
}
