import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// set-ip on real netplan configs from the corpus: the real netplan renders the new address,
/// gateway and DNS for the device, every other device renders as before, and a second run
/// changes nothing.
@Suite struct SetIPCorpusTests {
  /// Accepted single-file networkd configs with a plain ethernet definition (no match).
  static let cases: [String] = {
    var out: [String] = []
    for row in NetplanCorpus.rows where row.groupFiles.isEmpty && row.expected == "accept" && row.localRC == "0" {
      guard let oracle = NetplanCorpus.oracle[row.file] else { continue }
      let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle))
      guard !config.diagnostics.hasErrors, config.network?["renderer"]?.scalar != "NetworkManager",
        let device = config.devices.first(where: { $0.type == "ethernets" && $0.node["match"] == nil }),
        device.node["renderer"] == nil, device.node["openvswitch"] == nil
      else { continue }
      out.append(row.file)
    }
    return Array(out.prefix(40))
  }()

  @Test func thereAreCases() { #expect(Self.cases.count >= 30) }

  @Test(arguments: cases)
  func setIPRendersAndOtherDevicesStay(_ name: String) throws {
    let oracle = try #require(NetplanCorpus.oracle[name])
    let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle))
    let device = try #require(config.devices.first { $0.type == "ethernets" && $0.node["match"] == nil })
    let request = SetIPRequest(
      interface: device.id, addresses: [InterfaceAddress("192.0.2.77/24")!], gateways: [IPAddress("192.0.2.1")!],
      dns: [IPAddress("192.0.2.53")!])
    var editor = try NetplanEditor(config)
    let target = try request.plan(&editor)
    let changes = try editor.finish { request.verify($0, target) }
    #expect(changes.changed)

    let before = try render(config.hierarchy.files.map { ($0.path, $0.bytes) })
    var files = config.hierarchy.files.map { ($0.path, $0.bytes) }
    for change in changes.files {
      if let i = files.firstIndex(where: { $0.0 == change.path }) { files[i].1 = change.after } else { files.append((change.path, change.after)) }
    }
    let after = try render(files)
    let unit = "10-netplan-\(device.id).network"
    let network = try #require(after[unit], "\(after.keys)")
    #expect(network.contains("Address=192.0.2.77/24\n"))
    #expect(network.contains("DNS=192.0.2.53\n"))
    #expect(network.contains("Destination=0.0.0.0/0\nGateway=192.0.2.1\n"))
    for (file, text) in before where file != unit && file.hasSuffix(".network") && !text.contains("Name=\(device.id)\n") {
      #expect(after[file] == text, "\(file) changed")
    }
    // Comments outside the device survive.
    for change in changes.files {
      let old = String(decoding: change.before ?? [], as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("#") }
      let new = String(decoding: change.after, as: UTF8.self)
      for comment in old { #expect(new.contains(comment), "lost \(comment)") }
    }
    // Again: nothing to do.
    let edited = config.replacing(Dictionary(uniqueKeysWithValues: changes.files.map { ($0.path, $0.after) }))
    var again = try NetplanEditor(edited)
    let target2 = try request.plan(&again)
    #expect(try !again.finish { request.verify($0, target2) }.changed)
  }

  /// `netplan generate` on a scratch root holding `files`: rendered file name → text.
  func render(_ files: [(String, [UInt8])]) throws -> [String: String] {
    let root = try TemporaryRoot()
    for (path, bytes) in files { try root.write(path, String(decoding: bytes, as: UTF8.self)) }
    let run = Process()
    run.executableURL = URL(fileURLWithPath: "/usr/sbin/netplan")
    run.arguments = ["generate", "--root-dir", root.path]
    run.standardError = Pipe()
    run.standardOutput = Pipe()
    try run.run()
    run.waitUntilExit()
    try #require(run.terminationStatus == 0, "netplan generate rejected \(files.map(\.0))")
    let dir = root.path + "/run/systemd/network"
    var out: [String: String] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
      out[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }
    return out
  }
}
