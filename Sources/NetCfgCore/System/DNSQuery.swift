#if canImport(Glibc)
  import Glibc
#endif

/// One DNS lookup sent straight to a server over UDP (port 53): whether the server answers
/// lookups, without going through the system resolver.
public enum DNSQuery {
  public enum Outcome: Sendable, Equatable {
    /// A reply came back with this RCODE (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED...).
    case answered(rcode: Int)
    case noAnswer
  }

  /// Asks `server` for the SOA record of `name` ("." for the root), waiting at most `seconds`.
  public static func ask(_ server: IPAddress, name: String, within seconds: Double) -> Outcome {
    let fd = socket(
      server.family == .ipv4 ? AF_INET : AF_INET6,
      Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return .noAnswer }
    defer { close(fd) }
    let id = UInt16.random(in: 1...UInt16.max)
    let query = message(id: id, name: name)
    let sent = SocketAddress.with(server, port: 53) { address, length in
      sendto(fd, query, query.count, Int32(MSG_NOSIGNAL), address, length)
    }
    guard sent == query.count else { return .noAnswer }
    let deadline = monotonicSeconds() + min(max(seconds, 0.1), 5)
    var buffer = [UInt8](repeating: 0, count: 1500)
    while true {
      let left = deadline - monotonicSeconds()
      guard left > 0 else { return .noAnswer }
      var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
      guard poll(&fds, 1, Int32(left * 1000) + 1) == 1 else { return .noAnswer }
      let n = recv(fd, &buffer, buffer.count, 0)
      if n < 0 { return .noAnswer }  // e.g. ICMP port unreachable
      if let rcode = rcode(of: Array(buffer.prefix(n)), id: id) { return .answered(rcode: rcode) }
    }
  }

  /// A query message: header (recursion desired), one question `name` IN SOA.
  static func message(id: UInt16, name: String) -> [UInt8] {
    var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
    for label in name.split(separator: ".") where !label.isEmpty {
      let bytes = Array(label.utf8.prefix(63))
      out.append(UInt8(bytes.count))
      out += bytes
    }
    out += [0, 0, 6, 0, 1]  // root, type SOA, class IN
    return out
  }

  /// The RCODE of a reply to query `id`, nil when `reply` is no such reply.
  static func rcode(of reply: [UInt8], id: UInt16) -> Int? {
    guard reply.count >= 12, UInt16(reply[0]) << 8 | UInt16(reply[1]) == id, reply[2] & 0x80 != 0 else { return nil }
    return Int(reply[3] & 0x0F)
  }
}

/// A socket address for an IP and port, for the duration of `body`.
enum SocketAddress {
  static func with<T>(_ ip: IPAddress, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    switch ip {
    case .v4(let a):
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_port = in_port_t(UInt16(port).bigEndian)
      addr.sin_addr.s_addr = a.value.bigEndian
      return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
    case .v6(let a):
      var addr = sockaddr_in6()
      addr.sin6_family = sa_family_t(AF_INET6)
      addr.sin6_port = in_port_t(UInt16(port).bigEndian)
      withUnsafeMutableBytes(of: &addr.sin6_addr) { raw in
        for i in 0..<8 {
          raw[i] = UInt8(truncatingIfNeeded: a.high >> (56 - 8 * UInt64(i)))
          raw[8 + i] = UInt8(truncatingIfNeeded: a.low >> (56 - 8 * UInt64(i)))
        }
      }
      return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
      }
    }
  }
}
