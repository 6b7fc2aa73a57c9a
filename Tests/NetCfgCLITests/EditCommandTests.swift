import Foundation
import Glibc
import Testing

/// The edit commands through the built binary, checked with the real `netplan generate`:
/// what netplan renders is what was asked, comments and other devices survive, the diff
/// stays inside the device's entry, and a second run changes nothing.
@Suite struct EditCommandTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var fixture: String
    var arguments: [String]
    /// The netplan id whose rendered `.network` file is checked.
    var device: String
    var addresses: Set<String>? = nil
    var gateways: Set<String>? = nil
    var dns: [String]? = nil
    var domains: [String]? = nil
    var dhcp: String?? = nil
    /// Lines (in the original file) that must survive the edit.
    var kept: [String] = []
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "seed task on the cloud-init VM", fixture: "examples/vm",
      arguments: ["set-ip", "ens33", "192.168.100.140/24", "--gateway", "192.168.100.1", "--dns", "114.114.114.114"],
      device: "ens33", addresses: ["192.168.100.140/24"], gateways: ["192.168.100.1"], dns: ["114.114.114.114"],
      dhcp: .some(nil), kept: ["# network: {config: disabled}", "            -   to: 10.20.0.0/16   # lab network"]),
    Case(
      name: "IPv4 only keeps IPv6, comments everywhere", fixture: "commented",
      arguments: ["set-ip", "eno1", "192.0.2.20/24", "--gateway", "192.0.2.1", "--dns", "192.0.2.53", "192.0.2.54",
        "--search", "corp.example", "lab.example"],
      device: "eno1", addresses: ["192.0.2.20/24", "2001:db8::10/64"], gateways: ["192.0.2.1"],
      dns: ["192.0.2.53", "192.0.2.54"], domains: ["corp.example", "lab.example"], dhcp: .some(nil),
      kept: ["# 数据库服务器的静态配置 (managed by hand)", "        - \"2001:db8::10/64\" # IPv6 stays",
        "        - to: 198.51.100.0/24   # backup network", "      dhcp4: true   # second NIC stays on DHCP", "# end of file"]),
    Case(
      name: "VLAN on a bond", fixture: "node",
      arguments: ["set-ip", "vlan10", "10.10.0.6/24", "--gateway", "10.10.0.1"],
      device: "vlan10", addresses: ["10.10.0.6/24"], gateways: ["10.10.0.1"], kept: ["                mode: 802.3ad"]),
    Case(
      name: "bridge on DHCP gets a fixed address", fixture: "node",
      arguments: ["set-ip", "br0", "10.20.0.5/24", "--gateway", "10.20.0.1", "--dns", "10.20.0.53"],
      device: "br0", addresses: ["10.20.0.5/24"], gateways: ["10.20.0.1"], dns: ["10.20.0.53"], dhcp: .some(nil)),
    Case(
      name: "layered lib/etc/run root", fixture: "layered",
      arguments: ["set-ip", "ens3", "203.0.113.20/24", "--gateway", "203.0.113.1"],
      device: "ens3", addresses: ["203.0.113.20/24"], gateways: ["203.0.113.1"], dns: ["203.0.113.53"], dhcp: .some(nil)),
    Case(
      name: "flow style with gateway4", fixture: "flow",
      arguments: ["set-ip", "eth0", "10.1.0.6/16", "--gateway", "10.1.0.254"],
      device: "eth0", addresses: ["10.1.0.6/16"], gateways: ["10.1.0.254"], dns: ["10.1.0.53"]),
    Case(
      name: "device matched by set-name", fixture: "matched",
      arguments: ["set-ip", "lan0", "192.0.2.77/24", "--gateway", "192.0.2.1"],
      device: "id0", addresses: ["192.0.2.77/24"], gateways: ["192.0.2.1"], dhcp: .some(nil), kept: ["      set-name: lan0"]),
    Case(
      name: "new device in an empty root", fixture: "empty",
      arguments: ["set-ip", "ens9", "198.51.100.9/24", "--gateway", "198.51.100.1", "--dns", "198.51.100.53", "--new"],
      device: "ens9", addresses: ["198.51.100.9/24"], gateways: ["198.51.100.1"], dns: ["198.51.100.53"]),
    Case(
      name: "gateway command replaces gateway4", fixture: "examples/vm",
      arguments: ["gateway", "ens33", "192.168.100.254"], device: "ens33", addresses: ["192.168.100.20/24"],
      gateways: ["192.168.100.254"]),
    Case(
      name: "dns set on an interface", fixture: "commented",
      arguments: ["dns", "set", "192.0.2.99", "--interface", "eno1"], device: "eno1", dns: ["192.0.2.99"],
      domains: ["corp.example"]),
    Case(
      name: "dhcp off", fixture: "node", arguments: ["dhcp", "vlan20", "--off"], device: "vlan20", dhcp: .some(nil)),
    Case(
      name: "dhcp on", fixture: "commented", arguments: ["dhcp", "eno1", "--ipv6"], device: "eno1", dhcp: .some("yes")),
    Case(
      name: "generic set and list add", fixture: "node",
      arguments: ["set", "vlans.vlan10.addresses+=10.10.0.7/24", "vlans.vlan10.nameservers={addresses: [10.10.0.53]}"],
      device: "vlan10", addresses: ["10.10.0.5/24", "10.10.0.7/24"], dns: ["10.10.0.53"]),
    Case(
      name: "generic unset", fixture: "commented", arguments: ["unset", "ethernets.eno1.gateway4"], device: "eno1",
      gateways: []),
  ]

  @Test(arguments: cases)
  func editRendersWhatWasAsked(_ c: Case) throws {
    let root = c.fixture == "empty" ? try Root([:]) : try NetplanRoots.copy(c.fixture)
    let before = NetplanRoots.snapshot(root)
    let dry = try CLI.run(c.arguments + ["--root", root.path, "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(NetplanRoots.snapshot(root) == before, "--dry-run wrote something")

    let result = try CLI.run(c.arguments + ["--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == dry.stdout, "the dry run showed another diff than the edit made")
    let after = NetplanRoots.snapshot(root)
    #expect(after != before)
    for (path, data) in after where !path.hasPrefix("/etc/") {
      #expect(before[path] == data, "\(path) outside /etc was written")
    }
    let texts = after.values.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    for line in c.kept { #expect(texts.contains(line + "\n"), "lost: \(line)") }
    if !c.arguments.contains(where: { $0.contains("gateway4") }) {
      let had = before.values.map { String(decoding: $0, as: UTF8.self) }.joined().components(separatedBy: "gateway4").count
      #expect(texts.components(separatedBy: "gateway4").count <= had, "gateway4 was written")
    }

    let rendered = try NetplanRoots.render(root)
    let network = NetworkFile(try #require(rendered["10-netplan-\(c.device).network"], "\(rendered.keys)"))
    if let addresses = c.addresses { #expect(network.addresses == addresses) }
    if let gateways = c.gateways { #expect(network.gateways == gateways) }
    if let dns = c.dns { #expect(network.dns == dns) }
    if let domains = c.domains { #expect(network.domains == domains) }
    if let dhcp = c.dhcp { #expect(network.dhcp == dhcp) }

    // The same command again changes nothing, and writes nothing.
    let dates = try after.keys.map { try FileManager.default.attributesOfItem(atPath: root.path + $0)[.modificationDate] as? Date }
    let again = try CLI.run(c.arguments + ["--root", root.path])
    if !c.arguments.contains(where: { $0.contains("+=") }) {
      #expect(again.status == 0 && again.stdout.hasSuffix("unchanged\n"), "\(again.stdout)\(again.stderr)")
      #expect(NetplanRoots.snapshot(root) == after)
      let datesAgain = try after.keys.map { try FileManager.default.attributesOfItem(atPath: root.path + $0)[.modificationDate] as? Date }
      #expect(dates == datesAgain)
    }
  }

  @Test(arguments: cases.filter { $0.fixture != "empty" })
  func diffStaysInsideTheDeviceAndPatchReproducesTheEdit(_ c: Case) throws {
    let root = try NetplanRoots.copy(c.fixture)
    let before = NetplanRoots.snapshot(root)
    let dry = try CLI.run(c.arguments + ["--root", root.path, "--dry-run", "--json"])
    let object = try json(dry.stdout)
    let files = try #require(object["files"] as? [[String: Any]])
    for file in files {
      let path = try #require(file["path"] as? String)
      let diff = try #require(file["diff"] as? String)
      guard let original = before[path] else { continue }
      let text = String(decoding: original, as: UTF8.self)
      let range = DeviceRange.of(c.arguments.contains("lan0") ? "id0" : c.device, in: text)
      for line in UnifiedDiff.changedOldLines(diff) {
        #expect(range.map { $0.contains(line) } ?? false, "\(path): line \(line) is outside the device (\(String(describing: range)))")
      }
    }
    // `patch -p1` applies the dry run's diff to a copy and gives what the real edit writes.
    let copy = try NetplanRoots.copy(c.fixture)
    let patch = Process()
    patch.executableURL = URL(fileURLWithPath: "/usr/bin/patch")
    patch.arguments = ["-p1", "-s", "-d", copy.path]
    let input = Pipe()
    patch.standardInput = input
    try patch.run()
    input.fileHandleForWriting.write(Data(files.compactMap { $0["diff"] as? String }.joined().utf8))
    input.fileHandleForWriting.closeFile()
    patch.waitUntilExit()
    #expect(patch.terminationStatus == 0)
    _ = try CLI.run(c.arguments + ["--root", root.path])
    #expect(NetplanRoots.snapshot(copy).mapValues { $0 } == NetplanRoots.snapshot(root).mapValues { $0 })
  }
}

/// The lines (1-based) of a device's entry in a block-style netplan file: its key line to the
/// line before the next line indented no deeper; a flow-style file is one line.
enum DeviceRange {
  static func of(_ id: String, in text: String) -> ClosedRange<Int>? {
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(where: {
      let t = $0.trimmingCharacters(in: .whitespaces)
      return t.hasPrefix(id + ":") || t.hasPrefix("\"\(id)\":")
    }) else {
      return lines.firstIndex { $0.contains(id + ":") }.map { ($0 + 1)...($0 + 1) }
    }
    let indent = lines[start].prefix { $0 == " " }.count
    var end = start
    for i in (start + 1)..<lines.count {
      let line = lines[i]
      let stripped = line.trimmingCharacters(in: .whitespaces)
      if stripped.isEmpty { continue }
      if line.prefix(while: { $0 == " " }).count <= indent && !stripped.hasPrefix("#") { break }
      end = i
    }
    return (start + 1)...(end + 1)
  }
}

enum UnifiedDiff {
  /// Old-file line numbers a diff removes, or inserts after.
  static func changedOldLines(_ diff: String) -> [Int] {
    var out: [Int] = []
    var old = 0
    for line in diff.components(separatedBy: "\n") {
      if line.hasPrefix("@@ -") {
        let numbers = line.dropFirst(4).prefix { $0 != "," && $0 != " " }
        old = Int(numbers) ?? 0
        continue
      }
      if line.hasPrefix("---") || line.hasPrefix("+++") { continue }
      if line.hasPrefix("-") { out.append(old); old += 1 } else if line.hasPrefix("+") { out.append(max(old - 1, 1)) } else if line.hasPrefix(" ") {
        old += 1
      }
    }
    return out
  }
}

/// The NetworkManager renderer, the owner of an edited file, and links.
@Suite struct EditWriteTests {
  @Test func networkManagerKeyfileGetsTheAddressGatewayAndDNS() throws {
    let root = try NetplanRoots.copy("nm")
    let result = try CLI.run(["set-ip", "enp0s3", "192.0.2.50/24", "--gateway", "192.0.2.1", "--dns", "192.0.2.53", "--root", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    let keyfile = try #require(try NetplanRoots.render(root)["netplan-enp0s3.nmconnection"])
    #expect(keyfile.contains("method=manual\n"))
    #expect(keyfile.contains("address1=192.0.2.50/24\n"))
    #expect(keyfile.contains("route1=0.0.0.0/0,192.0.2.1\n"))
    #expect(keyfile.contains("dns=192.0.2.53;\n"))
    #expect(try root.read("/etc/netplan/01-network-manager-all.yaml").hasPrefix("# Let NetworkManager manage all devices on this system\n"))
  }

  /// The owner stays; group and others lose access (netplan files can hold secrets).
  @Test func theOwnerOfAnEditedFileIsKeptAndItsModeTightened() throws {
    guard getuid() == 0 else { return }  // only root can hand a file to another user
    let root = try NetplanRoots.copy("examples/vm")
    let path = root.path + "/etc/netplan/50-cloud-init.yaml"
    try FileManager.default.setAttributes([.ownerAccountID: 1234, .groupOwnerAccountID: 2345, .posixPermissions: 0o640], ofItemAtPath: path)
    let result = try CLI.run(["set-ip", "ens33", "192.168.100.140/24", "--root", root.path])
    #expect(result.status == 0)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect(attributes[.ownerAccountID] as? Int == 1234)
    #expect(attributes[.groupOwnerAccountID] as? Int == 2345)
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    #expect(result.stderr.contains("netcfg writes it with mode 600"), "\(result.stderr)")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path + "/etc/netplan")
    #expect(leftovers == ["50-cloud-init.yaml"])
  }

  @Test func aSymlinkedFileIsNotWrittenThrough() throws {
    let root = try Root([
      "/run/netplan/50-live.yaml": "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n",
    ])
    try FileManager.default.createDirectory(atPath: root.path + "/etc/netplan", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/netplan/40-link.yaml", withDestinationPath: "../../run/netplan/50-live.yaml")
    let before = try root.read("/run/netplan/50-live.yaml")
    let result = try CLI.run(["set-ip", "eth0", "192.0.2.5/24", "--root", root.path, "--file", "40-link.yaml"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("is a symbolic link"))
    #expect(try root.read("/run/netplan/50-live.yaml") == before)
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/netplan/40-link.yaml")
    #expect(link == "../../run/netplan/50-live.yaml")
  }
}
