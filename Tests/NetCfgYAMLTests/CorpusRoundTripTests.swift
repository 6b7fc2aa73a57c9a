import Testing
@testable import NetCfgYAML

/// Every corpus file libyaml accepts loads, its node ranges point at the right bytes, and an
/// empty or no-op edit gives back the original bytes.
@Suite struct CorpusRoundTripTests {
  @Test func corpusIsThere() {
    #expect(Corpus.files.count > 800, "corpus not found at \(Corpus.directory.path)")
  }

  @Test(arguments: Corpus.files)
  func loadsAndRoundTrips(_ name: String) throws {
    let bytes = try Corpus.bytes(name)
    let file: YAMLFile
    do {
      file = try YAMLFile(name: name, bytes: bytes)
    } catch {
      // Rejected by libyaml: the error must be located inside the file.
      #expect(error.line >= 1 && error.line <= lineCount(bytes), "\(error)")
      #expect(error.column >= 1)
      return
    }
    for document in file.documents {
      if let root = document.root { try checkRanges(root, in: file) }
    }
    guard file.documents.count <= 1, file.source.unsupportedLineBreak == nil else { return }
    do {
      _ = try file.meaning()
    } catch {
      // Valid syntax without a meaning (an alias to no anchor): located, and never edited.
      #expect(error.line >= 1 && error.column >= 1, "\(error)")
      #expect(throws: YAMLError.self) { try file.edited([]) }
      return
    }
    #expect(try file.edited([]).source.bytes == bytes)
    // Setting leaves to the values they already have changes nothing.
    guard let root = file.root, !root.containsAnchorOrAlias else { return }
    let leaves = Array(leafPaths(root, YAMLPath([])).prefix(20))
    let value = try file.meaning()
    let edits = leaves.compactMap { path in value.value(at: path).map { YAMLEdit.set(path, $0) } }
    #expect(try file.edited(edits).source.bytes == bytes)
  }

  private func lineCount(_ bytes: [UInt8]) -> Int { bytes.filter { $0 == 0x0A }.count + 1 }

  /// Scalars cover their own text, quoted ones their quotes, flow collections their brackets.
  private func checkRanges(_ node: YAMLNode, in file: YAMLFile) throws {
    let bytes = file.source.bytes
    let text = String(decoding: bytes[node.start.offset..<node.endOffset], as: UTF8.self)
    #expect(node.start.offset <= node.contentEnd && node.contentEnd <= max(node.endOffset, node.contentEnd))
    let bare = node.anchor == nil && node.tag == nil
    switch node.content {
    case .scalar(let value, let style) where bare:
      switch style {
      case .plain where !text.utf8.contains(0x0A):
        #expect(text == value, "plain scalar at \(node.start.line):\(node.start.column)")
      case .singleQuoted: #expect(text.hasPrefix("'") && text.hasSuffix("'"))
      case .doubleQuoted: #expect(text.hasPrefix("\"") && text.hasSuffix("\""))
      case .literal: #expect(text.hasPrefix("|"))
      case .folded: #expect(text.hasPrefix(">"))
      default: break
      }
    case .mapping(let entries, let style):
      if style == .flow, bare { #expect(text.hasPrefix("{") && text.hasSuffix("}")) }
      for entry in entries {
        try checkRanges(entry.key, in: file)
        try checkRanges(entry.value, in: file)
      }
    case .sequence(let items, let style):
      if style == .flow, bare { #expect(text.hasPrefix("[") && text.hasSuffix("]")) }
      for item in items { try checkRanges(item, in: file) }
    default:
      break
    }
  }
}

/// Paths of every scalar below `node`.
func leafPaths(_ node: YAMLNode, _ path: YAMLPath) -> [YAMLPath] {
  switch node.content {
  case .scalar: return [path]
  case .alias: return []
  case .mapping(let entries, _):
    return entries.flatMap { entry in
      entry.keyText.map { leafPaths(entry.value, path.appending(.key($0))) } ?? []
    }
  case .sequence(let items, _):
    return items.enumerated().flatMap { leafPaths($1, path.appending(.index($0))) }
  }
}
