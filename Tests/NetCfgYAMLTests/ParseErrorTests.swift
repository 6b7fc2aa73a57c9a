import Testing
@testable import NetCfgYAML

/// Invalid YAML gives a located error (file, line, column, the line, a caret), never a crash.
@Suite struct ParseErrorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "tab indentation", text: "network:\n\tversion: 2\n", line: 2, column: 1,
         message: "tabs are not allowed for indentation"),
    Case(name: "unclosed flow sequence", text: "network:\n  ethernets:\n    eth0:\n      addresses: [10.0.0.1/8\n  version: 2\n",
         line: 5, column: 10, message: "did not find expected ',' or ']'"),
    Case(name: "unclosed flow mapping", text: "a: {b: 1\n", line: 2, column: 1,
         message: "did not find expected ',' or '}'"),
    Case(name: "bad indentation", text: "network:\n  version: 2\n ethernets: {}\n", line: 3, column: 2,
         message: "did not find expected key"),
    Case(name: "non-ASCII before the error", text: "# 网卡配置\nnetwork:\n  version: 2\n renderer: networkd\n",
         line: 4, column: 2, message: "did not find expected key"),
    Case(name: "unclosed quote", text: "a: \"open\nb: 1\n", line: 3, column: 1,
         message: "found unexpected end of stream"),
    Case(name: "mapping in plain value", text: "a: b: c\n", line: 1, column: 5,
         message: "mapping values are not allowed in this context"),
  ]

  @Test(arguments: cases)
  func locatesTheError(_ c: Case) {
    do {
      _ = try YAMLFile(name: "etc/netplan/50-test.yaml", text: c.text)
      Issue.record("parsed invalid YAML")
    } catch {
      #expect(error.line == c.line)
      #expect(error.column == c.column)
      #expect(error.message.contains(c.message), "\(error.message)")
      let rendered = error.description.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(rendered[0] == "etc/netplan/50-test.yaml:\(c.line):\(c.column): error: \(error.message)")
      let lines = c.text.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(rendered[1] == (c.line <= lines.count ? lines[c.line - 1] : ""))
      #expect(rendered[2].hasSuffix("^") && rendered[2].count == c.column)
    }
  }

  @Test func rendersExactly() {
    let error = YAMLError(
      file: "etc/netplan/a.yaml", line: 2, column: 3, message: "bad", sourceLine: "  x: y",
      notes: ["context"])
    #expect(error.description == "etc/netplan/a.yaml:2:3: error: bad\n  x: y\n  ^\nnote: context")
  }

  @Test func utf16IsRefused() {
    #expect(throws: YAMLError.self) { try YAMLFile(bytes: [0xFF, 0xFE, 0x61, 0x00]) }
  }
}
