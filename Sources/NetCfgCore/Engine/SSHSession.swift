/// The SSH session netcfg runs in (`SSH_CONNECTION`: client address and port, then the
/// host's own address and port), and whether a change takes the host's address away from it.
public struct SSHSession: Sendable, Equatable {
  public var client: String
  /// The host's address the session came in on.
  public var local: String

  public init?(connection: String?) {
    let fields = connection?.split(separator: " ").map(String.init) ?? []
    guard fields.count >= 4, IPAddress(fields[0]) != nil, IPAddress(fields[2]) != nil else { return nil }
    client = fields[0]
    local = fields[2]
  }

  /// When `after` no longer gives any device the session's address that `before` gave one:
  /// that device and the addresses it will have instead (of the same family).
  public func dropped(before: NetplanConfiguration?, after: NetplanConfiguration) -> (device: String, addresses: [String])? {
    guard let ip = IPAddress(local), let before else { return nil }
    func holder(_ config: NetplanConfiguration) -> String? {
      config.devices.first { device in device.node.interfaceAddresses.contains { $0.address == ip } }?.id
    }
    guard let device = holder(before), holder(after) == nil else { return nil }
    let addresses = (after.device(device)?.node.interfaceAddresses ?? [])
      .filter { $0.address.family == ip.family }.map { $0.address.description }
    return (device, addresses)
  }

  /// What to tell the operator before applying such a change with a confirmation wait.
  public func warning(device: String, addresses: [String], seconds: Int) -> String {
    let to = addresses.first.map { "ssh \($0) netcfg confirm" } ?? "netcfg confirm from a session on another address"
    return "this SSH session comes in on \(local), which the change takes from \(device): it will drop once applied. "
      + "Confirm within \(seconds) s from the new address: \(to); otherwise the change is rolled back."
  }
}
