import Foundation
import NetplanTestSupport
import Testing

/// Scratch roots copied from Tests/Fixtures/roots (or examples/), and what the real netplan
/// renders from them.
enum NetplanRoots {
  static let fixtures = CLI.repository.appendingPathComponent("Tests/Fixtures/roots")

  /// A scratch copy of fixture `name` (`examples/vm` when the name has a slash), netplan
  /// files 0600 as on a host.
  static func copy(_ name: String) throws -> Root {
    let source = name.contains("/") ? CLI.repository.appendingPathComponent(name) : fixtures.appendingPathComponent(name)
    var files: [String: String] = [:]
    let walker = FileManager.default.enumerator(atPath: source.path)
    while let relative = walker?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let full = source.appendingPathComponent(relative).path
      guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
        relative.hasSuffix(".yaml")
      else { continue }
      files["/" + relative] = try String(contentsOfFile: full, encoding: .utf8)
    }
    return try Root(files)
  }

  /// Every netplan file below the root, path → bytes (to check nothing else changed).
  static func snapshot(_ root: Root) -> [String: Data] {
    var out: [String: Data] = [:]
    for dir in ["lib/netplan", "etc/netplan", "run/netplan"] {
      let path = root.path + "/" + dir
      for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
        out["/" + dir + "/" + name] = FileManager.default.contents(atPath: path + "/" + name)
      }
    }
    return out
  }

  /// What `netplan generate` renders for the root (run on a copy): file name → text. Both
  /// netplan 0.106 and 1.1 render it, and must agree on the files and on what each networkd
  /// unit gives its device; 0.106's rendering is returned.
  static func render(_ root: Root) throws -> [String: String] {
    let old = try render(root, version: "0.106")
    let new = try render(root, version: "1.1")
    #expect(Set(old.keys) == Set(new.keys), "0.106 and 1.1 render different files")
    for (name, text) in old where name.hasSuffix(".network") {
      let a = NetworkFile(text), b = NetworkFile(new[name] ?? "")
      #expect(
        [a.addresses, Set(a.dns), Set(a.domains), a.gateways, a.routes] == [b.addresses, Set(b.dns), Set(b.domains), b.gateways, b.routes]
          && a.dhcp == b.dhcp, "\(name): 0.106 and 1.1 render it differently")
    }
    return old
  }

  /// What netplan `version` renders for the root (run on a copy): file name → text.
  static func render(_ root: Root, version: String) throws -> [String: String] {
    let files = snapshot(root).map { ($0.key, [UInt8]($0.value)) }
    let rendered = try NetplanGenerators.render(version, files).get()
    return Dictionary(rendered.map { (($0.key as NSString).lastPathComponent, $0.value) }) { a, _ in a }
  }
}

/// The settings of one rendered systemd-networkd `.network` file.
struct NetworkFile {
  var addresses: Set<String> = []
  var dns: [String] = []
  var domains: [String] = []
  var dhcp: String?
  var gateways: Set<String> = []
  var routes: Set<String> = []

  init(_ text: String) {
    var destination: String?
    var section = ""
    for line in text.split(separator: "\n").map(String.init) {
      if line.hasPrefix("[") {
        section = line
        destination = nil
      }
      let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      switch parts[0] {
      case "Address": addresses.insert(parts[1])
      case "DNS": dns.append(parts[1])
      case "Domains": domains += parts[1].split(separator: " ").map(String.init)
      case "DHCP": dhcp = parts[1]
      case "Destination": destination = parts[1]
      case "Gateway":
        // `Gateway=` in [Network] (gateway4/6) and a [Route] to 0.0.0.0/0 or ::/0 are the same
        // default route.
        if section == "[Network]" || destination == "0.0.0.0/0" || destination == "::/0" {
          gateways.insert(parts[1])
        } else {
          routes.insert("\(destination ?? "?") via \(parts[1])")
        }
      default: break
      }
    }
  }
}
