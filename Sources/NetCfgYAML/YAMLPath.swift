/// A path to a node: mapping keys and sequence indexes, written `ethernets.eth0.addresses[0]`.
/// Keys holding dots or brackets are quoted: `vlans."eth0.100".id`.
public struct YAMLPath: Sendable, Hashable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case index(Int)
  }

  public var components: [Component]

  public init(_ components: [Component]) { self.components = components }
  public init(keys: String...) { components = keys.map { .key($0) } }

  public var isEmpty: Bool { components.isEmpty }
  public var parent: YAMLPath { YAMLPath(Array(components.dropLast())) }
  public var last: Component? { components.last }

  public func appending(_ component: Component) -> YAMLPath {
    YAMLPath(components + [component])
  }

  /// Parses the dotted form. Throws a message for malformed paths.
  public static func parse(_ text: String) throws(YAMLPathError) -> YAMLPath {
    var components: [Component] = []
    var chars = Array(text)[...]
    var expectKey = true
    while let ch = chars.first {
      if ch == "[" {
        guard let close = chars.firstIndex(of: "]"), let n = Int(String(chars[chars.startIndex + 1..<close])), n >= 0
        else { throw YAMLPathError(path: text, message: "an index must be [N] with N ≥ 0") }
        components.append(.index(n))
        chars = chars[(close + 1)...]
        expectKey = false
        continue
      }
      if ch == "." {
        guard !components.isEmpty, !expectKey else {
          throw YAMLPathError(path: text, message: "empty key")
        }
        chars = chars.dropFirst()
        expectKey = true
        continue
      }
      guard expectKey else { throw YAMLPathError(path: text, message: "expected '.' or '['") }
      if ch == "\"" {
        guard let close = chars.dropFirst().firstIndex(of: "\"") else {
          throw YAMLPathError(path: text, message: "unterminated quoted key")
        }
        components.append(.key(String(chars[chars.startIndex + 1..<close])))
        chars = chars[(close + 1)...]
      } else {
        let end = chars.firstIndex { $0 == "." || $0 == "[" } ?? chars.endIndex
        components.append(.key(String(chars[chars.startIndex..<end])))
        chars = chars[end...]
      }
      expectKey = false
    }
    if expectKey { throw YAMLPathError(path: text, message: "empty key") }
    return YAMLPath(components)
  }

  public var description: String {
    var out = ""
    for component in components {
      switch component {
      case .index(let n): out += "[\(n)]"
      case .key(let key):
        if !out.isEmpty { out += "." }
        out += key.contains(where: { $0 == "." || $0 == "[" || $0 == "\"" }) ? "\"\(key)\"" : key
      }
    }
    return out
  }
}

/// A malformed path.
public struct YAMLPathError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "invalid path '\(path)': \(message)" }
}
