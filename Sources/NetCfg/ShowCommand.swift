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
      let context = DeviceSummary.Context(network: network, types: definitions.map(\.type))
      if options.json {
        console.out(
          JSONValue.object([
            ("devices", .array(definitions.map { DeviceSummary($0, context: context).json })),
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
      let tables: @Sendable (Range<Int>) -> [UInt8] = { range in
        var out: [UInt8] = []
        out.reserveCapacity(range.count * 640)  // about what a table of a few addresses takes
        var scratch = ShowTable.Scratch()
        // This thread's own hold on the files' trees: the other thread reads the same
        // definitions, and sharing one reference count cost a few per cent (README).
        var reader = YAMLReader()
        for i in range {
          let definition = shown[i].read(by: &reader)
          if i > 0 { out.append(UInt8(ascii: "\n")) }
          ShowTable(device: DeviceSummary(definition, context: context), console: console, locations: locations)
            .write(to: &out, scratch: &scratch)
          out.append(UInt8(ascii: "\n"))
          // What is wrong with the definition itself, beside its values.
          for d in findings[definition.id] ?? [] where !quiet {
            ShowTable.append(
              "  " + console.paint("\(d.severity.rawValue):", "33") + " " + d.message.dropFirst(definition.id.count + 2)
                + (d.location.map { "  " + console.dim($0.description) } ?? "") + "\n", to: &out)
          }
        }
        return out
      }
      // Both threads take batches as they are free; the calling thread also prints the done
      // ones in order after each of its own, so printing overlaps the other's work.
      let batch = 128
      let batches = (shown.count + batch - 1) / batch
      let tasks = SharedTasks(count: batches), done = InOrder<[UInt8]>(count: batches)
      concurrently(batches > 1 ? 2 : 1) { thread in
        while let task = tasks.next() {
          done.put(tables(task * batch..<min((task + 1) * batch, shown.count)), at: task)
          guard thread == 0 else { continue }
          while let text = done.next(wait: false) { console.out(bytes: text) }
        }
        guard thread == 0 else { return }
        while let text = done.next(wait: true) { console.out(bytes: text) }
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

  /// The rows of a table before they are laid out: their values' bytes side by side. Kept
  /// from one table to the next (`show` writes thousands), so a table allocates nothing.
  struct Scratch {
    struct Row {
      var label: String
      var value: Range<Int>
      /// The columns the value takes (`width`), counted once for both uses.
      var width: Int
      var location: SourceLocation?
    }
    var values: [UInt8] = []
    var rows: [Row] = []
  }

  /// Appends the table (no line feed at its end) to `out`: bytes written in place, since
  /// making each table a string cost more than building its rows on thousands of devices.
  func write(to out: inout [UInt8], scratch: inout Scratch) {
    scratch.values.removeAll(keepingCapacity: true)
    scratch.rows.removeAll(keepingCapacity: true)
    collectRows(into: &scratch)
    var labelWidth = 11, valueWidth = 0
    for row in scratch.rows {
      labelWidth = max(labelWidth, row.label.utf8.count)  // the labels are ASCII
      valueWidth = max(valueWidth, row.width)
    }
    valueWidth = min(36, max(20, valueWidth))
    Self.append(console.bold(device.id), to: &out)
    Self.append(" (", to: &out)
    Self.append(device.type, to: &out)
    Self.append(")", to: &out)
    // Each part copied at once: appending paddings and numbers byte by byte took about a
    // tenth of the tables' time on thousands of devices.
    scratch.values.withUnsafeBufferPointer { values in
      for row in scratch.rows {
        Self.append("\n  ", to: &out)
        Self.append(row.label, to: &out)
        Self.pad(&out, max(0, labelWidth - row.label.utf8.count) + 2)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: values[row.value]))
        if let location = row.location {
          Self.pad(&out, max(0, valueWidth - row.width) + 2)  // two spaces after a value too wide
          if console.useColor {
            Self.append(console.dim(locations.string(location)), to: &out)
          } else {
            locations.write(location, to: &out)
          }
        } else {
          while out.last == UInt8(ascii: " ") { out.removeLast() }  // a line without an origin ends at its value
        }
      }
    }
  }

  /// The rows in the order they are shown, each value written to `scratch.values`.
  private func collectRows(into scratch: inout Scratch) {
    func row(_ label: String, _ location: SourceLocation?, _ value: (inout [UInt8]) -> Void) {
      let start = scratch.values.count
      value(&scratch.values)
      let range = start..<scratch.values.count
      let width = scratch.values.withUnsafeBufferPointer { Self.width(UnsafeBufferPointer(rebasing: $0[range])) }
      scratch.rows.append(Scratch.Row(label: label, value: range, width: width, location: location))
    }
    func over(_ list: [Contribution], _ out: inout [UInt8]) {
      guard let last = list.last else { return }
      Self.append("  (overrides ", to: &out)
      Self.append(last.scalar ?? "", to: &out)
      Self.append(" from ", to: &out)
      locations.write(last.location, to: &out)
      out.append(UInt8(ascii: ")"))
    }
    func list(_ label: String, _ items: [Sourced<String>]) {
      for (i, item) in items.enumerated() { row(i == 0 ? label : "", item.location) { Self.append(item.value, to: &$0) } }
    }
    func flag(_ label: String, _ d: Sourced<Bool>?) {
      if let d { row(label, d.location) { Self.append(d.value ? "yes" : "no", to: &$0); over(d.overridden, &$0) } }
    }
    if let name = device.setName { row("set-name", name.location) { Self.append(name.value, to: &$0); over(name.overridden, &$0) } }
    if !device.match.isEmpty {
      row("match", nil) { out in
        for (i, entry) in device.match.sorted(by: { $0.key < $1.key }).enumerated() {
          if i > 0 { out.append(UInt8(ascii: " ")) }
          Self.append(entry.key, to: &out)
          out.append(UInt8(ascii: "="))
          Self.append(entry.value, to: &out)
        }
      }
    }
    list("addresses", device.addresses)
    flag("dhcp4", device.dhcp4)
    flag("dhcp6", device.dhcp6)
    for (i, g) in device.gateways.enumerated() { row(i == 0 ? "gateway" : "", g.location) { Self.route(g, showTo: false, to: &$0) } }
    for (i, r) in device.routes.enumerated() { row(i == 0 ? "routes" : "", r.location) { Self.route(r, showTo: true, to: &$0) } }
    list("nameservers", device.nameservers)
    list("search", device.search)
    if let mtu = device.mtu { row("mtu", mtu.location) { Self.append(mtu.value, to: &$0); over(mtu.overridden, &$0) } }
    let renderer = device.renderer
    row("renderer", renderer.location) { out in
      Self.append(renderer.value, to: &out)
      if renderer.location == nil { Self.append(" (default)", to: &out) }
    }
  }

  /// `to via VIA metric M table T` (without `to` for a gateway), the parts there are.
  static func route(_ r: DeviceSummary.Route, showTo: Bool, to out: inout [UInt8]) {
    var parts = 0
    func part(_ prefix: String, _ text: String) {
      if parts > 0 { out.append(UInt8(ascii: " ")) }
      parts += 1
      append(prefix, to: &out)
      append(text, to: &out)
    }
    if showTo { part("", r.to) }
    if let via = r.via { part(showTo ? "via " : "", via) }
    if let metric = r.metric { part("metric ", metric) }
    if let table = r.table { part("table ", table) }
  }

  /// `text`'s UTF-8 appended, copied at once when the string is contiguous (nearly always).
  static func append(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { out.append(contentsOf: $0) }
  }

  /// `n` spaces (none when `n` is not positive).
  static func pad(_ out: inout [UInt8], _ n: Int) {
    guard n > 0 else { return }
    if n <= spaces.count {
      spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
    } else {
      out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }
  }

  private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

  /// The columns a value's bytes take: their count when they are ASCII (addresses, routes,
  /// file names: nearly always), else its characters (counting those walks graphemes).
  static func width(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    bytes.allSatisfy { $0 < 0x80 } ? bytes.count : String(decoding: bytes, as: UTF8.self).count
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
