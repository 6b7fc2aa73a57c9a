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
  struct Observation: Sendable, Equatable {
    enum Measure: Int, Sendable, CaseIterable { case step, sequenceIndent, dashGap, mappingDashGap }
    var measure: Measure
    var offset: Int
    var value: Int
  }

  /// Every measure the file shows, in document order.
  static func observations(of file: YAMLFile) -> [Observation] {
    var seen: [Observation] = []
    scan(file) { seen.append($0) }
    return seen.sorted { $0.offset < $1.offset }
  }

  /// Of the measures outside `window`, those that can be the nearest to a point inside it
  /// (`nearest` picks the same from them as from all): per measure the last before the window
  /// and the first after it, and every one made at `key` (inside the window, but made by the
  /// mapping around it). In document order; a few instead of one per node of a large file.
  static func observations(of file: YAMLFile, around window: Range<Int>, key: Int) -> (before: [Observation], after: [Observation]) {
    var atKey: [Observation] = []
    // By measure (its raw value).
    var lastBefore = [Observation?](repeating: nil, count: Observation.Measure.allCases.count)
    var firstAfter = lastBefore
    scan(file) { o in
      let m = o.measure.rawValue
      if o.offset == key {
        atKey.append(o)
      } else if o.offset < window.lowerBound {
        if o.offset > lastBefore[m]?.offset ?? -1 { lastBefore[m] = o }
      } else if o.offset >= window.upperBound {
        if o.offset < firstAfter[m]?.offset ?? Int.max { firstAfter[m] = o }
      }
    }
    return ((lastBefore.compactMap { $0 } + atKey).sorted { $0.offset < $1.offset }, firstAfter.compactMap { $0 }.sorted { $0.offset < $1.offset })
  }

  /// Calls `note` with every measure the first document shows: reading its arena record by
  /// record, not walking its tree (a large file has hundreds of thousands of nodes, and an
  /// edit below one device needs only the nearest few). In no particular order; in document
  /// order, the offsets only grow (each is where a node starts, noted before its children,
  /// and no two nodes noting one measure start at one offset).
  ///
  /// What is noted: a block mapping entry whose value is a block mapping indented deeper
  /// (`step`, the columns between the keys) or a block list on the lines below
  /// (`sequenceIndent`, from the key's column to the `-`); a block list item on the line of
  /// its `-` (the gap after it: `mappingDashGap` for a mapping, else `dashGap`). Not what
  /// lies inside a complex key (`? ...`): edits never write there.
  static func scan(_ file: YAMLFile, _ note: (Observation) -> Void) {
    guard let document = file.documents.first, let root = document.rootIndex.map(Int.init) else { return }
    let tree = document.tree
    let block = CollectionStyle.block.code
    // From the root down (the records are in post-order), so that a complex key's subtree
    // is known before its records are reached.
    var insideKeys: [ClosedRange<Int>] = []
    // The document's subtree (the arena may hold later documents too).
    for i in stride(from: root, through: tree.firstRecord(of: root), by: -1) {
      let record = tree.records[i]
      guard record.kind == .mapping || record.kind == .sequence, record.style == block,
        insideKeys.isEmpty || !insideKeys.contains(where: { $0.contains(i) })
      else { continue }
      let children = Int(record.payload)..<Int(record.payload + record.count)
      if record.kind == .mapping {
        for slot in stride(from: children.lowerBound, to: children.upperBound, by: 2) {
          let keyIndex = Int(tree.slots[slot])
          let key = tree.records[keyIndex]
          if key.kind == .mapping || key.kind == .sequence { insideKeys.append(tree.firstRecord(of: keyIndex)...keyIndex) }
          let value = tree.records[Int(tree.slots[slot + 1])]
          guard value.style == block else { continue }
          if value.kind == .mapping, value.count > 0 {
            let first = tree.records[Int(tree.slots[Int(value.payload)])]
            if first.start.column > key.start.column {
              note(Observation(measure: .step, offset: value.start.offset, value: first.start.column - key.start.column))
            }
          } else if value.kind == .sequence, value.start.line > key.start.line {
            note(Observation(measure: .sequenceIndent, offset: value.start.offset, value: value.start.column - key.start.column))
          }
        }
      } else {
        for slot in children {
          let item = tree.records[Int(tree.slots[slot])]
          guard let dash = file.source.dashOffset(before: item.start.offset), !tree.isEmptyPlainScalar(item) else { continue }
          let measure: Observation.Measure = item.kind == .mapping && item.style == block ? .mappingDashGap : .dashGap
          note(Observation(measure: measure, offset: item.start.offset, value: item.start.offset - dash - 1))
        }
      }
    }
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
}

extension SourceText {
  /// The offset of the `-` that introduces block sequence item `item` on the same line, if
  /// only spaces stand between them.
  func dashOffset(before item: YAMLNode) -> Int? { dashOffset(before: item.start.offset) }

  /// The same for the item that starts at `offset`.
  func dashOffset(before offset: Int) -> Int? {
    var i = offset - 1
    let lineStart = lineStart(of: offset)
    while i >= lineStart, bytes[i] == 0x20 { i -= 1 }
    return i >= lineStart && bytes[i] == UInt8(ascii: "-") ? i : nil
  }
}
