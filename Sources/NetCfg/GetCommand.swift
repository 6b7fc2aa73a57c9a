import ArgumentParser
import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg get KEY`: the merged value at a dotted path, as netplan spells it.
  struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "get",
      abstract: "Print the merged netplan value at a dotted path.",
      discussion: """
        KEY is a dotted path as netplan spells it, with or without the leading `network.`: \
        ethernets.ens33.addresses, network.vlans."vlan.10".id, ethernets.eth0.routes[0].via. \
        A missing key exits 1; a key set to null prints null.
        """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Dotted path, e.g. ethernets.ens33.addresses.") var key: String

    func run() throws {
      let console = options.console
      let path: YAMLPath
      do { path = try NetplanPath.parse(key) } catch {
        throw ValidationError(error.description)
      }
      let config = try options.loadNetplan(validate: false)
      guard let node = config.merged?.node(at: path) else {
        if options.json {
          console.out(JSONValue.object([("key", .string(key)), ("found", false), ("value", .null)]).serialized())
        } else {
          console.err("netcfg: \(key): not set in any netplan file")
        }
        throw Exit.failure
      }
      if options.json {
        console.out(
          JSONValue.object([
            ("key", .string(key)), ("found", true), ("value", node.value.json),
            ("source", node.location.json),
          ]).serialized())
      } else {
        console.out(node.value.blockText())
      }
    }
  }
}
