import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// The multi-file cases of the netplan corpus, and the reading of netplan's messages (the
/// single-file cases are scored per version in NetplanVersionScoreTests).
@Suite struct NetplanCorpusVerdictTests {
  /// The line of netplan's `…/a.yaml:LINE:COL: …` message, when it has one.
  static func netplanLine(_ message: String) -> Int? {
    guard let yaml = message.range(of: ".yaml:") else { return nil }
    let rest = message[yaml.upperBound...]
    return Int(rest.prefix { $0.isNumber })
  }

  /// Multi-file cases (several files in lib/etc/run): accepted ones get no error.
  @Test func multiFileCases() {
    var accepted = 0, rejected = 0, caught = 0
    for row in NetplanCorpus.rows where !row.groupFiles.isEmpty {
      guard let oracle = NetplanCorpus.oracle[row.file] else { continue }
      let errors = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle)).diagnostics.filter { $0.severity == .error }
      if row.expected == "accept" && row.localRC == "0" {
        accepted += 1
        #expect(errors.isEmpty, "\(row.file): \(errors.map(\.description))")
      } else if row.expected == "reject" {
        rejected += 1
        if !errors.isEmpty { caught += 1 }
      }
    }
    print("netplan corpus, multi-file: accepted \(accepted), rejected \(rejected), caught \(caught)")
    #expect(accepted >= 10)
  }
}
