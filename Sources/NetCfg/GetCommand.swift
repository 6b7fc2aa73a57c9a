import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg get KEY`: the merged value at a dotted path, as netplan spells it.
  struct Get: Command {
    static let info = CommandInfo(
      name: "get",
      abstract: "Print the merged netplan value at a dotted path.",
      discussion: """
        KEY is a dotted path as netplan spells it, with or without the leading `network.`: \
        ethernets.ens33.addresses, network.vlans."vlan.10".id, ethernets.eth0.routes[0].via. \
        A missing key exits 1; a key set to null prints null.
        """)

    var options: GlobalOptions
    var key = ""

    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      key = a.argument("key", help: "Dotted path, e.g. ethernets.ens33.addresses.")
    }

    func run() throws {
      let console = options.console
      let path: YAMLPath
      do { path = try NetplanPath.parse(key) } catch {
        throw ValidationError(error.description)
      }
      let config = try options.loadNetplan(validate: false, recover: false, only: path)
      guard let node = config.merged?.node(at: path) else {
        if options.json {
          console.out(JSONValue.object([("key", .string(path.description)), ("found", false), ("value", .null)]).serialized())
        } else {
          console.err("netcfg: \(key): not set in any netplan file")
        }
        throw Exit.failure
      }
      if options.json {
        console.out(
          JSONValue.object([
            ("key", .string(path.description)), ("found", true), ("value", node.value.json),
            ("source", keyLocation(of: node, at: path, in: config).json),
          ]).serialized())
      } else {
        console.out(node.value.blockText())
      }
    }
  }
}

/// Where the key of `path` is written in the file its value comes from (as `explain` shows
/// it); the value's own place for a list item.
func keyLocation(of node: NetplanNode, at path: YAMLPath, in config: NetplanConfiguration) -> SourceLocation {
  let file = node.location.file
  guard let key = config.parsed[file]?.root?.entry(at: path)?.key else { return node.location }
  return SourceLocation(file: file, line: key.start.line, column: key.start.column)
}
