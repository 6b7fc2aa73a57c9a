import Foundation
import Glibc
import Testing

/// Odd and hostile files under `--root`. Each case: a clear error or the right behaviour, the
/// original intact, no temporary file left, no crash (a signal fails the case).
@Suite struct HostileFileTests {
  static let device = "network:\n  version: 2\n  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24]\n"
  static let edit = ["set-ip", "eth0", "192.0.2.11/24"]

  /// Every case that needs no privileges: `make test` prints their count.
  @Test(arguments: [
    "link inside the root", "links out of the root", "netplan directory a link", "mode 0644", "50 MB",
    "10,000 levels", "alias bomb", "invalid UTF-8 and NUL", "run linked out of the root",
  ])
  func hostileFile(_ name: String) throws {
    switch name {
    case "link inside the root": try fileThatIsALinkInsideTheRootIsReadAndNotWrittenThrough()
    case "links out of the root": try linksPointingOutOfTheRootStayInside()
    case "netplan directory a link": try netplanDirectoryThatIsALink()
    case "mode 0644": try readableByOthersIsWarnedAndWritten0600()
    case "50 MB": try fiftyMegabytes()
    case "10,000 levels": try nestedTenThousandLevels()
    case "alias bomb": try aliasBomb()
    case "invalid UTF-8 and NUL": try invalidUTF8AndNUL()
    case "run linked out of the root": try backendPathsLinkedOutOfTheRoot()
    default: Issue.record("no case \(name)")
    }
  }

  /// Runs `arguments` against the root; fails on a signal; returns the result.
  func netcfg(_ arguments: [String], _ root: Root) throws -> CLI.Result {
    let result = try CLI.run(arguments + ["--root", root.path])
    #expect(result.signal == nil, "\(arguments): killed by signal \(result.signal ?? 0): \(result.stderr)")
    return result
  }

  /// Names of temporary files netcfg would leave below `directory`.
  func leftovers(_ directory: String) -> [String] {
    (FileManager.default.subpaths(atPath: directory) ?? []).filter { $0.contains(".netcfg-") }
  }

  /// A refused edit: exit 65 or 1, `message` in stderr, the file byte-identical, no temp file.
  func expectRefused(_ root: Root, _ file: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let before = try Data(contentsOf: URL(fileURLWithPath: root.path + file))
    let result = try netcfg(Self.edit, root)
    #expect([65, 1].contains(result.status), "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(try Data(contentsOf: URL(fileURLWithPath: root.path + file)) == before, sourceLocation: sourceLocation)
    #expect(leftovers(root.path).isEmpty, sourceLocation: sourceLocation)
  }

  func fileThatIsALinkInsideTheRootIsReadAndNotWrittenThrough() throws {
    let root = try Root(["/srv/netplan/real.yaml": Self.device])
    try FileManager.default.createDirectory(atPath: root.path + "/etc/netplan", withIntermediateDirectories: true)
    // Absolute target: inside the root, it means ROOT/srv/netplan/real.yaml.
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/netplan/01-link.yaml", withDestinationPath: "/srv/netplan/real.yaml")
    let shown = try netcfg(["get", "network.ethernets.eth0.addresses"], root)
    #expect(shown.status == 0 && shown.stdout.contains("192.0.2.10/24"), "\(shown.stdout)\(shown.stderr)")
    try expectRefused(root, "/srv/netplan/real.yaml", "symbolic link")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/netplan/01-link.yaml") == "/srv/netplan/real.yaml")
  }

  func linksPointingOutOfTheRootStayInside() throws {
    // A file on the host that a link would reach if followed by the kernel from the root.
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-outside-\(UUID().uuidString).yaml").path
    try Data("network:\n  version: 2\n  ethernets:\n    hostonly0:\n      dhcp4: true\n".utf8).write(to: URL(fileURLWithPath: outside))
    defer { try? FileManager.default.removeItem(atPath: outside) }
    let root = try Root(["/etc/netplan/01.yaml": Self.device])
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/netplan/02-abs.yaml", withDestinationPath: outside)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/netplan/03-dotdot.yaml", withDestinationPath: String(repeating: "../", count: 30) + outside.dropFirst())
    let shown = try netcfg(["show", "--json"], root)
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains("eth0"))
    #expect(!shown.stdout.contains("hostonly0"), "a link led out of the root: \(shown.stdout)")
    let edited = try netcfg(Self.edit, root)
    #expect(edited.status == 0, "\(edited.stderr)")
    #expect(try root.read("/etc/netplan/01.yaml").contains("192.0.2.11/24"))
    #expect(try String(contentsOfFile: outside, encoding: .utf8).contains("hostonly0"))
  }

  func netplanDirectoryThatIsALink() throws {
    let root = try Root(["/srv/np/01.yaml": Self.device])
    try FileManager.default.createDirectory(atPath: root.path + "/etc", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root.path + "/etc/netplan", withDestinationPath: "/srv/np")
    let edited = try netcfg(Self.edit, root)
    #expect(edited.status == 0, "\(edited.stderr)")
    #expect(try root.read("/srv/np/01.yaml").contains("192.0.2.11/24"))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/netplan") == "/srv/np")
    #expect(leftovers(root.path).isEmpty)
  }

  func readableByOthersIsWarnedAndWritten0600() throws {
    let root = try Root(["/etc/netplan/01.yaml": Self.device], mode: 0o644)
    let checked = try netcfg(["validate"], root)
    #expect(checked.stderr.contains("readable by others"), "\(checked.stderr)")
    let edited = try netcfg(Self.edit, root)
    #expect(edited.status == 0, "\(edited.stderr)")
    #expect(edited.stderr.contains("netcfg writes it with mode 600"), "\(edited.stderr)")
    let mode = try FileManager.default.attributesOfItem(atPath: root.path + "/etc/netplan/01.yaml")[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  func fiftyMegabytes() throws {
    var text = Self.device
    let padding = "# " + String(repeating: "x", count: 1021) + "\n"
    text += String(repeating: padding, count: 50 * 1024)
    let root = try Root(["/etc/netplan/01.yaml": text])
    try expectRefused(root, "/etc/netplan/01.yaml", "/etc/netplan/01.yaml:1:1: error: the file is larger than 16 MiB")
  }

  func nestedTenThousandLevels() throws {
    let root = try Root(["/etc/netplan/01.yaml": "network:\n  version: 2\n  x: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"])
    try expectRefused(root, "/etc/netplan/01.yaml", "01.yaml:3:260: error: nested more than 256 levels deep")
    // Block style: compact nested sequences, `- - - ... a`.
    let root2 = try Root(["/etc/netplan/01.yaml": "network:\n  version: 2\n  x:\n    " + String(repeating: "- ", count: 10_000) + "a\n"])
    try expectRefused(root2, "/etc/netplan/01.yaml", "error: nested more than 256 levels deep")
  }

  /// `netplan generate --root-dir` runs outside netcfg's root-confined file access: a root
  /// whose /run leads out of it is refused before anything is written; a link that stays
  /// inside (usrmerge's /lib -> usr/lib) is fine.
  func backendPathsLinkedOutOfTheRoot() throws {
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-outside-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: outside) }
    let root = try Root(["/etc/netplan/01.yaml": Self.device, "/usr/lib/netplan/.keep": ""])
    try FileManager.default.createSymbolicLink(atPath: root.path + "/run", withDestinationPath: outside)
    try FileManager.default.createSymbolicLink(atPath: root.path + "/lib", withDestinationPath: "usr/lib")
    let before = try root.read("/etc/netplan/01.yaml")
    let applied = try netcfg(Self.edit + ["--apply"], root)
    #expect(applied.status == 1 && applied.stderr.contains("/run below"), "\(applied.stderr)")
    #expect(applied.stderr.contains("lead out of it through a symbolic link"), "\(applied.stderr)")
    #expect(try root.read("/etc/netplan/01.yaml") == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    try FileManager.default.removeItem(atPath: root.path + "/run")
    let again = try netcfg(Self.edit + ["--apply"], root)
    #expect(again.status == 0, "\(again.stderr)")
  }

  func aliasBomb() throws {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
    text += Self.device + "      optional: *a9\n"
    let root = try Root(["/etc/netplan/01.yaml": text])
    try expectRefused(root, "/etc/netplan/01.yaml", "error: aliases expand to more than 1000000 nodes")
  }

  func invalidUTF8AndNUL() throws {
    for (bytes, message) in [
      (Array(Self.device.utf8) + Array("      dhcp4: true # ".utf8) + [0xFF, 0xFE] + [0x0A], "01.yaml:6:21: error: invalid UTF-8: byte 0xFF"),
      (Array(Self.device.utf8) + Array("      dhcp4: true".utf8) + [0x00, 0x0A], "01.yaml:6:18: error: a NUL byte is not allowed"),
    ] {
      let root = try Root([:])
      try FileManager.default.createDirectory(atPath: root.path + "/etc/netplan", withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: root.path + "/etc/netplan/01.yaml"))
      chmod(root.path + "/etc/netplan/01.yaml", 0o600)
      try expectRefused(root, "/etc/netplan/01.yaml", message)
      let checked = try netcfg(["validate"], root)
      #expect(checked.status == 65 && checked.stderr.contains(message), "\(checked.stderr)")
    }
  }

  /// Read-only and full filesystems: a bind mount and a small tmpfs in a private mount
  /// namespace (root only), checked from inside it.
  @Test(.enabled(if: getuid() == 0, "mount namespaces need root"), arguments: [
    ("read-only", "mount --bind -o ro \"$R/etc/netplan\" \"$R/etc/netplan\"", "Read-only file system"),
    ("full", "cp \"$R/etc/netplan/01.yaml\" /tmp/keep.$$; mount -t tmpfs -o size=16k nc \"$R/etc/netplan\"; cp /tmp/keep.$$ \"$R/etc/netplan/01.yaml\"; chmod 600 \"$R/etc/netplan/01.yaml\"; dd if=/dev/zero of=\"$R/etc/netplan/fill\" bs=1k count=64 2>/dev/null || true", "No space left on device"),
  ])
  func unwritableFilesystem(_ name: String, _ mount: String, _ message: String) throws {
    // A long file, so the full disk cannot take a second copy of it.
    let root = try Root(["/etc/netplan/01.yaml": Self.device + String(repeating: "# padding padding padding\n", count: 200)])
    let script = """
      set -e; R=\(root.path); mount --make-rprivate / ; \(mount)
      sum() { sha256sum "$R/etc/netplan/01.yaml" | cut -d' ' -f1; }
      before=$(sum)
      set +e; "\(CLI.binary)" set-ip eth0 192.0.2.11/24 --root "$R" 2>/tmp/err.$$; rc=$?; set -e
      echo "rc=$rc"; cat /tmp/err.$$; rm -f /tmp/err.$$
      [ "$(sum)" = "$before" ] && echo "intact" || echo "CHANGED"
      ls -A "$R/etc/netplan" | grep -q netcfg- && echo "LEFTOVER" || echo "clean"
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = ["-m", "--propagation", "private", "/bin/sh", "-c", script]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text.contains("rc=1\n"), "\(name): \(text)")
    #expect(text.contains(message), "\(name): \(text)")
    #expect(text.contains("intact\n") && text.contains("clean\n"), "\(name): \(text)")
  }
}
