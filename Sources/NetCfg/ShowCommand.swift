import NetCfgCore
import NetCfgYAML

extension NetCfg {
  /// `netcfg show [IFACE]`: the effective per-device view with each value's origin.
  struct Show: Command {
    static let info = CommandInfo(
      name: "show",
      abstract: "Show each device's addresses, DHCP, gateways, routes and DNS, with their files.")

    var options: GlobalOptions
    var interface: String?

    /// Findings about a definition that `show` prints under it.
    init(_ a: inout Arguments) throws(UsageError) {
      options = try GlobalOptions(&a)
      interface = a.optionalArgument("interface", help: "Only this device (its netplan id).")
    }

    static let deviceCodes: Set<String> = ["passthrough-shadows", "address-on-member", "gateway-off-subnet"]

    func run() throws {
      let console = options.console
      let rules = options.netplanRules
      let config = try options.loadNetplan(recover: false, rules: rules)
      let network = config.network
      var definitions = config.devices
      if let interface {
        definitions = definitions.filter { $0.id == interface || $0.node["set-name"]?.scalar == interface }
        guard !definitions.isEmpty else {
          console.err("netcfg: no netplan definition for '\(interface)'")
          throw Exit.failure
        }
      }
      if options.json {
        console.out(
          JSONValue.object([
            ("devices", .array(definitions.map { DeviceSummary($0, network: network).json })),
            ("files", .array(config.hierarchy.files.map { .string($0.path) })),
            ("diagnostics", .array(config.diagnostics.map(\.json))), ("rules", rules.json),
          ]).serialized())
        return
      }
      if definitions.isEmpty { console.out("no devices defined in any netplan file") }
      let findings = config.diagnostics.isEmpty ? [:] : Self.findingsByDevice(config.diagnostics, ids: Set(definitions.map(\.id)))
      // The tables are made on two threads a batch at a time, and printed in order as each
      // batch is done (on thousands of devices, making them on one thread took a quarter of
      // `show`'s time; thousands held at once would cost megabytes).
      let locations = SourceLocation.Formatter()
      let quiet = options.quiet, shown = definitions
      let tables: @Sendable (Range<Int>) -> String = { range in
        var text = ""
        for i in range {
          let definition = shown[i]
          if i > 0 { text += "\n" }
          text += ShowTable(device: DeviceSummary(definition, network: network), console: console, locations: locations).text
          text += "\n"
          // What is wrong with the definition itself, beside its values.
          for d in findings[definition.id] ?? [] where !quiet {
            text += "  " + console.paint("\(d.severity.rawValue):", "33") + " " + d.message.dropFirst(definition.id.count + 2)
              + (d.location.map { "  " + console.dim($0.description) } ?? "") + "\n"
          }
        }
        return text
      }
      let batch = 250
      for start in stride(from: 0, to: shown.count, by: 2 * batch) {
        let ranges = stride(from: start, to: min(start + 2 * batch, shown.count), by: batch).map { $0..<min($0 + batch, shown.count) }
        let texts = ranges.map { _ in Handoff<String>() }
        concurrently(ranges.count) { part in texts[part].value = tables(ranges[part]) }
        for text in texts { console.out(text.value!, terminator: "") }
      }
      if !config.diagnostics.isEmpty && !options.quiet {
        let errors = config.diagnostics.filter { $0.severity == .error }.count
        let count = config.diagnostics.count
        console.err(
          "\n\(count) diagnostic\(count == 1 ? "" : "s") (\(errors) error\(errors == 1 ? "" : "s")): run `netcfg validate` for details")
      }
    }

    /// The findings `show` prints under a definition, by its id (the message starts with
    /// `ID: `): grouped once, not searched again for each of thousands of devices.
    static func findingsByDevice(_ diagnostics: [Diagnostic], ids: Set<String>) -> [String: [Diagnostic]] {
      var byDevice: [String: [Diagnostic]] = [:]
      for d in diagnostics where deviceCodes.contains(d.code) {
        // An id may itself hold ": ": try each place the message has one.
        var rest = Substring(d.message)
        while let colon = rest.firstRange(of: ": ") {
          let id = String(d.message[..<colon.lowerBound])
          if ids.contains(id) {
            byDevice[id, default: []].append(d)
            break
          }
          rest = rest[colon.upperBound...]
        }
      }
      return byDevice
    }
  }
}

/// The human table of one device.
struct ShowTable {
  let device: DeviceSummary
  let console: Console
  var locations = SourceLocation.Formatter()

  var text: String {
    var rows: [(String, String, SourceLocation?)] = []
    func add(_ label: String, _ items: [Sourced<String>]) {
      if items.isEmpty { return }
      for (i, item) in items.enumerated() { rows.append((i == 0 ? label : "", item.value, item.location)) }
    }
    func over(_ list: [Contribution]) -> String {
      list.last.map { "  (overrides \($0.scalar ?? "") from \($0.location))" } ?? ""
    }
    if let name = device.setName { rows.append(("set-name", name.value + over(name.overridden), name.location)) }
    if !device.match.isEmpty {
      rows.append(("match", device.match.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), nil))
    }
    add("addresses", device.addresses)
    if let d = device.dhcp4 { rows.append(("dhcp4", (d.value ? "yes" : "no") + over(d.overridden), d.location)) }
    if let d = device.dhcp6 { rows.append(("dhcp6", (d.value ? "yes" : "no") + over(d.overridden), d.location)) }
    for (i, g) in device.gateways.enumerated() {
      rows.append((i == 0 ? "gateway" : "", routeText(g, showTo: false), g.location))
    }
    for (i, r) in device.routes.enumerated() { rows.append((i == 0 ? "routes" : "", routeText(r, showTo: true), r.location)) }
    add("nameservers", device.nameservers)
    add("search", device.search)
    if let mtu = device.mtu { rows.append(("mtu", mtu.value + over(mtu.overridden), mtu.location)) }
    rows.append(("renderer", device.renderer.value + (device.renderer.location == nil ? " (default)" : ""), device.renderer.location))
    let labelWidth = max(11, rows.map { Self.width($0.0) }.max() ?? 0)
    let valueWidth = min(36, max(20, rows.map { Self.width($0.1) }.max() ?? 0))
    // Bytes appended to one buffer, made a String once: appending to a String piece by
    // piece cost more than building the rows on thousands of devices.
    var out: [UInt8] = []
    out.reserveCapacity(64 + rows.count * (labelWidth + valueWidth + 48))
    out.append(contentsOf: console.bold(device.id).utf8)
    out.append(contentsOf: " (".utf8)
    out.append(contentsOf: device.type.utf8)
    out.append(UInt8(ascii: ")"))
    for (label, value, location) in rows {
      out.append(contentsOf: "\n  ".utf8)
      out.append(contentsOf: label.utf8)
      Self.pad(&out, labelWidth - Self.width(label))
      out.append(contentsOf: "  ".utf8)
      out.append(contentsOf: value.utf8)
      if let location {
        Self.pad(&out, valueWidth - Self.width(value))
        out.append(contentsOf: "  ".utf8)
        if console.useColor {
          out.append(contentsOf: console.dim(locations.string(location)).utf8)
        } else {
          locations.write(location, to: &out)
        }
      } else {
        while out.last == UInt8(ascii: " ") { out.removeLast() }  // a line without an origin ends at its value
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func pad(_ out: inout [UInt8], _ n: Int) {
    if n > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n)) }
  }

  /// The columns `text` takes: its length in bytes when it is ASCII (addresses, routes,
  /// file names: nearly always), else its characters (counting those walks graphemes, which
  /// showed in profiles of `show` on thousands of devices).
  static func width(_ text: String) -> Int {
    let ascii = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
    return ascii ? text.utf8.count : text.count
  }

  /// `n` spaces (none for n <= 0).
  static func spaces(_ n: Int) -> String {
    n <= 0 ? "" : String(repeating: " ", count: n)
  }

  func routeText(_ r: DeviceSummary.Route, showTo: Bool) -> String {
    var parts: [String] = []
    if showTo { parts.append(r.to) }
    if let via = r.via { parts.append(showTo ? "via \(via)" : via) }
    if let metric = r.metric { parts.append("metric \(metric)") }
    if let table = r.table { parts.append("table \(table)") }
    return parts.joined(separator: " ")
  }
}

extension DeviceSummary {
  /// The documented `show --json` shape of a device.
  var json: JSONValue {
    func overridden(_ list: [Contribution]) -> JSONValue {
      .array(list.map { .object([("value", .optional($0.scalar)), ("source", $0.location.json)]) })
    }
    func sourced(_ s: Sourced<String>) -> JSONValue {
      .object([("value", .string(s.value)), ("source", s.location?.json ?? .null), ("overrides", overridden(s.overridden))])
    }
    func bool(_ s: Sourced<Bool>?) -> JSONValue {
      s.map {
        .object([("value", .bool($0.value)), ("source", $0.location?.json ?? .null), ("overrides", overridden($0.overridden))])
      } ?? .null
    }
    func route(_ r: Route) -> JSONValue {
      .object([
        ("to", .string(r.to)), ("via", .optional(r.via)), ("metric", .optional(r.metric)),
        ("table", .optional(r.table)), ("source", r.location.json),
      ])
    }
    return .object([
      ("id", .string(id)), ("type", .string(type)),
      ("renderer", sourced(renderer)),
      ("set-name", setName.map(sourced) ?? .null),
      ("match", .object(match.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
      ("addresses", .array(addresses.map(sourced))),
      ("dhcp4", bool(dhcp4)), ("dhcp6", bool(dhcp6)),
      ("gateways", .array(gateways.map(route))), ("routes", .array(routes.map(route))),
      ("nameservers", .array(nameservers.map(sourced))), ("search", .array(search.map(sourced))),
      ("mtu", mtu.map(sourced) ?? .null),
    ])
  }
}
