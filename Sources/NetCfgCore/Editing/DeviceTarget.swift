import NetCfgYAML

#if canImport(Glibc)
  import Glibc
#endif

/// The device an interface name means: its netplan id and section, found by id, `set-name`
/// or `match: {name: ...}`; a name nothing defines becomes a new ethernet (a kernel name).
public struct DeviceTarget: Sendable, Equatable {
  public var id: String
  public var type: String
  public var exists: Bool

  public var path: YAMLPath { YAMLPath(keys: "network", type, id) }

  public static func resolve(_ name: String, in config: NetplanConfiguration) throws(EditError) -> DeviceTarget {
    // Ids are netplan ids, not kernel names (NetworkManager's are `NM-<uuid>`, longer than 15).
    if let device = config.device(name) { return DeviceTarget(id: device.id, type: device.type, exists: true) }
    if let problem = InterfaceName.problem(name) { throw EditError(.usage, problem) }
    let bySetName = config.devices.filter { $0.node["set-name"]?.scalar == name }
    let byMatch = config.devices.filter { device in
      guard let pattern = device.node["match"]?["name"]?.scalar else { return false }
      return fnmatch(pattern, name, 0) == 0
    }
    for candidates in [bySetName, byMatch] where !candidates.isEmpty {
      guard candidates.count == 1 else {
        throw EditError(
          .usage, "'\(name)' matches several definitions (\(candidates.map(\.id).joined(separator: ", "))); name one by its id")
      }
      return DeviceTarget(id: candidates[0].id, type: candidates[0].type, exists: true)
    }
    return DeviceTarget(id: name, type: "ethernets", exists: false)
  }
}
