import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// Issue 19: the validator scored against each netplan version's live verdict on every
/// single-file case of the corpus (0.106: `local_rc`; 1.1.2: `rc_1_1`, both taken on a
/// machine without Open vSwitch): no configuration that version accepts gets an error, at
/// least 98% of those it rejects are caught, every error is located, and on netplan's line
/// wherever netplan names one.
@Suite struct NetplanVersionScoreTests {
  struct Score {
    var accepted = 0, falseRejections: [String] = []
    var rejected = 0, caught = 0, missed: [String] = []
    var located = 0, withLine = 0, sameLine = 0, otherLine: [String] = []
    var percent: Double { rejected == 0 ? 0 : Double(caught) * 100 / Double(rejected) }
  }

  static func score(_ version: NetplanVersion) -> Score {
    var score = Score()
    for row in NetplanCorpus.rows where row.groupFiles.isEmpty {
      guard let oracle = NetplanCorpus.oracle[row.file] else { continue }
      let rc = version == .v0_106 ? row.localRC : row.rc11
      let message = version == .v0_106 ? row.localErrorLine : row.error11
      guard !rc.isEmpty else { continue }
      // Both verdicts were taken on a machine without Open vSwitch.
      let config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle), version: version, ovsInstalled: false)
      let errors = config.diagnostics.filter { $0.severity == .error }
      if rc == "0" {
        score.accepted += 1
        if let first = errors.first { score.falseRejections.append("\(row.file): \(first)") }
        continue
      }
      score.rejected += 1
      guard !errors.isEmpty else {
        score.missed.append("\(row.file): \(message.prefix(140))")
        continue
      }
      score.caught += 1
      if errors.allSatisfy({ $0.location != nil }) { score.located += 1 }
      if let line = NetplanCorpusVerdictTests.netplanLine(message) {
        score.withLine += 1
        if errors.contains(where: { $0.location?.line == line }) {
          score.sameLine += 1
        } else {
          score.otherLine.append("\(row.file): netplan line \(line), ours \(errors.map { $0.location?.description ?? "-" })")
        }
      }
    }
    return score
  }

  @Test(arguments: NetplanVersion.allCases) func scoresAgainstEachVersion(_ version: NetplanVersion) {
    let s = Self.score(version)
    print("""
      netplan \(version.rawValue) corpus: accepted \(s.accepted), false rejections \(s.falseRejections.count); \
      rejected \(s.rejected), caught \(s.caught) (\(String(format: "%.1f", s.percent))%); \
      netplan's line matched \(s.sameLine) of \(s.withLine)
      """)
    for m in s.falseRejections { print("  \(version.rawValue) false rejection: \(m)") }
    for m in s.missed { print("  \(version.rawValue) missed: \(m)") }
    for m in s.otherLine { print("  \(version.rawValue) other line: \(m)") }
    #expect(s.accepted > 400)
    #expect(s.falseRejections.isEmpty)
    #expect(s.rejected > 250)
    #expect(s.percent >= 98)
    #expect(s.located == s.caught)
    #expect(s.otherLine.isEmpty)
  }
}
