import NetCfgYAML

/// One file's say on a key: where, what, and whether it is what netplan uses.
public struct Explanation: Sendable {
  public enum Status: Sendable, Hashable {
    /// The value netplan uses.
    case inForce
    /// Merged with the other files' values (mappings are merged, lists appended).
    case merged
    /// A later file sets the key again.
    case overridden(by: SourceLocation)
    /// A file of the same name in a directory of higher precedence replaces this file whole.
    case fileShadowed(by: String)
  }

  public var location: SourceLocation
  public var value: YAMLValue
  public var status: Status
}

/// Who sets what: every file and line that contributes to a key, shadowed ones included.
public enum NetplanExplainer {
  public static func explain(_ path: YAMLPath, in config: NetplanConfiguration) -> [Explanation] {
    // Files in netplan order, each shadowed file just before the one that replaces it.
    var ordered: [(NetplanSourceFile, String?)] = []
    for file in config.hierarchy.files {
      for shadowed in config.hierarchy.shadowed where shadowed.shadowedBy == file.path {
        ordered.append((shadowed, file.path))
      }
      ordered.append((file, nil))
    }
    var found: [Explanation] = []
    for (source, shadowedBy) in ordered {
      guard let file = config.parsed[source.path], file.documents.count == 1, let root = file.root,
        let node = root.node(at: path)
      else { continue }
      let anchorNode = root.entry(at: path)?.key ?? node
      let location = SourceLocation(file: source.path, line: anchorNode.start.line, column: anchorNode.start.column)
      let value = (try? YAMLValue(node)) ?? .null
      let status: Explanation.Status = shadowedBy.map { .fileShadowed(by: $0) } ?? .inForce
      found.append(Explanation(location: location, value: value, status: status))
    }
    // Among the files in force: a scalar is decided by the last one; collections merge.
    let live = found.indices.filter { found[$0].status == .inForce }
    let isCollection: (YAMLValue) -> Bool = { if case .scalar = $0 { return false } else { return true } }
    for (n, i) in live.enumerated() where n + 1 < live.count {
      let next = found[live[n + 1]]
      if isCollection(found[i].value) && isCollection(next.value) {
        found[i].status = .merged
      } else {
        found[i].status = .overridden(by: next.location)
      }
    }
    if let last = live.last, live.count > 1, isCollection(found[last].value),
      live.dropLast().allSatisfy({ found[$0].status == .merged })
    {
      found[last].status = .merged
    }
    return found
  }
}
