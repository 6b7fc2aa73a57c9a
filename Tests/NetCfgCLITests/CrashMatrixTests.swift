import Foundation
import Testing

/// The crash matrix under `--root` (the backend is the real `netplan generate`): each command
/// runs once to learn its steps (NETCFG_TEST_FAULT_TRACE), then once per step killed there
/// (NETCFG_TEST_FAULT, debug builds only), followed by `netcfg recover`. Afterwards every
/// file below /etc is byte-identical to its state before or after the command (mode and
/// link target included, nothing partial, nothing missing, no temporary file left), a
/// transaction is all-or-nothing, and the history agrees with the files. The live steps
/// (verification, rollback, `try`) are crashed in Tests/e2e/crash-matrix.sh.
@Suite struct CrashMatrixTests {
  struct Scenario: Sendable {
    var name: String
    var setup: [[String]]
    var command: [String]
    /// A transaction (all files before, or all after plus one generation) or a plain edit
    /// (each file before or after, history untouched).
    var transaction: Bool
    var steps: [String]
    /// `apply` returns to the last applied generation (the files after this many setup
    /// commands), not to the edits it was to apply; others to the files as they were.
    var returnsAfterSetup: Int? = nil
    /// More netplan files of the fixture.
    var files: [String: String] = [:]
    /// A plain edit of several files: all before or all after (issue 18.8).
    var atomic = false
  }

  static let scenarios: [Scenario] = [
    Scenario(
      name: "edit", setup: [["apply"]], command: ["set-ip", "eth0", "192.0.2.11/24", "--gateway", "192.0.2.1"],
      transaction: false, steps: ["temp-written /etc/netplan/01-e2e.yaml", "renamed /etc/netplan/01-e2e.yaml"]),
    Scenario(
      name: "edit --apply (a link replaced by a file)", setup: [["apply"]],
      command: ["dns", "set", "192.0.2.53", "--method", "resolv-conf", "--force", "--apply"], transaction: true,
      steps: ["journal-written", "renamed /etc/resolv.conf", "backend-started", "generation-recorded"]),
    Scenario(
      name: "apply (two files edited before)",
      setup: [["apply"], ["set-ip", "eth0", "192.0.2.12/24"], ["dns", "set", "192.0.2.53", "--global"]],
      command: ["apply"], transaction: true, steps: ["journal-written", "backend-started", "generation-recorded"],
      returnsAfterSetup: 1),
    Scenario(
      name: "rollback --to 0 (three files, one removed, one a link again)",
      setup: [
        ["apply"], ["set-ip", "eth0", "192.0.2.12/24"], ["dns", "set", "192.0.2.53", "--global"],
        ["dns", "set", "192.0.2.54", "--method", "resolv-conf", "--force"], ["apply"],
      ],
      command: ["rollback", "--to", "0"], transaction: true,
      steps: [
        "journal-written", "renamed /etc/netplan/01-e2e.yaml", "removed /etc/systemd/resolved.conf.d/90-netcfg.conf",
        "renamed /etc/resolv.conf", "backend-started", "generation-recorded",
      ]),
    Scenario(
      name: "migrate (a plain edit of two files)", setup: [], command: ["migrate"], transaction: false,
      steps: ["edit-journal-written", "renamed /etc/netplan/02-old.yaml", "renamed /etc/netplan/03-old.yaml"],
      files: [
        "/etc/netplan/02-old.yaml": "network:\n  ethernets:\n    eth1:\n      addresses: [198.51.100.5/24]\n      gateway4: 198.51.100.1\n",
        "/etc/netplan/03-old.yaml": "network:\n  ethernets:\n    eth2:\n      addresses: [2001:db8::5/64]\n      gateway6: 2001:db8::1\n",
      ],
      atomic: true),
  ]

  @Test func everyStepOfEveryCommand() throws {
    var cases = 0
    var failures: [String] = []
    for scenario in Self.scenarios {
      let (prepared, returnState) = try Self.prepare(scenario)
      defer { try? FileManager.default.removeItem(atPath: prepared) }
      let before = try Tree(root: prepared)
      // The reference run: its steps and its after-state.
      let reference = try Self.copy(prepared)
      defer { try? FileManager.default.removeItem(atPath: reference) }
      let trace = reference + ".trace"
      let ran = try CLI.run(scenario.command + ["--root", reference, "-q"], environment: ["NETCFG_TEST_FAULT_TRACE": trace])
      #expect(ran.status == 0, "\(scenario.name): \(ran.stderr)")
      let steps = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
      try? FileManager.default.removeItem(atPath: trace)
      let after = try Tree(root: reference)
      #expect(after.files != (returnState ?? before).files, "\(scenario.name) changed nothing")
      for named in scenario.steps {
        #expect(steps.contains(named + "#1"), "\(scenario.name): step \(named) not reached; steps: \(steps)")
      }
      for step in steps {
        cases += 1
        let root = try Self.copy(prepared)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let crashed = try CLI.run(scenario.command + ["--root", root, "-q"], environment: ["NETCFG_TEST_FAULT": step])
        guard crashed.signal == SIGKILL else {
          failures.append("\(scenario.name) @ \(step): not killed there (exit \(crashed.status))")
          continue
        }
        let recovered = try CLI.run(["recover", "--root", root, "-q"])
        guard recovered.status == 0 else {
          failures.append("\(scenario.name) @ \(step): recover exit \(recovered.status): \(recovered.stderr)")
          continue
        }
        let again = try CLI.run(["recover", "--root", root])
        if again.stdout != "nothing to recover\n" { failures.append("\(scenario.name) @ \(step): recover again: \(again.stdout)") }
        let now = try Tree(root: root)
        if let problem = Self.check(
          now, before: before, after: after, returned: returnState, transaction: scenario.transaction, atomic: scenario.atomic)
        {
          failures.append("\(scenario.name) @ \(step): \(problem)")
        }
      }
    }
    print("crash matrix (--root): \(cases) crashes in \(Self.scenarios.count) commands, \(failures.count) failures")
    #expect(cases >= 40)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  /// `recover` runs the backend again only when the crashed change may have reached it: killed
  /// after writing but before the backend started, the files go back and nothing runs (the
  /// rendered output below /run stays as it was); killed once the backend started, the
  /// restored files are rendered again. It says which in --json.
  @Test func recoverRunsTheBackendOnlyWhenTheChangeReachedIt() throws {
    let (prepared, _) = try Self.prepare(Self.scenarios[0])
    defer { try? FileManager.default.removeItem(atPath: prepared) }
    let rendered = "/run/systemd/network/10-netplan-eth0.network"
    let original = try String(contentsOfFile: prepared + rendered, encoding: .utf8)
    #expect(original.contains("192.0.2.10/24"))
    for (step, ranBackend) in [("renamed /etc/netplan/01-e2e.yaml#1", false), ("backend-started#1", true)] {
      let root = try Self.copy(prepared)
      defer { try? FileManager.default.removeItem(atPath: root) }
      // What the rendered file looks like when it is not re-rendered: marked, to tell.
      try Data((original + "# untouched\n").utf8).write(to: URL(fileURLWithPath: root + rendered))
      let crashed = try CLI.run(
        ["set-ip", "eth0", "192.0.2.40/24", "--apply", "--root", root, "-q"], environment: ["NETCFG_TEST_FAULT": step])
      #expect(crashed.signal == SIGKILL, "\(step): exit \(crashed.status)")
      let recovered = try CLI.run(["recover", "--root", root, "--json"])
      #expect(recovered.status == 0, "\(step): \(recovered.stderr)")
      let json = try JSONSerialization.jsonObject(with: Data(recovered.stdout.utf8)) as? [String: Any]
      #expect(json?["outcome"] as? String == "restored", "\(step): \(recovered.stdout)")
      let backend = json?["backend"] as? [String] ?? ["?"]
      #expect(backend == (ranBackend ? ["netplan generate --root-dir \(root)"] : []), "\(step): \(recovered.stdout)")
      #expect(json?["verified"] as? [String] == [], "under --root nothing is verified: \(recovered.stdout)")
      let now = try String(contentsOfFile: root + rendered, encoding: .utf8)
      #expect(now.contains("192.0.2.10/24") && !now.contains("192.0.2.40"), "\(step): \(now)")
      #expect(now.hasSuffix("# untouched\n") != ranBackend, "\(step): rendered again: \(ranBackend); \(now)")
      let text = try CLI.run(["recover", "--root", root])
      #expect(text.stdout == "nothing to recover\n")
    }
  }

  /// The SSH session dying mid-transaction (SIGHUP, then writes to a dead terminal) does not
  /// stop it: held at its backend step, hung up on, it still ends and records its generation.
  @Test func aHangupDoesNotStopATransaction() throws {
    let (root, _) = try Self.prepare(Self.scenarios[0])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let trace = root + "/trace"
    let process = Process()
    // As from a login shell: hangups and broken pipes kill by default (the test runner may
    // have them ignored, and an ignored signal stays ignored across exec).
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["--default-signal=HUP,PIPE", CLI.binary, "set-ip", "eth0", "192.0.2.31/24", "--apply", "--root", root]
    var environment = ProcessInfo.processInfo.environment
    environment["NETCFG_TEST_FAULT"] = "backend-started#1"
    environment["NETCFG_TEST_FAULT_PAUSE"] = "2"
    environment["NETCFG_TEST_FAULT_TRACE"] = trace
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    for _ in 0..<500 where !((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").contains("backend-started#1") {
      usleep(10_000)
    }
    try out.fileHandleForReading.close()  // the terminal is gone
    kill(process.processIdentifier, SIGHUP)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "ended by \(process.terminationReason) \(process.terminationStatus)")
    let history = try CLI.run(["history", "--root", root])
    #expect(history.stdout.split(separator: "\n").count == 2, "\(history.stdout)")
    #expect(try String(contentsOfFile: root + "/etc/netplan/01-e2e.yaml", encoding: .utf8).contains("192.0.2.31/24"))
  }

  /// nil when `now` is a state recovery may leave, else what is wrong with it. A plain edit
  /// leaves each file before or after (atomic per file). A transaction leaves all files as
  /// found (it never began), all as after with one generation more that holds them
  /// (committed), or all as `returned` (rolled back; the files as found when nil).
  static func check(_ now: Tree, before: Tree, after: Tree, returned: Tree?, transaction: Bool, atomic: Bool = false) -> String? {
    if atomic, now.files != before.files, now.files != after.files {
      let differing = Set(now.files.keys).union(after.files.keys).filter { now.files[$0] != after.files[$0] }.sorted()
      return "a plain edit of several files left some written and some not; differing from after: \(differing)"
    }
    guard transaction else {
      for path in Set(now.files.keys).union(before.files.keys).union(after.files.keys)
      where now.files[path] != before.files[path] && now.files[path] != after.files[path] {
        return "\(path) is neither its before nor its after state: \(now.files[path]?.prefix(200) ?? "missing")"
      }
      return now.generations == before.generations ? nil : "a plain edit changed the history"
    }
    let rolledBack = now.files == before.files || now.files == returned?.files
    if rolledBack && now.generations == before.generations { return nil }
    if now.files == after.files && now.generations == before.generations + 1 {
      return now.newestGenerationMatches ? nil : "the newest generation does not hold the files on disk"
    }
    if rolledBack || now.files == after.files {
      return "files \(rolledBack ? "as before" : "as after"), but history \(before.generations) -> \(now.generations)"
    }
    let differing = Set(now.files.keys).union(after.files.keys).filter { now.files[$0] != after.files[$0] }.sorted()
    return "neither all before nor all after; differing from after: \(differing)"
  }

  /// A fresh root with the fixture files, the setup commands run in it.
  static func prepare(_ scenario: Scenario) throws -> (String, Tree?) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-crash-\(UUID().uuidString)").path
    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/etc/netplan", withIntermediateDirectories: true)
    try fm.createDirectory(atPath: root + "/etc/systemd", withIntermediateDirectories: true)
    try fm.createDirectory(atPath: root + "/run/systemd/resolve", withIntermediateDirectories: true)
    try Data("""
      # The host under test.
      network:
        version: 2
        renderer: networkd
        ethernets:
          eth0:
            addresses: [192.0.2.10/24]   # first address
            routes:
              - to: default
                via: 192.0.2.1

      """.utf8).write(to: URL(fileURLWithPath: root + "/etc/netplan/01-e2e.yaml"))
    try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + "/etc/netplan/01-e2e.yaml")
    try Data("[Resolve]\n#DNS=\n".utf8).write(to: URL(fileURLWithPath: root + "/etc/systemd/resolved.conf"))
    try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root + "/etc/systemd/resolved.conf")
    try Data("nameserver 127.0.0.53\n".utf8).write(to: URL(fileURLWithPath: root + "/run/systemd/resolve/stub-resolv.conf"))
    try fm.createSymbolicLink(atPath: root + "/etc/resolv.conf", withDestinationPath: "../run/systemd/resolve/stub-resolv.conf")
    for (path, text) in scenario.files {
      try Data(text.utf8).write(to: URL(fileURLWithPath: root + path))
      try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + path)
    }
    var returnState: Tree?
    for (i, step) in scenario.setup.enumerated() {
      let result = try CLI.run(step + ["--root", root, "-q"])
      guard result.status == 0 else { throw SetupError(message: "\(step): \(result.stderr)") }
      if i + 1 == scenario.returnsAfterSetup { returnState = try Tree(root: root) }
    }
    return (root, returnState)
  }

  struct SetupError: Error { var message: String }

  static func copy(_ root: String) throws -> String {
    let copy = root + "-\(UUID().uuidString.prefix(8))"
    let cp = Process()
    cp.executableURL = URL(fileURLWithPath: "/bin/cp")
    cp.arguments = ["-a", root, copy]
    try cp.run()
    cp.waitUntilExit()
    return copy
  }
}

/// What recovery must get right below a root: every file and link of /etc (kind, mode,
/// bytes or target; temporary files included, so a leftover shows), and the history.
struct Tree: Equatable {
  var files: [String: String] = [:]
  var generations = 0
  var newestGenerationMatches = true

  init(root: String) throws {
    let fm = FileManager.default
    for relative in fm.subpaths(atPath: root + "/etc") ?? [] {
      let path = root + "/etc/" + relative
      let attributes = try fm.attributesOfItem(atPath: path)
      let type = attributes[.type] as? FileAttributeType
      if type == .typeSymbolicLink {
        files["/etc/" + relative] = "link -> " + (try fm.destinationOfSymbolicLink(atPath: path))
      } else if type == .typeRegular {
        let mode = String((attributes[.posixPermissions] as? Int) ?? 0, radix: 8)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        files["/etc/" + relative] = "file \(mode) " + String(decoding: bytes, as: UTF8.self)
      }
    }
    let generationsDirectory = root + "/var/lib/netcfg/generations"
    let numbers = ((try? fm.contentsOfDirectory(atPath: generationsDirectory)) ?? [])
      .compactMap(Int.init).filter { fm.fileExists(atPath: "\(generationsDirectory)/\($0)/manifest") }.sorted()
    generations = numbers.count
    // Whether the newest generation holds the files on disk (after a committed transaction).
    if let newest = numbers.last {
      let directory = "\(generationsDirectory)/\(newest)"
      let manifest = try String(contentsOfFile: directory + "/manifest", encoding: .utf8)
      for (i, line) in manifest.split(separator: "\n").enumerated() {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard f[4].hasPrefix("/etc/") else { continue }  // netcfg's own records
        switch f[0] {
        case "file":
          let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/content/\(i)"))
          if files[f[4]] != "file \(f[1]) " + String(decoding: bytes, as: UTF8.self) { newestGenerationMatches = false }
        case "link": if files[f[4]] != "link -> " + f[5] { newestGenerationMatches = false }
        default: if files[f[4]] != nil { newestGenerationMatches = false }
        }
      }
    }
  }
}
