import Foundation
import Testing
@testable import NetCfgCore
import NetCfgYAML

/// A measurement, not a verdict: runs the whole validator (grammar + semantic checks) over the
/// corpus and prints how many `accept` cases get errors and how many `reject` cases are caught.
/// `SEMANTIC_PROBE_VERBOSE=1` prints the errors found for each listed case.
@Suite struct NetplanSemanticCorpusProbe {
  static func errors(_ hierarchy: NetplanHierarchy) -> [Diagnostic] {
    let config = NetplanConfiguration.load(hierarchy)
    let all = config.diagnostics
    return all.filter { $0.severity == .error }
  }

  @Test func corpusCounts() {
    let verbose = ProcessInfo.processInfo.environment["SEMANTIC_PROBE_VERBOSE"] != nil
    var falseRejects: [(String, [Diagnostic])] = []
    var caught = 0, total = 0
    var missed: [String] = []
    var otherReason: [String] = []
    var acceptedChecked = 0
    for row in NetplanCorpus.rows where row.expected == "accept" || row.expected == "reject" {
      guard let oracle = NetplanCorpus.oracle[row.file] else { continue }
      let errors = Self.errors(NetplanCorpus.hierarchy(oracle))
      if row.expected == "accept" {
        acceptedChecked += 1
        if !errors.isEmpty { falseRejects.append((row.file, errors)) }
      } else if !row.groupFiles.isEmpty {
        print("  multi-file reject \(row.file): \(errors.isEmpty ? "MISSED" : "caught: \(errors[0].message)")")
      } else {
        total += 1
        if errors.isEmpty {
          missed.append("\(row.file)\t\(row.expectedError.isEmpty ? "(0.106: \(row.localErrorLine))" : row.expectedError)")
        } else {
          caught += 1
          let wanted = row.expectedError.components(separatedBy: " | ").map {
            $0.replacingOccurrences(of: "Error in network definition: ", with: "").replacingOccurrences(of: "ERROR: ", with: "")
          }.filter { !$0.isEmpty }
          let messages = errors.map(\.message)
          if !wanted.isEmpty, !wanted.contains(where: { w in messages.contains { $0.contains(w) || w.contains($0) } }) {
            otherReason.append("\(row.file)\n      wanted: \(wanted.joined(separator: " | "))\n      got:    \(messages.prefix(3).joined(separator: " | "))")
          }
        }
      }
    }
    print("semantic probe: accept cases checked \(acceptedChecked), with errors \(falseRejects.count)")
    print("semantic probe: single-file rejects caught \(caught) / \(total)")
    for (file, errors) in falseRejects {
      print("  FALSE REJECT \(file)")
      for e in errors.prefix(verbose ? 10 : 2) { print("      \(e.location?.description ?? "-"): \(e.message)") }
    }
    for m in missed { print("  MISSED \(m)") }
    // Which layer catches what: the semantic checks alone, or the grammar.
    var semanticOnly = 0, grammarOnly = 0, both: [String] = []
    for row in NetplanCorpus.rows where row.expected == "reject" && row.groupFiles.isEmpty {
      guard let oracle = NetplanCorpus.oracle[row.file] else { continue }
      var config = NetplanConfiguration.load(NetplanCorpus.hierarchy(oracle))
      config.diagnostics = []
      let semantic = NetplanSemanticChecks.check(config).filter { $0.severity == .error }
      let all = Self.errors(NetplanCorpus.hierarchy(oracle))
      let grammar = all.filter { e in !semantic.contains { $0.message == e.message && $0.location == e.location } }
      if !semantic.isEmpty && grammar.isEmpty { semanticOnly += 1 }
      if semantic.isEmpty && !grammar.isEmpty { grammarOnly += 1 }
      if !semantic.isEmpty && !grammar.isEmpty {
        both.append("\(row.file): semantic [\(semantic.map(\.message).joined(separator: " | "))] grammar [\(grammar.map(\.message).prefix(2).joined(separator: " | "))]")
      }
    }
    print("semantic probe: rejects caught by the semantic checks only \(semanticOnly), grammar only \(grammarOnly), both \(both.count)")
    if verbose { for b in both { print("  BOTH \(b)") } }
    print("semantic probe: caught with another message than netplan's: \(otherReason.count)")
    for o in otherReason { print("  OTHER \(o)") }
  }
}
