import Testing

@testable import NetCfgCore

/// The installed netplan is read from dpkg's status file, found by bisection over the sorted
/// paragraphs and by a scan from the start when that finds nothing: both must give the answer
/// a plain scan gives, on files in dpkg's order and out of it.
@Suite struct DpkgStatusTests {
  /// A paragraph as dpkg writes it (long enough that a file of a few hundred is bisected).
  static func paragraph(_ name: String, _ version: String, status: String = "install ok installed", arch: String = "amd64") -> String {
    """
    Package: \(name)
    Status: \(status)
    Priority: optional
    Section: net
    Installed-Size: 1234
    Maintainer: Someone <someone@example.invalid>
    Architecture: \(arch)
    Version: \(version)
    Depends: libc6 (>= 2.34), libglib2.0-0 (>= 2.70), libyaml-0-2, python3:any
    Description: a package of the test
     with a second line of description.

    """ + "\n"  // the blank line between paragraphs
  }

  /// 600 packages named around the netplan ones, in dpkg's order (by name, bytewise).
  static var names: [String] {
    var names = (0..<600).map { "pkg-" + String(String($0 + 1000).dropFirst()) }
    names += ["libnetplan0", "libnetplan1", "netplan.io", "netplan-generator", "a", "zz", "netplan.i", "netplan.io2", "libnetplan"]
    return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// What a scan from the start finds: the first installed paragraph of `package`.
  static func scanned(_ package: String, in text: String) -> String? {
    for block in text.split(separator: "\n\n") {
      let lines = block.split(separator: "\n")
      guard lines.first == "Package: \(package)"[...] else { continue }
      guard lines.contains(where: { $0.hasPrefix("Status: ") && $0.hasSuffix(" installed") }) else { continue }
      if let version = lines.first(where: { $0.hasPrefix("Version: ") }) { return String(version.dropFirst(9)) }
    }
    return nil
  }

  static func check(_ text: String, _ packages: [String]) {
    for package in packages {
      let found = NetplanVersion.installedVersion(of: package, in: Array(text.utf8))
      #expect(found == scanned(package, in: text), "\(package)")
    }
  }

  static let asked = ["netplan.io", "libnetplan1", "libnetplan0", "netplan.i", "libnetplan", "a", "zz", "pkg-000", "pkg-599", "pkg-300", "absent", "netplan.io2"]

  @Test func findsEveryPackageOfASortedFile() {
    let text = Self.names.map { Self.paragraph($0, "1.\($0.count)-\($0.utf8.first!)") }.joined()
    #expect(text.utf8.count > 100_000)
    #expect(NetplanVersion.installedVersion(of: "netplan.io", in: Array(text.utf8)) == "1.10-110")
    Self.check(text, Self.asked)
    // In order, bisection itself finds every paragraph (the scan is not what answered).
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { status in
      for name in Self.names {
        let needle = Array("Package: \(name)\n".utf8)
        let at = NetplanVersion.bisect(Array(name.utf8), needle, in: status)
        #expect(at.map { Array(status[$0..<$0 + needle.count]) } == needle, "\(name)")
      }
      #expect(NetplanVersion.bisect(Array("absent".utf8), Array("Package: absent\n".utf8), in: status) == nil)
    }
  }

  @Test func findsWhatAScanFindsOutOfOrder() {
    var names = Self.names
    names.reverse()
    Self.check(names.map { Self.paragraph($0, "2.\($0.count)") }.joined(), Self.asked)
    names.shuffle()
    Self.check(names.map { Self.paragraph($0, "3.\($0.count)") }.joined(), Self.asked)
  }

  /// Removed packages keep a paragraph (`deinstall ok config-files`); another architecture's
  /// may follow with the same name, installed.
  @Test func passesOverParagraphsNotInstalled() {
    var paragraphs = Self.names.map { Self.paragraph($0, "1.0") }
    let at = paragraphs.firstIndex(of: Self.paragraph("netplan.io", "1.0"))!
    paragraphs[at] = Self.paragraph("netplan.io", "0.106-2", status: "deinstall ok config-files")
    paragraphs.insert(Self.paragraph("netplan.io", "1.1.2-2", arch: "i386"), at: at + 1)
    let text = paragraphs.joined()
    #expect(NetplanVersion.installedVersion(of: "netplan.io", in: Array(text.utf8)) == "1.1.2-2")
    paragraphs.remove(at: at + 1)
    #expect(NetplanVersion.installedVersion(of: "netplan.io", in: Array(paragraphs.joined().utf8)) == nil)
    Self.check(text, Self.asked)
  }

  @Test func smallAndEmptyFiles() {
    Self.check("", Self.asked)
    Self.check(Self.paragraph("netplan.io", "0.106-2+deb12u1"), Self.asked)
    Self.check("Package: netplan.io\nStatus: install ok installed\nVersion: 1.1", Self.asked)
    Self.check(Self.names.map { Self.paragraph($0, "1") }.joined() + "Package: netplan.io", Self.asked)
  }
}
