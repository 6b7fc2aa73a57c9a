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

  /// As `resolve`, for an edit: a name nothing defines and no network link has is taken for
  /// a typo (refused with the close names) unless the editor may create definitions.
  public static func resolve(_ name: String, in editor: NetplanEditor) throws(EditError) -> DeviceTarget {
    let target = try resolve(name, in: editor.original)
    if !target.exists { try editor.checkNewDevice(name) }
    return target
  }
}

extension NetplanEditor {
  /// Refuses `name` as a new definition unless `--new`/`--file` asked for one or a network
  /// link has that name: a typo would otherwise create a device that matches nothing.
  public func checkNewDevice(_ name: String) throws(EditError) {
    guard !allowsNewDevices, !links.contains(name) else { return }
    let config = original
    // A file that did not parse may define it: its own error says more.
    guard config.hierarchy.files.allSatisfy({ config.parsed[$0.path] != nil }) else { return }
    var known = config.devices.map(\.id) + links
    known += config.devices.compactMap { $0.node["set-name"]?.scalar }
    known += config.devices.compactMap { $0.node["match"]?["name"]?.scalar }.filter { !$0.contains(where: { "*?[".contains($0) }) }
    let close = Array(Set(known)).filter { NameDistance.isClose(name, $0) }.sorted()
    var message = "no netplan definition, set-name, match or network link is named '\(name)'"
    if !close.isEmpty { message += "; did you mean \(close.joined(separator: " or "))?" }
    message += " (--new creates a definition for '\(name)')"
    throw EditError(.usage, message)
  }
}

/// How far apart two names are, for "did you mean".
public enum NameDistance {
  /// Same but for case, or at most two edits apart (one for short names).
  public static func isClose(_ a: String, _ b: String) -> Bool {
    guard a != b else { return false }
    if a.lowercased() == b.lowercased() { return true }
    let limit = min(a.count, b.count) <= 4 ? 1 : 2
    return distance(Array(a.lowercased().utf8), Array(b.lowercased().utf8), limit: limit) <= limit
  }

  /// Levenshtein distance, stopping early above `limit`.
  static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      if current.min()! > limit { return limit + 1 }
      previous = current
    }
    return previous[b.count]
  }
}
