import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// netcfg's merged view against `netplan get --root-dir ROOT all` (ORACLE.jsonl) for every
/// corpus case netplan reads.
@Suite struct NetplanMergeCorpusTests {
  @Test func mergedViewMatchesNetplanGet() throws {
    var compared = 0
    var mismatches: [String] = []
    for (name, oracle) in NetplanCorpus.oracle.sorted(by: { $0.key < $1.key }) {
      guard oracle.get_rc == 0, let stdout = oracle.get_stdout, oracle.root_files.count > 1 else { continue }
      let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle))
      let theirs = try YAMLFile(name: "get", text: stdout).meaning()
      let ours = config.merged?.value ?? .null
      compared += 1
      if !sameAsNetplan(ours, theirs) {
        mismatches.append(name)
        if ProcessInfo.processInfo.environment["MERGE_DEBUG"] != nil {
          print("OURS \(name): \(ours)\nTHEIRS: \(theirs)")
        }
      }
    }
    print("merge: \(compared) compared, \(mismatches.count) differ")
    for m in mismatches.prefix(400) { print("  differs: \(m)") }
    #expect(compared > 10)
    #expect(mismatches.isEmpty)
  }
}
