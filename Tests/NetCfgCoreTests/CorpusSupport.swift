import Foundation
@testable import NetCfgCore
import NetCfgYAML

/// netplan's corpus: Tests/Fixtures/netplan-corpus ($NETCFG_CORPUS overrides), with INDEX.tsv and ORACLE.jsonl (the real netplan's verdicts and merged views).
enum NetplanCorpus {
  static var directory: URL {
    if let env = ProcessInfo.processInfo.environment["NETCFG_CORPUS"] { return URL(fileURLWithPath: env) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/netplan-corpus")
  }

  struct Row: Sendable {
    var file: String
    var expected: String
    var expectedError: String
    var localRC: String
    var localErrorLine: String
    /// "yes" when netplan 0.106 fails with the error netplan's own tests expect.
    var localMatchesExpected: String
    var groupFiles: String
    /// netplan 1.1.2's exit status and first line of stderr.
    var rc11: String
    var error11: String
  }

  static let rows: [Row] = {
    guard let text = try? String(contentsOf: directory.appendingPathComponent("INDEX.tsv"), encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().map { line in
      let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return Row(
        file: c[0], expected: c[2], expectedError: c[3], localRC: c[4], localErrorLine: c[6], localMatchesExpected: c[7],
        groupFiles: c[15], rc11: c.count > 19 ? c[19] : "", error11: c.count > 20 ? c[20] : "")
    }
  }()

  struct Oracle: Decodable, Sendable {
    var file: String
    var rc: Int
    var stderr: String
    var get_rc: Int?
    var get_stdout: String?
    var root_files: [String: String]
  }

  static let oracle: [String: Oracle] = {
    guard let text = try? String(contentsOf: directory.appendingPathComponent("ORACLE.jsonl"), encoding: .utf8) else { return [:] }
    var out: [String: Oracle] = [:]
    for line in text.split(separator: "\n") {
      if let o = try? JSONDecoder().decode(Oracle.self, from: Data(line.utf8)) { out[o.file] = o }
    }
    return out
  }()

  static func bytes(_ relative: String) -> [UInt8] {
    (try? Array(Data(contentsOf: directory.appendingPathComponent(relative)))) ?? []
  }

  /// The case's root as netplan saw it, built in memory (root path → corpus file).
  static func hierarchy(_ oracle: Oracle) -> NetplanHierarchy {
    var sources: [NetplanSourceFile] = []
    for (path, corpusFile) in oracle.root_files {
      let absolute = "/" + path
      guard let dir = NetplanDirectory.allCases.first(where: { absolute.hasPrefix($0.rawValue + "/") }) else { continue }
      let name = String(absolute.dropFirst(dir.rawValue.count + 1))
      guard name.hasSuffix(".yaml"), !name.contains("/") else { continue }
      sources.append(NetplanSourceFile(path: absolute, directory: dir, name: name, bytes: bytes(corpusFile), info: nil))
    }
    return NetplanHierarchy.arranging(sources)
  }
}

/// Same meaning as netplan prints it: maps unordered, booleans by value, scalars by text
/// (netplan quotes some numbers and strings in its output), `version: 2` implied, and lists
/// netplan regroups on output (addresses by family, member interfaces) compared as multisets.
func sameAsNetplan(_ a: YAMLValue, _ b: YAMLValue, key: String? = nil) -> Bool {
  // netplan prints nothing for a configuration without definitions.
  if b.isNull, let network = a["network"], network.effectivePairs.allSatisfy({ $0.key == "version" }) {
    return true
  }
  // A wifi `password:` is shorthand for `auth: {key-management: psk, password: ...}`.
  if key == "access-points", case .mapping(let points) = a {
    let expanded = YAMLValue.mapping(points.map { point in
      guard let password = point.value["password"] else { return point }
      var pairs = point.value.effectivePairs.filter { $0.key != "password" }
      pairs.append(YAMLPair("auth", .mapping([YAMLPair("key-management", .string("psk")), YAMLPair("password", password)])))
      return YAMLPair(point.key, .mapping(pairs))
    })
    if case .mapping = b { return sameAsNetplan(expanded, b) }
  }
  switch (a, b) {
  case (.scalar(let x), .scalar(let y)):
    if let p = NetplanBool.parse(x.text), let q = NetplanBool.parse(y.text) { return p == q }
    return x.text == y.text
  case (.sequence(let x), .sequence(let y)):
    guard x.count == y.count else { return false }
    if key == "addresses" || key == "interfaces" {
      var rest = y
      for item in x {
        guard let i = rest.firstIndex(where: { sameAsNetplan(item, $0) }) else { return false }
        rest.remove(at: i)
      }
      return true
    }
    return zip(x, y).allSatisfy { sameAsNetplan($0, $1) }
  case (.mapping, .mapping):
    var x = a.effectivePairs
    let y = b.effectivePairs
    if key == "network", !x.contains(where: { $0.key == "version" }), y.contains(where: { $0.key == "version" }) {
      x.append(YAMLPair("version", .int(2)))
    }
    guard x.count == y.count else { return false }
    return x.allSatisfy { p in y.first { $0.key == p.key }.map { sameAsNetplan(p.value, $0.value, key: p.key) } ?? false }
  default:
    return false
  }
}
