import Foundation
import Testing

/// The README's recipes run on a copy of the example VM root: each `netcfg` line with
/// `--root` added (so nothing of this machine is touched), scripts with NETCFG set to the
/// built binary. `--try` needs the live system and is refused with --root (exit 64).
@Suite struct ReadmeTests {
  static func recipeLines() throws -> [String] {
    let readme = try String(contentsOf: CLI.repository.appendingPathComponent("README.md"), encoding: .utf8)
    guard let section = readme.components(separatedBy: "## Recipes").dropFirst().first?
      .components(separatedBy: "\n## ").first
    else { return [] }
    var lines: [String] = []
    var inBlock = false
    for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") { inBlock.toggle(); continue }
      if inBlock, !line.isEmpty, !line.hasPrefix("#") { lines.append(String(line)) }
    }
    return lines
  }

  @Test func recipesRunAsWritten() throws {
    let lines = try Self.recipeLines()
    #expect(lines.count >= 8)
    let root = try NetplanRoots.copy("examples/k8s-node")
    let vm = try NetplanRoots.copy("examples/vm")
    for line in lines {
      var words = line.split(separator: " ").map(String.init)
      if let i = words.firstIndex(of: "--root") { words.removeSubrange(i...(i + 1)) }
      let target = words.contains("vlan10") ? root : vm
      let result: CLI.Result
      if words.first == "netcfg" {
        result = try CLI.run(Array(words.dropFirst()) + ["--root", target.path])
      } else {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [CLI.repository.appendingPathComponent(words[0]).path] + Array(words.dropFirst()) + ["--root", target.path]
        p.environment = ProcessInfo.processInfo.environment.merging(["NETCFG": CLI.binary]) { _, new in new }
        p.standardOutput = Pipe()
        p.standardError = Pipe()
        try p.run()
        p.waitUntilExit()
        result = CLI.Result(status: p.terminationStatus, stdout: "", stderr: "")
      }
      let expected: Int32 = words.contains("--try") ? 64 : 0
      #expect(result.status == expected, "`\(line)` exited \(result.status): \(result.stderr)")
    }
  }

  /// The README opens with what netcfg does for an operator: the task in three commands,
  /// each a real command (run on the example VM; `--try` needs the live system).
  @Test func theReadmeOpensWithTheOperatorsTask() throws {
    let readme = try String(contentsOf: CLI.repository.appendingPathComponent("README.md"), encoding: .utf8)
    let headings = readme.split(separator: "\n").filter { $0.hasPrefix("## ") }
    #expect(headings.prefix(3) == ["## The task in three commands", "## Install", "## Quick start (development)"])
    let section = try #require(readme.components(separatedBy: "## The task in three commands").dropFirst().first?.components(separatedBy: "\n## ").first)
    let commands = section.split(separator: "\n").filter { $0.hasPrefix("netcfg ") }
    #expect(commands.count == 3)
    let vm = try NetplanRoots.copy("examples/vm")
    for line in commands {
      let words = (line.components(separatedBy: " #").first ?? "").split(separator: " ").dropFirst().map(String.init)
      let result = try CLI.run(words + ["--root", vm.path])
      #expect(result.status == (words.contains("--try") ? 64 : 0), "`\(line)`: \(result.stderr)")
    }
  }
}
