import Foundation
import NetplanTestSupport
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// set-ip on every single-file corpus config with a plain interface that netplan 0.106 or 1.1
/// accepts, checked by that version's rules: that netplan renders (networkd unit or NetworkManager keyfile) the new address, the one main-table
/// default gateway and the DNS server; every other device renders as before; the lines of the
/// file outside the device are unchanged; a second run changes nothing.
@Suite struct SetIPCorpusTests {
  /// A plain interface: an ethernet named by its id (no `match:`), not the loopback, not a
  /// bridge or bond member, not on Open vSwitch.
  static func plainInterface(_ config: NetplanConfiguration) -> NetplanDevice? {
    config.devices.first { device in
      device.type == "ethernets" && device.node["match"] == nil && device.id != "lo"
        && InterfaceName.problem(device.id) == nil && config.parent(of: device.id) == nil
        && device.node["openvswitch"] == nil && DeviceSummary(device, network: config.network).renderer.value != "sriov"
        && config.network?["openvswitch"] == nil
    }
  }

  /// "VERSION FILE": each configuration the netplan of that version accepts, checked by its
  /// rules and rendered by it.
  static let cases: [String] = NetplanVersion.allCases.flatMap { version in
    NetplanCorpus.rows.compactMap { row -> String? in
      let rc = version == .v0_106 ? row.localRC : row.rc11
      guard row.groupFiles.isEmpty, rc == "0", let oracle = NetplanCorpus.oracle[row.file] else { return nil }
      let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle), version: version)
      guard !config.diagnostics.hasErrors, plainInterface(config) != nil else { return nil }
      return version.rawValue + " " + row.file
    }
  }

  /// Most of the corpus has one, for each version (a count that fell would mean cases
  /// silently dropped).
  @Test func thereAreCases() {
    for version in NetplanVersion.allCases {
      #expect(Self.cases.filter { $0.hasPrefix(version.rawValue + " ") }.count >= 220, "\(version)")
    }
  }

  @Test(arguments: cases)
  func setIPRendersWhatWasAsked(_ versionAndName: String) throws {
    let words = versionAndName.split(separator: " ", maxSplits: 1).map(String.init)
    let version = try #require(NetplanVersion(rawValue: words[0]))
    let oracle = try #require(NetplanCorpus.oracle[words[1]])
    let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle), version: version)
    let device = try #require(Self.plainInterface(config))
    let request = SetIPRequest(
      interface: device.id, addresses: [InterfaceAddress("192.0.2.77/24")!], gateways: [IPAddress("192.0.2.1")!],
      dns: [IPAddress("192.0.2.53")!])
    var editor = try NetplanEditor(config)
    let target = try request.plan(&editor)
    let changes = try editor.finish { request.verify($0, target) }
    #expect(changes.changed)

    var files = config.hierarchy.files.map { ($0.path, $0.bytes) }
    let before = try NetplanGenerators.render(version.rawValue, files).get()
    for change in changes.files {
      if let i = files.firstIndex(where: { $0.0 == change.path }) { files[i].1 = change.after } else { files.append((change.path, change.after)) }
    }
    let after = try NetplanGenerators.render(version.rawValue, files).get()
    let rendered = try #require(NetplanRender.device(device.id, in: after), "\(after.keys.sorted())")
    #expect(rendered.addresses == ["192.0.2.77/24"])
    #expect(rendered.gateways == ["192.0.2.1"])
    #expect(Set(rendered.dns) == ["192.0.2.53"])  // 0.106 repeats DNS= on a device with VLANs
    let own = ["/run/systemd/network/10-netplan-\(device.id).network", "/run/NetworkManager/system-connections/netplan-\(device.id).nmconnection"]
    for (file, text) in before where !own.contains(file) && (file.hasSuffix(".network") || file.hasSuffix(".nmconnection")) {
      #expect(after[file] == text, "\(file) changed")
    }
    // The lines before the device and after it are the file's own.
    for change in changes.files {
      guard let old = change.before, let doc = config.parsed[change.path], let node = doc.root?.node(at: target.path),
        let key = doc.root?.node(at: YAMLPath(keys: "network", target.type))?.entries.first(where: { $0.keyText == target.id })?.key
      else { continue }
      let oldLines = old.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      let newLines = change.after.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      let head = key.start.line - 1
      let lastLine = old[..<node.contentEnd].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      let tail = oldLines.count - lastLine
      #expect(Array(newLines.prefix(head)) == Array(oldLines.prefix(head)), "a line before the device changed")
      #expect(Array(newLines.suffix(tail)) == Array(oldLines.suffix(tail)), "a line after the device changed")
    }
    // Again: nothing to do.
    let edited = config.replacing(Dictionary(uniqueKeysWithValues: changes.files.map { ($0.path, $0.after) }))
    var again = try NetplanEditor(edited)
    let target2 = try request.plan(&again)
    #expect(try !again.finish { request.verify($0, target2) }.changed)
  }
}
