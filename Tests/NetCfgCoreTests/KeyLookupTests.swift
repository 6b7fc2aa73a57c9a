import NetCfgYAML
import Testing

@testable import NetCfgCore

/// The lookups the checks make without strings: a schema's keys by their bytes, a mapping's
/// entries by a list of names, and the indexes built once per merge.
@Suite struct KeyLookupTests {
  /// Every key of every schema is found by its bytes with its own rule, and nothing else is:
  /// the same answers as the dictionary the table is built from.
  @Test func everySchemaKeyIsFoundByItsBytes() {
    var schemas: [MappingSchema] = [
      NetplanSchema.ethernet, NetplanSchema.modem, NetplanSchema.dummy, NetplanSchema.virtualEthernet,
      NetplanSchema.vlan, NetplanSchema.vrf, NetplanSchema.bridge, NetplanSchema.bond, NetplanSchema.bridgeParameters,
      NetplanSchema.match, NetplanSchema.nameservers, NetplanSchema.dhcpOverrides, NetplanSchema.addressOptions,
      MappingSchema("empty", [:]), MappingSchema("one", ["k": .any]),
    ]
    // A table far fuller than any schema: probing past taken slots.
    schemas.append(MappingSchema("many", Dictionary(uniqueKeysWithValues: (0..<500).map { ("key-\($0)", NetplanRule.any) })))
    var checked = 0
    for schema in schemas {
      for key in schema.keys.keys {
        let found = Array(key.utf8).withUnsafeBufferPointer { schema.table.value(for: $0) }
        #expect(found != nil, "\(schema.name): '\(key)' not found")
        if case .mapping(let inner)? = found, case .mapping(let expected)? = schema.keys[key] {
          #expect(inner === expected, "\(schema.name): '\(key)' found with another rule")
        }
        checked += 1
      }
      for miss in ["", "x", "dhcp", "dhcp44", "addresse", "addressesX", "key-500", "Key-1", "renderer ", "ключ"] where schema.keys[miss] == nil {
        let found = Array(miss.utf8).withUnsafeBufferPointer { schema.table.value(for: $0) }
        #expect(found == nil, "\(schema.name): '\(miss)' found")
      }
    }
    #expect(checked > 700)
  }

  /// Keys compared in place are the keys written: plain, quoted, escaped (kept as a string
  /// of their own), aliased; unknown ones are reported with their text at the key.
  @Test func schemaKeysAreReadAsWritten() throws {
    let yaml = """
      network:
        ethernets:
          eth0:
            "dhcp4": true
            'dhcp6': false
            "mt\\u0075": 1500
            dhcp44: true
            routes: []
      """
    let file = try YAMLFile(name: "a.yaml", text: yaml)
    var context = SchemaContext(file: file)
    context.validate(file.root!, NetplanSchema.root)
    #expect(context.diagnostics.map { "\($0.location!.line):\($0.location!.column): \($0.message)" } == ["7:7: unknown key 'dhcp44'"])
  }

  /// `forEachEntryKey` gives every entry in order with its key's bytes when the source has
  /// the key as it reads (plain or quoted without escapes), nil for an escaped key, an alias
  /// or a key that is no scalar; `entryKey`/`entryValue` are the entry's nodes. Nothing for
  /// other nodes.
  @Test func entriesByPositionAreReadInPlace() throws {
    let file = try YAMLFile(name: "a.yaml", text: "a: 1\n'routes': 2\n\"b\\tc\": 3\n[x]: 4\n&k d: 5\n*k : 6\n")
    let root = file.root!
    var seen: [String] = []
    root.forEachEntryKey { bytes, position in
      let key = bytes.map { String(decoding: $0, as: UTF8.self) } ?? "nil"
      seen.append("\(position):\(key)=\(root.entryValue(position).scalarText ?? "?")")
      #expect(root.entryKey(position).isSame(as: root.entries[position].key))
    }
    #expect(seen == ["0:a=1", "1:routes=2", "2:nil=3", "3:nil=4", "4:d=5", "5:nil=6"])
    var none = 0
    root.firstValue(forKey: "a")!.forEachEntryKey { _, _ in none += 1 }
    #expect(none == 0)
    #expect(root.firstValue(forKey: "a")!.isScalar(equalTo: "1"))
    #expect(!root.firstValue(forKey: "a")!.isScalar(equalTo: "11"))
    #expect(root.entryKey(2).isScalar(equalTo: "b\tc"))
  }

  /// The byte comparison at every length around its 8-byte steps, and a difference at every
  /// position.
  @Test func bytesCompareAtEveryLength() {
    for count in 0...33 {
      let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
      #expect(a.withUnsafeBytes { x in a.withUnsafeBytes { y in Bytes.equal(x.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, y.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: count) } })
      for position in 0..<count {
        var b = a
        b[position] ^= 0x20
        #expect(!a.withUnsafeBytes { x in b.withUnsafeBytes { y in Bytes.equal(x.baseAddress!, y.baseAddress!, count: count) } })
      }
    }
  }

  /// A device section large enough to be indexed, with an id written twice and a device
  /// that changes type in a later file: each lookup finds the first definition, and the
  /// type change is reported once, at the later key.
  @Test func largeSectionsIndexTheFirstDefinition() {
    var first = "network:\n  ethernets:\n"
    for i in 0..<40 { first += "    eth\(i): {mtu: \(1000 + i)}\n" }
    first += "    eth7: {dhcp4: true}\n"
    let second = "network:\n  bonds:\n    eth3: {interfaces: [eth4]}\n"
    let config = NetplanConfiguration.load(
      NetplanHierarchy.arranging([
        NetplanSourceFile(path: "/etc/netplan/10-a.yaml", directory: .etc, name: "10-a.yaml", bytes: Array(first.utf8), info: nil),
        NetplanSourceFile(path: "/etc/netplan/20-b.yaml", directory: .etc, name: "20-b.yaml", bytes: Array(second.utf8), info: nil),
      ]))
    #expect(config.device("eth7")?.node["mtu"]?.scalar == "1007")
    #expect(config.device("eth7")?.node["dhcp4"]?.scalar == "true")
    #expect(config.device("eth39")?.node["mtu"]?.scalar == "1039")
    #expect(config.device("eth3")?.type == "ethernets")
    let changed = config.diagnostics.filter { $0.code == "device-type-changed" }
    #expect(changed.map { "\($0.location!.file):\($0.location!.line)" } == ["/etc/netplan/20-b.yaml:3"])
  }

  /// Each `DeviceKey` is spelled as its case reads with dashes, and fits a 64-bit set.
  @Test func deviceKeyNamesFollowTheirCases() {
    #expect(DeviceKey.allCases.count == DeviceKey.names.count && DeviceKey.names.count <= 64)
    for key in DeviceKey.allCases {
      let dashed = String(describing: key).reduce(into: "") { out, c in
        if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
      }
      #expect(key.name == dashed)
    }
    #expect(NetplanWarnings.RouteKey.allCases.map(\.name) == ["to", "via", "from", "type", "on-link", "table", "metric"])
  }

  /// A definition has a `DeviceKey` exactly when its merged node has the key: keys read in
  /// place (plain, quoted, escaped), merged from two files, repeated, and none for a
  /// definition that is not a mapping; routes the same with their keys.
  @Test func deviceKeysAreTheKeysOfTheMergedNode() {
    let first = """
      network:
        ethernets:
          eth0: {dhcp4: true, "routes": [{to: default, "via": 192.0.2.1, "on\\u002dlink": true}]}
          eth1:
            "set\\u002dname": lan
            match: {name: x}
            'dhcp6': true
          eth2: null
          eth3: {addresses: [192.0.2.9/24], addresses: [192.0.2.8/24]}
        bridges:
          br0: {interfaces: [eth0], parameters: {stp: false}}
      """
    let second = """
      network:
        ethernets:
          eth0: {gateway4: 192.0.2.1, nameservers: {addresses: [192.0.2.53]}}
          eth1: {wakeonwlan: [any]}
      """
    let hierarchy = NetplanHierarchy.arranging([
      NetplanSourceFile(path: "/etc/netplan/10-a.yaml", directory: .etc, name: "10-a.yaml", bytes: Array(first.utf8), info: nil),
      NetplanSourceFile(path: "/etc/netplan/20-b.yaml", directory: .etc, name: "20-b.yaml", bytes: Array(second.utf8), info: nil),
    ])
    let config = NetplanConfiguration.load(hierarchy)
    // A reading that is not checked does not look for the keys: asked, they are looked up.
    let unchecked = NetplanConfiguration.load(hierarchy, validate: false)
    #expect(config.devices.count == 5 && unchecked.devices.count == 5)
    #expect(config.devices.allSatisfy { $0.keys != DeviceKey.unknown } && unchecked.devices.allSatisfy { $0.keys == DeviceKey.unknown })
    var seen = 0
    for device in config.devices + unchecked.devices {
      for key in DeviceKey.allCases {
        #expect(device.has(key) == (device.node[key.name] != nil), "\(device.id): \(key.name)")
        #expect(device[key]?.location == device.node[key.name]?.location, "\(device.id): \(key.name)")
        #expect(device.entry(key)?.keyLocation == device.node.entry(key.name)?.keyLocation, "\(device.id): \(key.name)")
        if device.has(key) { seen += 1 }
      }
      for item in device[.routes]?.items ?? [] {
        let route = NetplanWarnings.Route(item)
        for key in NetplanWarnings.RouteKey.allCases {
          #expect((route[key] != nil) == (item[key.name] != nil), "\(device.id): route \(key.name)")
        }
      }
    }
    // eth0: dhcp4 routes gateway4 nameservers; eth1: set-name match dhcp6 wakeonwlan; eth3: addresses; br0: interfaces parameters.
    #expect(seen == 22)
    let route = config.device("eth0")?[.routes]?.items.first
    #expect(route.flatMap { NetplanWarnings.Route($0)[.onLink]?.scalar } == "true")
    #expect(config.device("eth1")?[.setName]?.scalar == "lan")
    #expect(config.device("eth2")?.has(.addresses) == false)
  }
}
