/// One change to a YAML document, by path. Applied to a `YAMLFile` with `edited(_:)`, which
/// turns it into minimal text patches and proves the result.
public enum YAMLEdit: Sendable, Hashable, CustomStringConvertible {
  /// Sets the value at the path, creating missing parents. Collections are changed minimally:
  /// entries and items that stay keep their lines and comments.
  case set(YAMLPath, YAMLValue)
  /// Removes a mapping key (every occurrence of a repeated key) or a sequence item.
  case remove(YAMLPath)
  /// Appends an item to the sequence at the path (created when missing).
  case append(YAMLPath, YAMLValue)
  /// Removes every item equal to the value from the sequence at the path.
  case removeValue(YAMLPath, YAMLValue)
  /// Inserts an item at an index of the sequence at the path.
  case insert(YAMLPath, index: Int, YAMLValue)

  public var path: YAMLPath {
    switch self {
    case .set(let p, _), .remove(let p), .append(let p, _), .removeValue(let p, _),
      .insert(let p, _, _):
      return p
    }
  }

  public var description: String {
    switch self {
    case .set(let p, let v): return "\(p)=\(v)"
    case .remove(let p): return "unset \(p)"
    case .append(let p, let v): return "\(p)+=\(v)"
    case .removeValue(let p, let v): return "\(p)-=\(v)"
    case .insert(let p, let i, let v): return "\(p)[\(i)]<=\(v)"
    }
  }

  /// Parses `PATH=VALUE`, `PATH+=VALUE` (append) or `PATH-=VALUE` (remove from a list);
  /// VALUE is YAML flow syntax (`[a, b]`, `{k: v}`, `"text"`, `true`).
  public static func parseAssignment(_ text: String) throws(YAMLError) -> YAMLEdit {
    guard let eq = text.firstIndex(of: "=") else {
      throw YAMLError(file: "<edit>", line: 0, column: 0, message: "expected KEY=VALUE, got '\(text)'")
    }
    var pathText = String(text[..<eq])
    let valueText = String(text[text.index(after: eq)...])
    var op: Character = "="
    if let last = pathText.last, last == "+" || last == "-" {
      op = last
      pathText.removeLast()
    }
    let path: YAMLPath
    do { path = try YAMLPath.parse(pathText) } catch {
      throw YAMLError(file: "<edit>", line: 0, column: 0, message: error.description)
    }
    let value = try YAMLValue.parse(valueText)
    switch op {
    case "+": return .append(path, value)
    case "-": return .removeValue(path, value)
    default: return .set(path, value)
    }
  }
}

extension YAMLValue {
  /// The value after `edit`: the meaning every text edit must reproduce.
  public func applying(_ edit: YAMLEdit) throws(YAMLError) -> YAMLValue {
    switch edit {
    case .remove(let path), .removeValue(let path, _):
      if value(at: path) == nil { return self }
    default: break
    }
    return try updating(edit.path.components[...]) { current throws(YAMLError) in
      switch edit {
      case .set(_, let value): return value
      case .remove: return nil
      case .append(let path, let value):
        guard let current, !current.isNull else { return .sequence([value]) }
        guard case .sequence(let items) = current else { throw notASequence(path) }
        return .sequence(items + [value])
      case .removeValue(let path, let value):
        guard let current else { return nil }
        guard case .sequence(let items) = current else { throw notASequence(path) }
        return .sequence(items.filter { !$0.isEquivalent(to: value) })
      case .insert(let path, let index, let value):
        guard case .sequence(var items)? = current, index <= items.count else {
          throw YAMLError(file: "<edit>", line: 0, column: 0, message: "\(path) has no index \(index)")
        }
        items.insert(value, at: index)
        return .sequence(items)
      }
    } ?? .null
  }

  /// Rebuilds the value with the node at `path` replaced by `transform(old)` (nil removes it);
  /// missing mappings on the way are created, as the text edits create them.
  private func updating(
    _ path: ArraySlice<YAMLPath.Component>,
    _ transform: (YAMLValue?) throws(YAMLError) -> YAMLValue?
  ) throws(YAMLError) -> YAMLValue? {
    guard let component = path.first else { return try transform(self) }
    let rest = path.dropFirst()
    switch (component, self) {
    case (.key(let key), .mapping(var pairs)):
      let child = pairs.last { $0.key == key }?.value
      let updated = try (child ?? .null).updating(rest, transform)
      if let updated {
        if let i = pairs.lastIndex(where: { $0.key == key }) {
          pairs[i].value = updated
        } else {
          pairs.append(YAMLPair(key, updated))
        }
      } else {
        pairs.removeAll { $0.key == key }
      }
      return .mapping(pairs)
    case (.key, _) where isNull:
      return try YAMLValue.mapping([]).updating(path, transform)
    case (.index(let i), .sequence(var items)) where i < items.count:
      if let updated = try items[i].updating(rest, transform) { items[i] = updated } else {
        items.remove(at: i)
      }
      return .sequence(items)
    case (.index(let i), .sequence(var items)) where i == items.count:
      guard let updated = try YAMLValue.null.updating(rest, transform) else { return self }
      items.append(updated)
      return .sequence(items)
    default:
      throw YAMLError(
        file: "<edit>", line: 0, column: 0,
        message: {
          switch component {
          case .index(let i): return "there is no item \(i) in this \(kindName) (it has \(itemCount))"
          case .key(let key): return "'\(key)' cannot be set inside a \(kindName)"
          }
        }())
    }
  }

  /// The value at `path`, or nil when the path leads nowhere.
  public func value(at path: YAMLPath) -> YAMLValue? {
    var current = self
    for component in path.components {
      switch (component, current) {
      case (.key(let key), .mapping):
        guard let next = current[key] else { return nil }
        current = next
      case (.index(let i), .sequence(let items)) where i < items.count:
        current = items[i]
      default:
        return nil
      }
    }
    return current
  }

  var kindName: String {
    switch self {
    case .scalar: return isNull ? "null" : "scalar"
    case .mapping: return "mapping"
    case .sequence: return "list"
    }
  }

  var itemCount: Int {
    switch self {
    case .scalar: return 0
    case .mapping(let pairs): return pairs.count
    case .sequence(let items): return items.count
    }
  }
}

private func notASequence(_ path: YAMLPath) -> YAMLError {
  YAMLError(file: "<edit>", line: 0, column: 0, message: "\(path) is not a list")
}
