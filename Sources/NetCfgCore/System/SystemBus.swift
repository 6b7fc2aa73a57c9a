import CDBus

#if canImport(Glibc)
  import Glibc
#endif

/// The one place netcfg talks D-Bus: calls on the system bus that never start a daemon,
/// answered as JSON in `busctl --json=short`'s shape (decoded by the same code as recorded
/// answers). Each instance holds its own connection; use one per thread.
public final class SystemBus {
  /// Why a call got no answer.
  public enum Failure: Error, Sendable, Equatable {
    /// No system bus to talk to (errno).
    case noBus(Int32)
    /// Nobody owns the name: the daemon does not run.
    case notRunning
    /// The daemon answered with an error (its D-Bus name), or the call failed (errno).
    case failed(String)
  }

  private let bus: UnsafeMutableRawPointer

  public init() throws(Failure) {
    var bus: UnsafeMutableRawPointer?
    let r = netcfg_bus_open(&bus)
    guard r >= 0, let bus else { throw .noBus(-r) }
    self.bus = bus
  }

  deinit { netcfg_bus_close(bus) }

  public func property(_ destination: String, _ path: String, _ interface: String, _ property: String) -> Result<String, Failure> {
    answer { json, error in netcfg_bus_get_property(bus, destination, path, interface, property, &json, &error) }
  }

  public func call(_ destination: String, _ path: String, _ interface: String, _ method: String) -> Result<String, Failure> {
    answer { json, error in netcfg_bus_call(bus, destination, path, interface, method, &json, &error) }
  }

  private func answer(_ body: (inout UnsafeMutablePointer<CChar>?, inout UnsafeMutablePointer<CChar>?) -> Int32) -> Result<String, Failure> {
    var json: UnsafeMutablePointer<CChar>?, error: UnsafeMutablePointer<CChar>?
    let r = body(&json, &error)
    defer {
      free(json)
      free(error)
    }
    if r >= 0, let json { return .success(String(cString: json)) }
    let name = error.map { String(cString: $0) }
    switch name {
    case "org.freedesktop.DBus.Error.ServiceUnknown"?, "org.freedesktop.DBus.Error.NameHasNoOwner"?: return .failure(.notRunning)
    case let name?: return .failure(.failed(name))
    case nil: return .failure(.failed(String(cString: strerror(-r))))
    }
  }
}
