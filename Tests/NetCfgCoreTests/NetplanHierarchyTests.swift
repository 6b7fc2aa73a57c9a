import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// Random hierarchies in /lib, /etc and /run netplan, merged by netcfg and by the real
/// `netplan get --root-dir ROOT all`: the two must agree.
@Suite struct NetplanHierarchyTests {
  static var netplan: String? {
    ["/usr/sbin/netplan", "/usr/bin/netplan"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test func orderAndShadowing() throws {
    let root = try TemporaryRoot()
    try root.write("/lib/netplan/10-b.yaml", "network: {version: 2}\n")
    try root.write("/etc/netplan/10-b.yaml", "network: {version: 2}\n")
    try root.write("/run/netplan/05-z.yaml", "network: {version: 2}\n")
    try root.write("/etc/netplan/50-a.yaml", "network: {version: 2}\n")
    try root.write("/etc/netplan/.hidden.yaml", "network: {version: 2}\n")
    try root.write("/etc/netplan/notes.txt", "x\n")
    try root.write("/run/netplan/50-a.yaml", "network: {version: 2}\n")
    let hierarchy = try NetplanHierarchy.load(FileSystem(root: root.path))
    #expect(hierarchy.files.map(\.path) == ["/run/netplan/05-z.yaml", "/etc/netplan/10-b.yaml", "/run/netplan/50-a.yaml"])
    #expect(hierarchy.shadowed.map(\.path) == ["/lib/netplan/10-b.yaml", "/etc/netplan/50-a.yaml"])
    #expect(hierarchy.shadowed.map(\.shadowedBy) == ["/etc/netplan/10-b.yaml", "/run/netplan/50-a.yaml"])
  }

  @Test func deviceTypeChangeIsAnErrorAtTheLaterKey() throws {
    let root = try TemporaryRoot()
    try root.write("/etc/netplan/a.yaml", "network:\n  version: 2\n  bridges:\n    id0: {}\n")
    try root.write("/etc/netplan/b.yaml", "network:\n  version: 2\n  ethernets:\n    id0: {}\n")
    let config = try NetplanConfiguration.load(FileSystem(root: root.path))
    let error = try #require(config.diagnostics.first { $0.code == "device-type-changed" })
    #expect(error.message == "Updated definition 'id0' changes device type")
    #expect(error.location == SourceLocation(file: "/etc/netplan/b.yaml", line: 4, column: 5))
  }

  @Test(arguments: 0..<24)
  func randomHierarchyMergesLikeNetplan(_ seed: Int) throws {
    let netplan = try #require(Self.netplan, "netplan is not installed (make test installs it)")
    var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
    let root = try TemporaryRoot()
    let names = ["00-installer-config.yaml", "10-a.yaml", "50-cloud-init.yaml", "90-netcfg.yaml"]
    let dirs = ["/lib/netplan", "/etc/netplan", "/run/netplan"]
    for _ in 0..<Int.random(in: 2...5, using: &rng) {
      let path = dirs.randomElement(using: &rng)! + "/" + names.randomElement(using: &rng)!
      try root.write(path, RandomNetplan.file(&rng))
    }
    let config = try NetplanConfiguration.load(FileSystem(root: root.path))
    let run = Process()
    run.executableURL = URL(fileURLWithPath: netplan)
    run.arguments = ["get", "--root-dir", root.path, "all"]
    let out = Pipe()
    run.standardOutput = out
    run.standardError = Pipe()
    try run.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    run.waitUntilExit()
    try #require(run.terminationStatus == 0)
    let theirs = try YAMLFile(name: "netplan get", bytes: Array(data)).meaning()
    let ours = config.merged?.value ?? .null
    #expect(sameAsNetplan(ours, theirs), "ours: \(ours)\ntheirs: \(theirs)\nfiles: \(root.listing())")
  }
}

/// Random but valid netplan files over a few devices, so that files overlap.
enum RandomNetplan {
  static func file(_ rng: inout SplitMix64) -> String {
    var text = "network:\n  version: 2\n"
    if Bool.random(using: &rng) { text += "  renderer: \(["networkd", "NetworkManager"].randomElement(using: &rng)!)\n" }
    text += "  ethernets:\n"
    for id in ["eth0", "eth1", "eth2"].shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)) {
      text += "    \(id):\n"
      var body: [String] = []
      if Bool.random(using: &rng) { body.append("dhcp4: \(Bool.random(using: &rng))") }
      if Bool.random(using: &rng) { body.append("mtu: \([1500, 9000, 1400].randomElement(using: &rng)!)") }
      if Bool.random(using: &rng) {
        body.append("addresses: [192.0.2.\(Int.random(in: 1...5, using: &rng))/24]")
      }
      if Bool.random(using: &rng) {
        body.append("routes: [{to: 198.51.100.\(Int.random(in: 0...1, using: &rng) * 128)/25, via: 192.0.2.254}]")
      }
      if Bool.random(using: &rng) {
        body.append("nameservers: {addresses: [192.0.2.53], search: [example.\(Int.random(in: 1...3, using: &rng))]}")
      }
      if body.isEmpty { body.append("optional: true") }
      text += body.map { "      \($0)\n" }.joined()
    }
    return text
  }
}

/// A scratch root directory, removed when the value goes away.
final class TemporaryRoot {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-root-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func write(_ inside: String, _ text: String, mode: Int = 0o600) throws {
    let url = URL(fileURLWithPath: path + inside)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
  }

  func listing() -> String {
    let walker = FileManager.default.enumerator(atPath: path)
    var out = ""
    while let p = walker?.nextObject() as? String {
      if p.hasSuffix(".yaml"), let text = try? String(contentsOfFile: path + "/" + p, encoding: .utf8) {
        out += "\n# \(p)\n" + text
      }
    }
    return out
  }
}

/// SplitMix64, a small deterministic PRNG for reproducible random cases.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
