import Foundation
import Testing

/// netcfg's own command-line parser (Sources/NetCfg/CLI) through the real binary: where
/// options may stand, their spellings, the mistakes it names, and the help, manual and
/// completions generated from the same declarations.
@Suite struct CommandLineTests {
  static let files = [
    "/etc/netplan/50-cloud-init.yaml": "network:\n  version: 2\n  ethernets:\n    eth0:\n      addresses: [192.0.2.20/24]\n"
  ]

  @Test func optionsStandAnywhereInEitherSpelling() throws {
    let root = try Root(Self.files)
    let run = try CLI.run([
      "set-ip", "--dry-run", "eth0", "--root=\(root.path)", "192.0.2.5/24", "--gateway=192.0.2.1",
      "--dns", "192.0.2.53", "192.0.2.54", "--search", "example.com",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    for line in ["192.0.2.5/24", "via: 192.0.2.1", "192.0.2.53", "192.0.2.54", "example.com"] {
      #expect(run.stdout.contains(line), "\(line) missing from \(run.stdout)")
    }
    #expect(run.stdout.contains("-      addresses: [192.0.2.20/24]"))
    // After `--` a word is an argument even when it looks like an option.
    let dashed = try CLI.run(["show", "--root", root.path, "--", "--eth0"])
    #expect(dashed.status != 64 && !dashed.stderr.contains("Unknown option"), "\(dashed.stderr)")
    // Short flags together.
    #expect(try CLI.run(["show", "-vq", "--root", root.path]).status == 0)
  }

  @Test(arguments: [
    (["show", "--bogus"], "Unknown option '--bogus'"),
    (["show", "-x"], "Unknown option '-x'"),
    (["set-ip", "eth0", "--gateway"], "Missing value for '--gateway <IP>'"),
    (["set-ip", "eth0", "--gateway", "--force"], "Missing value for '--gateway <IP>'"),
    (["show", "--json=1"], "The option '--json' does not take any value, but '1' was specified."),
    (["validate", "--netplan-version", "9"], "The value '9' is invalid for '--netplan-version <V>'. Please provide one of '0.106' and '1.1'."),
    (["apply", "--wait", "soon"], "The value 'soon' is invalid for '--wait <S>'"),
    (["show", "a", "b"], "Unexpected argument 'b'"),
    (["set-ip"], "Missing expected argument '<interface>'"),
    (["dns", "set"], "Missing expected argument '<servers> ...'"),
    (["dns", "bogus"], "Unexpected argument 'bogus'"),
    (["set-ip", "eth0", "192.0.2.5/24", "--apply", "--try"], "--apply and --try exclude each other"),
    (["set-ip", "eth0", "192.0.2.5/24", "--check-host", "192.0.2.1"], "the verification options (--check-host, --verify-timeout, ...) go with --apply or --try"),
  ])
  func mistakesAreUsageErrorsThatSayWhat(_ arguments: [String], _ message: String) throws {
    let run = try CLI.run(arguments)
    #expect(run.status == 64, "\(arguments)")
    #expect(run.stderr.hasPrefix("netcfg: " + message), "\(run.stderr)")
    let command = arguments.prefix { !$0.hasPrefix("-") && $0 != "eth0" && $0 != "a" && $0 != "bogus" }
    #expect(run.stderr.contains("Usage: netcfg " + command.joined(separator: " ")), "\(run.stderr)")
    // --json (which a group such as `dns` does not take): the one object, with the message
    // and the status.
    if command == ["dns"] { return }
    let json = try CLI.run(arguments + ["--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
    #expect(object["status"] as? Int == 64 && (object["error"] as? String)?.hasPrefix(message) == true, "\(object)")
  }

  @Test func repeatedOptionsAddUpAndTheLastSingleValueWins() throws {
    let root = try Root(Self.files)
    let run = try CLI.run(["set-ip", "eth0", "192.0.2.5/24", "--gateway", "192.0.2.9", "--gateway", "192.0.2.1",
                           "--dns", "192.0.2.53", "--dns", "192.0.2.54", "--root", root.path, "--dry-run"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("via: 192.0.2.1") && !run.stdout.contains("192.0.2.9"))
    #expect(run.stdout.contains("192.0.2.53") && run.stdout.contains("192.0.2.54"))
  }

  @Test func groupsShowTheirHelpAndHelpNamesAnyCommand() throws {
    let dns = try CLI.run(["dns"])
    #expect(dns.status == 0 && dns.stdout.contains("USAGE: netcfg dns <subcommand>"))
    for sub in ["status", "set", "reset"] { #expect(dns.stdout.contains("\n  \(sub) "), "\(sub)") }
    let nested = try CLI.run(["help", "dns", "set"])
    #expect(nested.status == 0 && nested.stdout.contains("USAGE: netcfg dns set") && nested.stdout.contains("--interface <IFACE>"))
    #expect(try CLI.run(["dns", "set", "-h"]).stdout == nested.stdout)
    let top = try CLI.run(["--help"])
    #expect(top.status == 0 && top.stdout.contains("SUBCOMMANDS:") && !top.stdout.contains("watchdog"))
    #expect(try CLI.run(["set-ip", "--version"]).stdout == CLI.run(["--version"]).stdout)
  }

  /// man/netcfg.8 is what `make man` makes of the current declarations (the date aside).
  @Test func theCommittedManualIsUpToDate() throws {
    let raw = try CLI.run(["--generate-manual"])
    #expect(raw.status == 0)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-man-\(getpid()).8")
    try raw.stdout.write(to: scratch, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let finish = Process()
    finish.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    finish.arguments = ["scripts/man-finish.py", scratch.path]
    finish.currentDirectoryURL = CLI.repository
    let out = Pipe()
    finish.standardOutput = out
    try finish.run()
    let made = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    finish.waitUntilExit()
    let committed = try String(contentsOf: CLI.repository.appendingPathComponent("man/netcfg.8"), encoding: .utf8)
    func undated(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix(".Dd ") } }
    #expect(undated(made) == undated(committed), "man/netcfg.8 is stale: run `make man`")
  }

  @Test func completionScriptsKnowEveryCommandAndOption() throws {
    let bash = try CLI.run(["--generate-completion-script", "bash"]).stdout
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/bin/bash")
    check.arguments = ["-c", bash + "\nCOMP_WORDS=(netcfg dns se); COMP_CWORD=2; _netcfg; echo \"${COMPREPLY[*]}\"\n"
      + "COMP_WORDS=(netcfg set-ip eth0 --gat); COMP_CWORD=3; _netcfg; echo \"${COMPREPLY[*]}\"\n"
      + "COMP_WORDS=(netcfg validate --netplan-version ''); COMP_CWORD=3; _netcfg; echo \"${COMPREPLY[*]}\"\n"]
    let out = Pipe()
    check.standardOutput = out
    try check.run()
    let answers = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
    check.waitUntilExit()
    #expect(check.terminationStatus == 0)
    #expect(answers == ["set", "--gateway --gateway6", "0.106 1.1"])
    let fish = try CLI.run(["--generate-completion-script", "fish"]).stdout
    let zsh = try CLI.run(["--generate-completion-script", "zsh"]).stdout
    for name in ["set-ip", "cloud-init", "yaml-edit", "disable-network"] {
      #expect(fish.contains("-a \(name) ") && zsh.contains(name) && bash.contains(name), "\(name)")
    }
    #expect(!fish.contains("watchdog") && !bash.contains("watchdog"))
    #expect(try CLI.run(["--generate-completion-script", "tcsh"]).status == 64)
  }
}
