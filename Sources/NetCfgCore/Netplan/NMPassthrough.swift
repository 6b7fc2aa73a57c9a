/// The keys of a `networkmanager: {passthrough: {...}}` mapping that set what netplan also
/// renders from its own keys. netplan writes passthrough keys into the keyfile after its own,
/// so they win: `ipv4.address1` beats `addresses`, `ipv4.dns` beats `nameservers`.
/// NetworkManager writes them itself into the `90-NM-<uuid>.yaml` files it owns.
public struct NMPassthroughKey: Sendable, Hashable {
  public enum Setting: Sendable, Hashable {
    /// `ipv4.address1`, `ipv4.addresses`: `ADDR/PREFIX[,GATEWAY]` (several `;`-separated).
    case address
    case gateway
    case dns
    /// `dns-search`: search domains.
    case search
    case method
    /// `ipv4.route1`: `DEST/PREFIX[,NEXTHOP[,METRIC]]`.
    case route
  }

  public var family: IPAddress.Family
  public var setting: Setting

  /// Classifies a passthrough key; nil for the ones netplan does not also render.
  public init?(_ key: String) {
    let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return nil }
    switch parts[0] {
    case "ipv4": family = .ipv4
    case "ipv6": family = .ipv6
    default: return nil
    }
    let name = parts[1]
    func numbered(_ prefix: String) -> String? {
      guard name.hasPrefix(prefix) else { return nil }
      let rest = name.dropFirst(prefix.count)
      return !rest.isEmpty && rest.allSatisfy(\.isASCII) && rest.allSatisfy(\.isNumber) ? String(rest) : nil
    }
    switch name {
    case "addresses": setting = .address
    case "gateway": setting = .gateway
    case "dns": setting = .dns
    case "dns-search": setting = .search
    case "method": setting = .method
    default:
      if numbered("address") != nil {
        setting = .address
      } else if numbered("route") != nil {
        setting = .route
      } else {
        return nil
      }
    }
  }

  /// The addresses and gateway of an address value (`192.0.2.4/24,192.0.2.1`; several
  /// separated by `;`).
  public static func addresses(_ value: String) -> (addresses: [InterfaceAddress], gateway: IPAddress?) {
    var addresses: [InterfaceAddress] = []
    var gateway: IPAddress?
    for item in value.split(separator: ";") {
      let fields = item.split(separator: ",").map { $0.trimmingSpaces }
      if let first = fields.first, let address = InterfaceAddress(first) { addresses.append(address) }
      if fields.count > 1, let ip = IPAddress(fields[1]) { gateway = ip }
    }
    return (addresses, gateway)
  }

  /// The items of a `;`-separated list value (`8.8.8.8;1.1.1.1;`).
  public static func list(_ value: String) -> [String] {
    value.split(separator: ";").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
  }

  /// Whether a route value is a default route (`0.0.0.0/0,...`, `::/0,...`).
  public static func isDefaultRoute(_ value: String) -> Bool {
    let destination = value.split(separator: ",").first.map { $0.trimmingSpaces } ?? ""
    return ["0.0.0.0/0", "::/0"].contains(destination)
  }
}

extension Substring {
  var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
