import Testing
@testable import NetCfgYAML

/// Document markers, BOM, CRLF, tags, anchors, several documents, block scalars, odd
/// indentation: each is either edited correctly or refused with a clear message.
@Suite struct DocumentFeatureTests {
  func edit(_ text: String, _ edits: [String]) throws -> String {
    let file = try YAMLFile(name: "t.yaml", text: text)
    return try file.edited(edits.map { try YAMLEdit.parseAssignment($0) }).source.text
  }

  func refusal(_ text: String, _ edits: [YAMLEdit]) -> YAMLError? {
    do {
      _ = try YAMLFile(name: "t.yaml", text: text).edited(edits)
      return nil
    } catch { return error }
  }

  @Test func documentMarkersStayAroundTheRoot() throws {
    let before = "---\nnetwork:\n  version: 2\n...\n"
    #expect(try edit(before, ["network.renderer=networkd"])
      == "---\nnetwork:\n  version: 2\n  renderer: networkd\n...\n")
  }

  @Test func byteOrderMarkIsKept() throws {
    let before = "\u{FEFF}network:\n  version: 2\n"
    #expect(try edit(before, ["network.version=3"]) == "\u{FEFF}network:\n  version: 3\n")
  }

  @Test func crlfFilesGetCRLFLines() throws {
    let before = "network:\r\n  version: 2\r\n"
    let after = try edit(before, ["network.ethernets.eth0.addresses=[192.0.2.5/24]"])
    #expect(after == "network:\r\n  version: 2\r\n  ethernets:\r\n    eth0:\r\n      addresses:\r\n        - 192.0.2.5/24\r\n")
  }

  @Test func taggedValuesAreReadButNotChanged() throws {
    let before = "network:\n  version: !!int 2\n"
    #expect(try edit(before, ["network.version=2"]) == before)
    #expect(refusal(before, [.set(YAMLPath(keys: "network", "version"), .int(3))])?.message
      .contains("explicit tag") == true)
    #expect(try edit(before, ["network.renderer=networkd"]) == before + "  renderer: networkd\n")
  }

  @Test func anchorsAndAliasesAreNotEditedThrough() throws {
    let before = "network:\n  version: 2\n  ethernets:\n    eth0: &base\n      dhcp4: true\n    eth1: *base\n"
    for path in ["network.ethernets.eth0.dhcp4", "network.ethernets.eth1.dhcp4"] {
      let error = refusal(before, [.set(try YAMLPath.parse(path), .bool(false))])
      #expect(error?.message.contains("anchor or alias") == true, "\(path)")
      #expect(error?.line == (path.contains("eth0") ? 4 : 6))
    }
    #expect(refusal(before, [.remove(try YAMLPath.parse("network.ethernets.eth1"))]) != nil)
    // Elsewhere in the same file, edits work and the alias still resolves.
    let after = try edit(before, ["network.version=3"])
    #expect(after == before.replacingOccurrences(of: "version: 2", with: "version: 3"))
  }

  @Test func severalDocumentsAreRefused() {
    let error = refusal("---\na: 1\n---\nb: 2\n", [.set(YAMLPath(keys: "a"), .int(2))])
    #expect(error?.message.contains("2 YAML documents") == true)
  }

  @Test func loneCarriageReturnsAreRefused() {
    let error = refusal("a: 1\rb: 2\n", [.set(YAMLPath(keys: "a"), .int(2))])
    #expect(error?.message.contains("carriage return") == true)
  }

  @Test func blockScalarBecomesQuotedWhenChanged() throws {
    let before = "eth0:\n  macaddress: >-\n    00:11:22:33:44:55\n  mtu: 1500\n"
    #expect(try edit(before, ["eth0.macaddress=\"00:11:22:33:44:66\""])
      == "eth0:\n  macaddress: \"00:11:22:33:44:66\"\n  mtu: 1500\n")
  }

  @Test func quotedKeysAreFoundAndKept() throws {
    let before = "\"network\":\n  'version': 2\n  \"ethernets\":\n    \"eth0\":\n      \"dhcp4\": true\n"
    #expect(try edit(before, ["network.ethernets.eth0.dhcp4=false"])
      == before.replacingOccurrences(of: "\"dhcp4\": true", with: "\"dhcp4\": false"))
  }

  @Test func oneSpaceIndentationIsFollowed() throws {
    let before = "network:\n version: 2\n ethernets:\n  eth0:\n   dhcp4: true\n"
    #expect(try edit(before, ["network.ethernets.eth1.dhcp4=true"])
      == before + "  eth1:\n   dhcp4: true\n")
  }

  @Test func emptyAndCommentOnlyFilesGetADocument() throws {
    #expect(try edit("", ["network.version=2"]) == "network:\n  version: 2\n")
    #expect(try edit("# managed by hand", ["network.version=2"])
      == "# managed by hand\nnetwork:\n  version: 2\n")
  }

  @Test func theProofRefusesAResultThatMeansSomethingElse() throws {
    let file = try YAMLFile(name: "t.yaml", text: "network:\n  version: 2\n")
    do {
      _ = try file.edited([.set(YAMLPath(keys: "network", "version"), .int(3))]) { bytes in
        Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "3", with: "4").utf8)
      }
      Issue.record("a wrong result was accepted")
    } catch {
      #expect(error.message.contains("could not prove its edit right, so nothing was written"))
      #expect(error.notes.contains { $0.contains("bug in netcfg") })
    }
    do {
      _ = try file.edited([.set(YAMLPath(keys: "network", "version"), .int(3))]) { _ in
        Array("network:\n\tversion: 3\n".utf8)
      }
      Issue.record("an unparsable result was accepted")
    } catch {
      #expect(error.message.contains("does not parse"))
    }
  }
}
