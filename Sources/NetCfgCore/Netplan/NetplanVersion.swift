#if canImport(Glibc)
  import Glibc
#endif

/// The netplan whose rules a configuration is checked against. Ubuntu 22.04 and Debian 12
/// ship 0.106; Ubuntu 24.04 and Debian 13 ship 1.1.2 (1.0 and later follow 1.1's rules).
public enum NetplanVersion: String, Sendable, CaseIterable, CustomStringConvertible {
  case v0_106 = "0.106"
  case v1_1 = "1.1"

  public var description: String { rawValue }
}


extension NetplanVersion {
  /// The rules for a netplan package version (`0.106-2+deb12u1`, `1.1.2-2~ubuntu24.04.1`):
  /// 0.x follows 0.106's, 1.0 and later 1.1's.
  public init?(packageVersion: String) {
    let digits = packageVersion.drop { $0 == " " }.split(separator: ":").last.map { $0.prefix { $0.isNumber } } ?? ""
    guard let major = Int(digits) else { return nil }
    self = major == 0 ? .v0_106 : .v1_1
  }

  /// Which rules apply below a root, and why.
  public struct Detected: Sendable, Equatable {
    public var version: NetplanVersion
    /// The package version found (nil when none was).
    public var package: String?
    /// Where it was found: the package database read, or that none said.
    public var source: String

    public init(version: NetplanVersion, package: String?, source: String) {
      self.version = version
      self.package = package
      self.source = source
    }
  }

  /// The netplan installed below `fs`'s root, from its dpkg database (`netplan.io`, else
  /// `libnetplan1`/`libnetplan0`), read without starting anything; a root without one
  /// follows the host's; with neither, 1.1's rules (the newer).
  public static func installed(_ fs: FileSystem) -> Detected {
    if let found = fromDpkg(fs) { return found }
    if fs.root != "/", let host = fromDpkg(FileSystem()) {
      return Detected(version: host.version, package: host.package, source: host.source + " (the host's: the root has none)")
    }
    return Detected(version: .v1_1, package: nil, source: "no dpkg database names netplan")
  }

  static let statusFile = "/var/lib/dpkg/status"

  static func fromDpkg(_ fs: FileSystem) -> Detected? {
    let found: Detected?? = fs.withMappedFile(statusFile) { status in
      for package in ["netplan.io", "libnetplan1", "libnetplan0"] {
        guard let version = installedVersion(of: package, in: status), let rules = NetplanVersion(packageVersion: version) else { continue }
        return Detected(version: rules, package: "\(package) \(version)", source: fs.hostPath(statusFile))
      }
      return nil
    }
    return found ?? nil
  }

  /// The `Version:` of `package`'s paragraph in a dpkg status file, when it is installed.
  static func installedVersion(of package: String, in status: [UInt8]) -> String? {
    status.withUnsafeBytes { installedVersion(of: package, in: $0) }
  }

  static func installedVersion(of package: String, in status: UnsafeRawBufferPointer) -> String? {
    let needle = Array("Package: \(package)\n".utf8)
    if let at = bisect(Array(package.utf8), needle, in: status), let version = installedVersion(paragraphAt: at, in: status) {
      return version
    }
    // Out of order, or that paragraph not installed (another architecture's may be): read on.
    var from = 0
    while from < status.count {
      guard let at = ByteSearch.find(needle, in: status, from: from) else { return nil }
      from = at + needle.count
      guard at == 0 || status[at - 1] == UInt8(ascii: "\n") else { continue }
      if let version = installedVersion(paragraphAt: at, in: status) { return version }
    }
    return nil
  }

  /// Where `package`'s paragraph starts (`needle`: its `Package:` line), found by bisection:
  /// dpkg writes its status file sorted by package name, so some 20 paragraphs' names are
  /// read instead of half of a 600 KB file (the scan, with its page faults, was 7% of a
  /// one-device `set-ip`). Nil when not found so (a file not in dpkg's order, say).
  static func bisect(_ package: [UInt8], _ needle: [UInt8], in status: UnsafeRawBufferPointer) -> Int? {
    let marker = Array("\nPackage: ".utf8)
    // The paragraph sought, if the file is in order, starts in low..<high.
    var low = 0, high = status.count
    while high - low > 4096 {
      let middle = (low + high) / 2
      guard let at = ByteSearch.find(marker, in: status, from: middle - 1), at + 1 < high else {
        high = middle  // no paragraph starts in middle..<high
        continue
      }
      let name = at + marker.count
      var end = name
      while end < status.count && status[end] != UInt8(ascii: "\n") { end += 1 }
      switch compare(status, name..<end, package) {
      case 0: return at + 1
      case ..<0: low = end  // sought after this one
      default: high = middle  // before this one, the first at or after middle
      }
    }
    guard low < high else { return nil }
    let window = UnsafeRawBufferPointer(rebasing: status[..<min(status.count, high + needle.count)])
    guard let at = ByteSearch.find(needle, in: window, from: low), at == 0 || status[at - 1] == UInt8(ascii: "\n") else { return nil }
    return at
  }

  /// The bytes at `range` against `name`, as strcmp orders them (dpkg's order of names).
  private static func compare(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: [UInt8]) -> Int {
    for (i, byte) in name.enumerated() {
      guard range.lowerBound + i < range.upperBound else { return -1 }
      let other = bytes[range.lowerBound + i]
      if other != byte { return Int(other) - Int(byte) }
    }
    return range.count == name.count ? 0 : 1
  }

  /// The `Version:` of the paragraph starting at `at` when its `Status:` says installed.
  private static func installedVersion(paragraphAt at: Int, in status: UnsafeRawBufferPointer) -> String? {
    let end = ByteSearch.find(Array("\n\n".utf8), in: status, from: at) ?? status.count
    let paragraph = String(decoding: status[at..<end], as: UTF8.self)
    var version: String?, installed = false
    for line in paragraph.split(separator: "\n") {
      if line.hasPrefix("Version: ") { version = String(line.dropFirst("Version: ".count)) }
      if line.hasPrefix("Status: ") && line.hasSuffix(" installed") { installed = true }
    }
    return installed ? version : nil
  }
}
