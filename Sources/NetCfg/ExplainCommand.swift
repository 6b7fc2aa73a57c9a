import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg explain KEY|IFACE`: every file and line that contributes, shadowed ones marked.
  struct Explain: Command {
    static let info = CommandInfo(
      name: "explain",
      abstract: "Show every file and line that sets a key or defines a device, and which one wins.")

    var options: GlobalOptions
    var target = ""

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      target = a.argument("target", help: "A dotted key (ethernets.eth0.addresses) or a device id (eth0).")
    }

    func run() throws {
      let console = options.console
      let config = try options.loadNetplan(recover: false)
      let path: YAMLPath
      if let device = config.device(target) {
        path = YAMLPath(keys: "network", device.type, device.id)
      } else {
        do { path = try NetplanPath.parse(target) } catch { throw ValidationError(error.description) }
      }
      let found = NetplanExplainer.explain(path, in: config)
      if options.json {
        console.out(
          JSONValue.object([
            ("key", .string(path.description)),
            ("value", config.merged?.node(at: path)?.value.json ?? .null),
            ("sources", .array(found.map(\.json))),
          ]).serialized())
        if found.isEmpty { throw Exit.failure }
        return
      }
      guard !found.isEmpty else {
        console.err("netcfg: \(target): not set in any netplan file")
        throw Exit.failure
      }
      console.out(console.bold(path.description))
      if let merged = config.merged?.node(at: path) {
        console.out("  in force: " + merged.value.description)
      }
      for item in found {
        console.out("  \(item.location)  \(item.value)  [\(item.statusText)]")
      }
      // For a device (or any mapping): who sets each of its keys.
      for entry in config.merged?.node(at: path)?.entries ?? [] {
        let keyPath = path.appending(.key(entry.key))
        console.out(console.bold("  " + entry.key))
        for item in NetplanExplainer.explain(keyPath, in: config) {
          console.out("    \(item.location)  \(item.value)  [\(item.statusText)]")
        }
      }
    }
  }
}

extension Explanation {
  var statusText: String {
    switch status {
    case .inForce: return "in force"
    case .merged: return "merged"
    case .overridden(let by): return "overridden by \(by)"
    case .fileShadowed(let by): return "file shadowed by \(by)"
    }
  }

  var json: JSONValue {
    let state: String
    switch status {
    case .inForce: state = "in-force"
    case .merged: state = "merged"
    case .overridden: state = "overridden"
    case .fileShadowed: state = "shadowed"
    }
    var by: JSONValue = .null
    if case .overridden(let location) = status { by = location.json }
    if case .fileShadowed(let file) = status { by = .string(file) }
    return .object([("source", location.json), ("value", value.json), ("status", .string(state)), ("by", by)])
  }
}
