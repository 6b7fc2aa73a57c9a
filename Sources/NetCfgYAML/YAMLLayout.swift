/// The indentation habits of a file, learned from its own nodes so that inserted lines look
/// like their neighbours: 2 or 4 spaces, lists indented under their key or not, `- x` or `-   x`.
public struct YAMLLayout: Sendable, Hashable {
  /// Keys of a nested mapping sit this many columns right of their parent key.
  public var indentStep = 2
  /// A block list under a key has its `-` this many columns right of the key (0: unindented).
  public var sequenceIndent = 2
  /// Spaces between `-` and a scalar item.
  public var dashGap = 1
  /// Spaces between `-` and the first key of a mapping item (cloud-init writes `-   to: x`).
  public var mappingDashGap = 1

  public init(indentStep: Int = 2, sequenceIndent: Int = 2, dashGap: Int = 1, mappingDashGap: Int = 1) {
    self.indentStep = indentStep
    self.sequenceIndent = sequenceIndent
    self.dashGap = dashGap
    self.mappingDashGap = mappingDashGap
  }

  /// The gap after `-` for an item holding `value`.
  public func gap(for value: YAMLValue) -> Int {
    if case .mapping(let pairs) = value, !pairs.isEmpty { return mappingDashGap }
    return dashGap
  }

  /// The habits nearest to byte `offset`: each measure is taken from the observation closest
  /// to the edit, so a file with mixed indentation gets the local style.
  public static func learn(from file: YAMLFile, near offset: Int) -> YAMLLayout {
    nearest(observations(of: file), to: offset)
  }

  /// One measure seen in the file, at the byte offset of the node that shows it.
  struct Observation: Sendable {
    enum Measure: Sendable { case step, sequenceIndent, dashGap, mappingDashGap }
    var measure: Measure
    var offset: Int
    var value: Int
  }

  /// Every measure the file shows, in document order.
  static func observations(of file: YAMLFile) -> [Observation] {
    var observer = Observer(source: file.source)
    if let root = file.root { observer.visit(root) }
    return observer.seen.map(\.observation)
  }

  /// Of the measures outside `window`, those that can be the nearest to a point inside it
  /// (`nearest` picks the same from them as from all): per measure the last before the window
  /// and the first after it, and every one made at `key` (inside the window, but made by the
  /// mapping around it). In document order; a few instead of one per node of a large file.
  static func observations(of file: YAMLFile, around window: Range<Int>, key: Int) -> (before: [Observation], after: [Observation]) {
    var observer = Observer(source: file.source)
    observer.around = (window, key)
    if let root = file.root { observer.visit(root) }
    let before = (observer.seen + observer.lastBefore.values).sorted { $0.order < $1.order }
    return (before.map(\.observation), observer.firstAfter.values.sorted { $0.order < $1.order }.map(\.observation))
  }

  /// The layout from the observations closest to `target` (the first one on a tie).
  static func nearest(_ observations: some Sequence<Observation>, to target: Int) -> YAMLLayout {
    var best: [Observation.Measure: (distance: Int, value: Int)] = [:]
    for o in observations {
      let distance = abs(o.offset - target)
      if let current = best[o.measure], current.distance <= distance { continue }
      best[o.measure] = (distance, o.value)
    }
    var layout = YAMLLayout()
    if let step = best[.step]?.value { layout.indentStep = step }
    // A file without block lists gets lists indented like its mappings.
    layout.sequenceIndent = best[.sequenceIndent]?.value ?? layout.indentStep
    if let gap = best[.dashGap]?.value { layout.dashGap = gap }
    if let gap = best[.mappingDashGap]?.value { layout.mappingDashGap = gap }
    return layout
  }

  private struct Observer {
    struct Noted {
      var observation: Observation
      /// Place in the order noted.
      var order: Int
    }

    let source: SourceText
    var seen: [Noted] = []
    /// Set: only what can be nearest to a point in `window` is kept (see `observations(of:around:key:)`).
    var around: (window: Range<Int>, key: Int)?
    var lastBefore: [Observation.Measure: Noted] = [:]
    var firstAfter: [Observation.Measure: Noted] = [:]
    var count = 0

    init(source: SourceText) { self.source = source }

    mutating func note(_ measure: Observation.Measure, at offset: Int, _ value: Int) {
      let noted = Noted(observation: Observation(measure: measure, offset: offset, value: value), order: count)
      count += 1
      guard let (window, key) = around else { return seen.append(noted) }
      if offset == key {
        seen.append(noted)
      } else if offset < window.lowerBound {
        // The nearest is the latest; on a tie the first noted.
        if offset > lastBefore[measure]?.observation.offset ?? -1 { lastBefore[measure] = noted }
      } else if offset >= window.upperBound {
        if offset < firstAfter[measure]?.observation.offset ?? Int.max { firstAfter[measure] = noted }
      }
    }

    mutating func visit(_ node: YAMLNode) {
      switch node.content {
      case .mapping(let entries, .block):
        for entry in entries {
          let keyColumn = entry.key.start.column
          let value = entry.value
          if case .mapping(let children, .block) = value.content, let first = children.first,
            first.key.start.column > keyColumn
          {
            note(.step, at: value.start.offset, first.key.start.column - keyColumn)
          }
          if case .sequence(_, .block) = value.content, value.start.line > entry.key.start.line {
            note(.sequenceIndent, at: value.start.offset, value.start.column - keyColumn)
          }
          visit(value)
        }
      case .mapping(let entries, .flow):
        for entry in entries { visit(entry.value) }
      case .sequence(let items, let style):
        for item in items {
          if style == .block, let dash = source.dashOffset(before: item),
            !item.isEmptyPlainScalar
          {
            let gap = item.start.offset - dash - 1
            if case .mapping(_, .block) = item.content {
              note(.mappingDashGap, at: item.start.offset, gap)
            } else {
              note(.dashGap, at: item.start.offset, gap)
            }
          }
          visit(item)
        }
      default:
        break
      }
    }
  }
}

extension SourceText {
  /// The offset of the `-` that introduces block sequence item `item` on the same line, if
  /// only spaces stand between them.
  func dashOffset(before item: YAMLNode) -> Int? {
    var i = item.start.offset - 1
    let lineStart = lineStart(of: item.start.offset)
    while i >= lineStart, bytes[i] == 0x20 { i -= 1 }
    return i >= lineStart && bytes[i] == UInt8(ascii: "-") ? i : nil
  }
}
