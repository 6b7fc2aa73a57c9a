import Foundation
import NetplanTestSupport
import Testing
@testable import NetCfgCore

/// What the real netplan generators (NetplanGenerators) render, compared between 0.106 and
/// 1.1, and what it gives one device.
enum NetplanRender {
  /// Renders with 0.106 and 1.1, expects both to agree on what every device gets (addresses,
  /// main-table gateways, DNS), and returns 0.106's rendering.
  static func renderWithBoth(_ files: [(String, [UInt8])]) throws -> [String: String] {
    let old = try NetplanGenerators.render("0.106", files).get()
    let new = try NetplanGenerators.render("1.1", files).get()
    #expect(Set(old.keys) == Set(new.keys), "0.106 and 1.1 render different files")
    for file in old.keys {
      let name = (file as NSString).lastPathComponent
      let id = name.hasPrefix("10-netplan-") && name.hasSuffix(".network")
        ? String(name.dropFirst("10-netplan-".count).dropLast(".network".count))
        : name.hasPrefix("netplan-") && name.hasSuffix(".nmconnection")
          ? String(name.dropFirst("netplan-".count).dropLast(".nmconnection".count)) : nil
      guard let id else { continue }
      #expect(device(id, in: old).map(normalized) == device(id, in: new).map(normalized), "\(id): 0.106 and 1.1 render it differently")
    }
    return old
  }

  /// Addresses, gateways and DNS as sets (the versions order some of them differently).
  static func normalized(_ r: Rendered) -> [Set<String>] { [Set(r.addresses), Set(r.gateways), Set(r.dns)] }

  /// An INI file (systemd unit, NetworkManager keyfile) as sections in order, each with its
  /// keys in order (repeated keys kept).
  static func sections(_ text: String) -> [(name: String, keys: [(String, String)])] {
    var out: [(name: String, keys: [(String, String)])] = []
    for line in text.split(separator: "\n") {
      if line.hasPrefix("[") {
        out.append((String(line.dropFirst().dropLast()), []))
      } else if !line.hasPrefix("#"), let eq = line.firstIndex(of: "="), !out.isEmpty {
        out[out.count - 1].keys.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
      }
    }
    return out
  }

  /// What a device's rendered configuration gives it: IPv4 addresses, main-table IPv4
  /// default gateways and DNS servers, from its networkd unit or NetworkManager keyfile.
  struct Rendered: Equatable {
    var addresses: [String] = []
    var gateways: [String] = []
    var dns: [String] = []
  }

  /// The rendered configuration of device `id` (networkd: `10-netplan-ID.network`;
  /// NetworkManager: `netplan-ID.nmconnection`), nil when neither exists.
  static func device(_ id: String, in rendered: [String: String]) -> Rendered? {
    if let unit = rendered["/run/systemd/network/10-netplan-\(id).network"] {
      var out = Rendered()
      for (name, keys) in sections(unit) {
        let get = { (k: String) in keys.filter { $0.0 == k }.map(\.1) }
        switch name {
        case "Network":
          out.addresses += get("Address").filter { !$0.contains(":") }
          out.gateways += get("Gateway").filter { !$0.contains(":") }
          out.dns += get("DNS")
        case "Address":
          out.addresses += get("Address").filter { !$0.contains(":") }
        case "Route":
          let destination = get("Destination").last ?? "0.0.0.0/0"
          let table = get("Table").last ?? "254"
          if ["0.0.0.0/0", "0.0.0.0"].contains(destination), ["254", "main"].contains(table), get("From").isEmpty,
            (get("Type").last ?? "unicast") == "unicast", let gateway = get("Gateway").last, !gateway.contains(":")
          {
            out.gateways.append(gateway)
          }
        default: break
        }
      }
      return out
    }
    // NetworkManager: one keyfile per device (wifis: per access point; not used here).
    guard let keyfile = rendered["/run/NetworkManager/system-connections/netplan-\(id).nmconnection"] else { return nil }
    var out = Rendered()
    var ipv4: [String: String] = [:]
    for (name, keys) in sections(keyfile) where name == "ipv4" {
      for (k, v) in keys { ipv4[k] = v }  // the last value of a key is NetworkManager's
    }
    for (key, value) in ipv4.sorted(by: { $0.key < $1.key }) {
      let fields = value.split(separator: ",").map(String.init)
      if key.hasPrefix("address"), Int(key.dropFirst("address".count)) != nil {
        out.addresses.append(fields[0])
        if fields.count > 1 { out.gateways.append(fields[1]) }
      } else if key.hasPrefix("route"), Int(key.dropFirst("route".count)) != nil, fields[0] == "0.0.0.0/0",
        fields.count > 1, !(ipv4[key + "_options"] ?? "").contains("table=")
      {
        out.gateways.append(fields[1])
      } else if key == "gateway" {
        out.gateways.append(value)
      } else if key == "dns" {
        out.dns += value.split(separator: ";").map(String.init)
      }
    }
    return out
  }
}
