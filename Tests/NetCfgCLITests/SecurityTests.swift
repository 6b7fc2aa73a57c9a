import Foundation
import Glibc
import Testing

/// The security review's findings, each reproduced through the built binary on a scratch root.
@Suite struct SecurityTests {
  static let vm = "network:\n  version: 2\n  ethernets:\n    ens33:\n      dhcp4: true\n"

  /// Finding 1: what is written into resolved.conf and resolv.conf cannot carry lines of its own.
  @Test(arguments: [
    ["dns", "set", "1.1.1.1#x\nDNSStubListener=no\n[Resolve]\nDNSSEC=no", "--global"],
    ["dns", "set", "1.1.1.1#bad name", "--global"],
    ["dns", "set", "1.1.1.1#x;DNSSEC=no", "--global"],
    ["dns", "set", "1.1.1.1", "--global", "--search", "a.example\nDNSSEC=no"],
    ["dns", "set", "1.1.1.1", "--global", "--search", "-bad.example"],
    ["dns", "set", "1.1.1.1", "--method", "resolv-conf", "--search", "a.example\noptions ndots:15"],
    ["set-ip", "ens33", "192.0.2.5/24", "--search", "a.example\tb"],
  ])
  func injectedLinesAreRefused(_ arguments: [String]) throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm, "/etc/resolv.conf": "nameserver 192.0.2.1\n"])
    let run = try CLI.run(arguments + ["--root", root.path])
    #expect(run.status == 64, "\(arguments): \(run.stdout)")
    #expect(!FileManager.default.fileExists(atPath: root.path + "/etc/systemd/resolved.conf.d/90-netcfg.conf"))
    #expect(try root.read("/etc/resolv.conf") == "nameserver 192.0.2.1\n")
  }

  @Test func aDNSOverTLSNameIsWrittenAsGiven() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(["dns", "set", "1.1.1.1#one.one.one.one", "--global", "--search", "~.", "--root", root.path])
    #expect(run.status == 0, "\(run.stderr)")
    let dropIn = try root.read("/etc/systemd/resolved.conf.d/90-netcfg.conf")
    #expect(dropIn.contains("\nDNS=1.1.1.1#one.one.one.one\n") && dropIn.contains("\nDomains=~.\n"))
  }

  /// Finding 5: a lock anyone can take on /etc no longer blocks changes; the lock is a file
  /// in the 0700 state directory.
  @Test func aLockOnEtcBlocksNothing() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
    holder.arguments = ["-x", root.path + "/etc", "sleep", "20"]
    try holder.run()
    defer { holder.terminate() }
    usleep(200_000)
    let run = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--root", root.path])
    #expect(run.status == 0, "\(run.stderr)")
    var info = stat()
    #expect(stat(root.path + "/var/lib/netcfg", &info) == 0 && info.st_mode & 0o777 == 0o700)
    #expect(stat(root.path + "/var/lib/netcfg/edit.lock", &info) == 0 && info.st_mode & 0o777 == 0o600)
  }

  /// Finding 6: as root, helpers come from the system's directories with a clean environment:
  /// neither a relative or absolute PATH entry nor PYTHONPATH (netplan is Python) decides what
  /// runs. The real netplan renders the change.
  @Test(.enabled(if: getuid() == 0)) func rootIgnoresTheCallersPathAndEnvironment() throws {
    let work = try Root([
      "/evil/netplan": "#!/bin/sh\ntouch \"$(dirname \"$0\")/../ran-evil\"\nexit 0\n",
      "/py/sitecustomize.py": "open(__file__ + '.ran', 'w').close()\n",
    ], mode: 0o755)
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(
      ["set-ip", "ens33", "192.0.2.5/24", "--apply", "--root", root.path],
      environment: ["PATH": "./evil:\(work.path)/evil:/usr/bin:/bin", "PYTHONPATH": work.path + "/py"], directory: work.path)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: work.path + "/ran-evil"))
    #expect(!FileManager.default.fileExists(atPath: work.path + "/py/sitecustomize.py.ran"))
    let unit = try String(contentsOfFile: root.path + "/run/systemd/network/10-netplan-ens33.network", encoding: .utf8)
    #expect(unit.contains("Address=192.0.2.5/24"))
  }

  /// Finding 8: a change that was applied stays applied when its generation cannot be
  /// recorded (here the generations directory is a file): the journal ends, and neither
  /// `recover` nor the next command undoes the change.
  @Test func aFailedGenerationRecordDoesNotUndoTheChange() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm, "/var/lib/netcfg/generations": "not a directory\n"])
    chmod(root.path + "/var/lib/netcfg", 0o700)
    let run = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--apply", "--root", root.path, "--json"])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    #expect(json?["outcome"] as? String == "applied")
    #expect(json?["generation"] is NSNull)
    #expect((json?["history-problem"] as? String)?.contains("generations") == true, "\(run.stdout)")
    #expect(run.stderr.contains("the change is kept, but not recorded in the history"))
    let recovered = try CLI.run(["recover", "--root", root.path])
    #expect(recovered.stdout == "nothing to recover\n", "\(recovered.stdout)\(recovered.stderr)")
    _ = try CLI.run(["show", "--root", root.path])
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml").contains("192.0.2.5/24"))
  }

  /// Finding 13: control characters in a file's keys and values, or in a stored command line,
  /// reach the terminal as escapes (`\x1B`), never raw; --json escapes them as JSON does.
  @Test func terminalEscapesAreShownEscaped() throws {
    let root = try Root([
      "/etc/netplan/50-cloud-init.yaml": Self.vm,
      "/etc/netplan/60-odd.yaml": "network:\n  version: 2\n  ethernets:\n    \"x\\e]0;pwned\\a\\e[2J\":\n      dhcp4: true\n",
    ])
    for arguments in [["show"], ["validate"], ["get", "ethernets"]] {
      let run = try CLI.run(arguments + ["--root", root.path])
      #expect(!(run.stdout + run.stderr).contains("\u{1B}") && !(run.stdout + run.stderr).contains("\u{07}"), "\(arguments)")
      #expect((run.stdout + run.stderr).contains("x\\x1B]0;pwned\\x07\\x1B[2J") || arguments == ["get", "ethernets"], "\(arguments): \(run.stdout)")
    }
    // netcfg refuses control characters in what it writes; a history entry with them (an older
    // netcfg's) is written here by hand.
    try FileManager.default.removeItem(atPath: root.path + "/etc/netplan/60-odd.yaml")
    let apply = try CLI.run(["apply", "--root", root.path, "-q"])
    #expect(apply.status == 0, "\(apply.stderr)")
    let info = root.path + "/var/lib/netcfg/generations/0/info"
    let text = try String(contentsOfFile: info, encoding: .utf8)
    try Data(text.replacingOccurrences(of: "command=netcfg apply", with: "command=netcfg apply # \u{1B}[2J\u{9B}2J").utf8)
      .write(to: URL(fileURLWithPath: info))
    let history = try CLI.run(["history", "--root", root.path])
    #expect(!history.stdout.contains("\u{1B}") && !history.stdout.contains("\u{9B}"))
    #expect(history.stdout.contains("# \\x1B[2J\\u009B2J"), "\(history.stdout)")
    let json = try CLI.run(["history", "--root", root.path, "--json"])
    #expect(json.stdout.contains("\\u001b[2J\\u009b2J"), "\(json.stdout)")
  }

  /// Finding 11: the command line stored in the journal and the history has its secrets
  /// masked; the history files are readable by root only.
  @Test func storedCommandLinesHaveTheirSecretsMasked() throws {
    let wifi = "network:\n  version: 2\n  wifis:\n    wlan0:\n      dhcp4: true\n      access-points:\n        home:\n          password: \"old-secret\"\n"
    let root = try Root(["/etc/netplan/60-wifi.yaml": wifi])
    let run = try CLI.run([
      "set", "wifis.wlan0.access-points.home.password=hunter2-secret",
      "wifis.wlan0.access-points.work={password: other-secret}", "--apply", "--root", root.path, "-q",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let history = try CLI.run(["history", "--root", root.path])
    #expect(history.stdout.contains("password=*** wifis.wlan0.access-points.work={password: ***}"), "\(history.stdout)")
    #expect(!history.stdout.contains("secret"))
    let info = try String(contentsOfFile: root.path + "/var/lib/netcfg/generations/0/info", encoding: .utf8)
    #expect(!info.contains("hunter2") && !info.contains("other-secret"), "\(info)")
    var st = stat()
    for path in ["/var/lib/netcfg", "/var/lib/netcfg/generations/0", "/var/lib/netcfg/generations/0/info", "/var/lib/netcfg/generations/0/content/0"] {
      #expect(stat(root.path + path, &st) == 0 && st.st_mode & 0o077 == 0, "\(path) mode \(String(st.st_mode & 0o777, radix: 8))")
    }
  }

  /// Finding 11: generations are pruned to the newest NETCFG_KEEP_GENERATIONS of
  /// /etc/default/netcfg (100 without it); numbers go on growing.
  @Test func generationsArePruned() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm, "/etc/default/netcfg": "# netcfg\nNETCFG_KEEP_GENERATIONS=2\n"])
    for i in 1...4 {
      let run = try CLI.run(["set-ip", "ens33", "192.0.2.\(i)/24", "--apply", "--root", root.path, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
    }
    let history = try CLI.run(["history", "--root", root.path])
    #expect(history.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["2", "3"], "\(history.stdout)")
    let left = try FileManager.default.contentsOfDirectory(atPath: root.path + "/var/lib/netcfg/generations").sorted()
    #expect(left == ["2", "3"])
    let back = try CLI.run(["rollback", "--to", "0", "--root", root.path])
    #expect(back.status == 64 && back.stderr.contains("there is no generation 0"), "\(back.stderr)")
  }

  /// Finding 13: a netplan file whose name is not UTF-8 is read, shown (`\xE9`) and edited in
  /// place, as netplan reads it; the real generator renders the edit.
  @Test func aFileNameThatIsNotUTF8IsReadAndEdited() throws {
    let root = try Root([:])
    try FileManager.default.createDirectory(atPath: root.path + "/etc/netplan", withIntermediateDirectories: true)
    let name: [UInt8] = Array((root.path + "/etc/netplan/50-caf").utf8) + [0xE9] + Array(".yaml".utf8) + [0]
    let fd = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT | O_EXCL, 0o600) }
    #expect(fd >= 0)
    _ = Self.vm.withCString { write(fd, $0, strlen($0)) }
    close(fd)
    let show = try CLI.run(["show", "--root", root.path])
    #expect(show.stdout.contains("/etc/netplan/50-caf\\xE9.yaml:5"), "\(show.stdout)\(show.stderr)")
    let run = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--apply", "--root", root.path])
    #expect(run.status == 0, "\(run.stderr)")
    let names = try FileManager.default.contentsOfDirectoryAtPathBytes(root.path + "/etc/netplan")
    #expect(names == [Array("50-caf".utf8) + [0xE9] + Array(".yaml".utf8)])
    let unit = try String(contentsOfFile: root.path + "/run/systemd/network/10-netplan-ens33.network", encoding: .utf8)
    #expect(unit.contains("Address=192.0.2.5/24"))
  }

  /// Finding 4 (in part): a state directory others may write is not used.
  @Test func aStateDirectoryOthersMayWriteIsRefused() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    try FileManager.default.createDirectory(atPath: root.path + "/var/lib/netcfg", withIntermediateDirectories: true)
    chmod(root.path + "/var/lib/netcfg", 0o777)
    let run = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--root", root.path])
    #expect(run.status != 0)
    #expect(run.stderr.contains("nobody else may write it"), "\(run.stderr)")
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml") == Self.vm)
  }

  /// Finding 2: while a `try` waits for its confirmation (its process gone), another
  /// transaction is refused and its journal, the before-state, stays as it was.
  @Test func aPendingTryIsNeverReplaced() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    // A transaction stopped right after its journal (a debug build's fault point) ...
    let crashed = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--apply", "--root", root.path],
      environment: ["NETCFG_TEST_FAULT": "journal-written#1"])
    #expect(crashed.signal != nil)
    // ... made a `try` awaiting its confirmation for five more minutes.
    let info = root.path + "/var/lib/netcfg/pending/info"
    let notes = try String(contentsOfFile: info, encoding: .utf8)
    let deadline = Int(Date().timeIntervalSince1970) + 300
    try (notes + "state=awaiting-confirmation\ndeadline=\(deadline)\n").write(toFile: info, atomically: true, encoding: .utf8)
    func files() throws -> [String: Data] {
      let dir = root.path + "/var/lib/netcfg/pending/"
      var out: [String: Data] = [:]
      for path in try FileManager.default.subpathsOfDirectory(atPath: dir) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + path, isDirectory: &isDirectory), !isDirectory.boolValue {
          out[path] = try Data(contentsOf: URL(fileURLWithPath: dir + path))
        }
      }
      return out
    }
    let journal = try files()
    for arguments in [["set-ip", "ens33", "192.0.2.6/24", "--apply"], ["apply"], ["dns", "set", "192.0.2.53", "--global", "--apply"]] {
      let run = try CLI.run(arguments + ["--root", root.path])
      #expect(run.status == 1, "\(arguments): \(run.stderr)")
      #expect(run.stderr.contains("is waiting for confirmation"), "\(arguments): \(run.stderr)")
    }
    #expect(try files() == journal)
    #expect(journal.count > 1)
  }

  /// Finding 3: with a journal to recover and ROOT/run a link out of the root, reading
  /// commands do not recover (they say it is pending) and recovery restores the files but
  /// never runs `netplan generate --root-dir` through the link.
  @Test func recoveryNeverRendersThroughALinkOutOfTheRoot() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let outside = try Root([:])
    let crashed = try CLI.run(["set-ip", "ens33", "192.0.2.5/24", "--apply", "--root", root.path],
      environment: ["NETCFG_TEST_FAULT": "backend-started#1"])
    #expect(crashed.signal != nil)
    try FileManager.default.moveItem(atPath: root.path + "/run", toPath: root.path + "/run.before")
    try FileManager.default.createSymbolicLink(atPath: root.path + "/run", withDestinationPath: outside.path)
    for reading in [["show"], ["get", "ethernets.ens33"], ["explain", "ens33"], ["validate"], ["dns", "status"]] {
      let run = try CLI.run(reading + ["--root", root.path])
      #expect(run.stderr.contains("awaits `netcfg recover`"), "\(reading): \(run.stderr)")
      #expect(FileManager.default.fileExists(atPath: root.path + "/var/lib/netcfg/pending/info"), "\(reading) recovered")
    }
    let recover = try CLI.run(["recover", "--root", root.path])
    #expect(recover.status != 0)
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml") == Self.vm)
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "netplan wrote outside the root")
  }

  /// Finding 12: a 2 GiB (sparse) netplan file is refused without being read whole: under a
  /// 1 GiB address-space limit netcfg still answers with the located error.
  @Test func aHugeFileIsRefusedBeforeItIsRead() throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let huge = root.path + "/etc/netplan/60-huge.yaml"
    let fd = open(huge, O_CREAT | O_WRONLY, 0o600)
    #expect(ftruncate(fd, 2 << 30) == 0)
    close(fd)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", "ulimit -v 1048576; exec \"$0\" validate --root \"$1\"", CLI.binary, root.path]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 65, "\(text)")
    #expect(text.contains("/etc/netplan/60-huge.yaml:1:1: error: the file is larger than 16 MiB"), "\(text)")
  }

  /// Finding 7: `yaml-edit --write` does not write through a link, and keeps a file's owner
  /// and mode.
  @Test func yamlEditDoesNotWriteThroughALink() throws {
    let root = try Root(["/data/real.yaml": "a: 1\n"], mode: 0o640)
    try FileManager.default.createSymbolicLink(atPath: root.path + "/data/link.yaml", withDestinationPath: "real.yaml")
    let run = try CLI.run(["yaml-edit", root.path + "/data/link.yaml", "a=2", "--write"])
    #expect(run.status != 0 && run.stderr.contains("symbolic link"), "\(run.stderr)")
    #expect(try root.read("/data/real.yaml") == "a: 1\n")
    chown(root.path + "/data/real.yaml", 65534, 65534)
    let direct = try CLI.run(["yaml-edit", root.path + "/data/real.yaml", "a=2", "--write"])
    #expect(direct.status == 0, "\(direct.stderr)")
    var info = stat()
    #expect(stat(root.path + "/data/real.yaml", &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o640)
    #expect(getuid() != 0 || (info.st_uid == 65534 && info.st_gid == 65534))
    #expect(try root.read("/data/real.yaml") == "a: 2\n")
  }

  /// Finding 13: operands that would reach getent or ping as options, and a --file name with
  /// a line break, are usage errors.
  @Test(arguments: [
    ["apply", "--check-dns=-sfiles"], ["apply", "--check-host=-f"], ["set-ip", "ens33", "192.0.2.5/24", "--apply", "--check-dns", "--x"],
    ["set-ip", "ens33", "192.0.2.5/24", "--file", "a\nb.yaml"],
  ])
  func optionLikeOperandsAreRefused(_ arguments: [String]) throws {
    let root = try Root(["/etc/netplan/50-cloud-init.yaml": Self.vm])
    let run = try CLI.run(arguments + ["--root", root.path])
    #expect(run.status == 64, "\(arguments): \(run.stderr)")
    #expect(try root.read("/etc/netplan/50-cloud-init.yaml") == Self.vm)
  }

  /// Finding 11 (in part): secrets are masked in diffs (text and JSON) and in diagnostics'
  /// source lines, unless --show-secrets.
  @Test func secretsAreMaskedInWhatIsPrinted() throws {
    let wifi = """
      network:
        version: 2
        wifis:
          wlan0:
            dhcp4: true
            access-points:
              "home":
                password: "correct horse battery"
              "office": {auth: {key-management: psk, password: "staple 42"}}

      """
    let root = try Root(["/etc/netplan/60-wifi.yaml": wifi])
    for extra in [[], ["--json"]] {
      let run = try CLI.run(["set-ip", "wlan0", "192.0.2.5/24", "--dry-run", "--root", root.path] + extra)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(!run.stdout.contains("correct horse") && !run.stdout.contains("staple 42"), "\(run.stdout)")
      #expect(run.stdout.contains("password: ***"))
    }
    let shown = try CLI.run(["set-ip", "wlan0", "192.0.2.5/24", "--dry-run", "--show-secrets", "--root", root.path])
    #expect(shown.stdout.contains("correct horse battery"))
    // A PSK too short for WPA: the error's source line shows the key, not the value.
    let bad = try Root(["/etc/netplan/60-wifi.yaml": wifi.replacingOccurrences(of: "correct horse battery", with: "short")])
    let validate = try CLI.run(["validate", "--root", bad.path])
    #expect(validate.status == 65, "\(validate.stderr)")
    #expect(validate.stderr.contains("password: ***") && !validate.stderr.contains("short"), "\(validate.stderr)")
  }
}

extension FileManager {
  /// The names in a directory as bytes (FileManager's own listing cannot hold names that are
  /// not UTF-8).
  func contentsOfDirectoryAtPathBytes(_ path: String) throws -> [[UInt8]] {
    guard let dir = opendir(path) else { throw CocoaError(.fileReadNoSuchFile) }
    defer { closedir(dir) }
    var names: [[UInt8]] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
    }
    return names
  }
}
