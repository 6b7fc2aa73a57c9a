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
  ///
  /// Found by walking the tree from the root towards the window (`NearestSearch`), not by
  /// reading every record: at 10,000 devices the full scan took 2-3 ms of a `set-ip`, all of
  /// it on the one thread the edit runs on.
  static func observations(of file: YAMLFile, around window: Range<Int>, key: Int) -> (before: [Observation], after: [Observation]) {
    guard let document = file.documents.first, let root = document.rootIndex.map(Int.init) else { return ([], []) }
    var search = NearestSearch(file: file, tree: document.tree, window: window, key: key)
    search.before(root)
    search.after(root)
    search.atKey(root)
    return ((search.lastBefore.compactMap { $0 } + search.atKeySeen).sorted { $0.offset < $1.offset },
      search.firstAfter.compactMap { $0 }.sorted { $0.offset < $1.offset })
  }

  /// The measure block collection `parent` notes for the child in slot `slot` (a mapping's
  /// value slot, a sequence's item slot), as `scan` notes it.
  static func observation(_ file: YAMLFile, _ tree: YAMLTree, parent: YAMLTree.Record, slot: Int) -> Observation? {
    let child = tree.records[Int(tree.slots[slot])]
    if parent.kind == .mapping {
      let key = tree.records[Int(tree.slots[slot - 1])]
      guard child.style == CollectionStyle.block.code else { return nil }
      if child.kind == .mapping, child.count > 0 {
        let first = tree.records[Int(tree.slots[Int(child.payload)])]
        if first.start.column > key.start.column {
          return Observation(measure: .step, offset: child.start.offset, value: first.start.column - key.start.column)
        }
      } else if child.kind == .sequence, child.start.line > key.start.line {
        return Observation(measure: .sequenceIndent, offset: child.start.offset, value: child.start.column - key.start.column)
      }
      return nil
    }
    guard let dash = file.source.dashOffset(before: child.start.offset), !tree.isEmptyPlainScalar(child) else { return nil }
    let measure: Observation.Measure =
      child.kind == .mapping && child.style == CollectionStyle.block.code ? .mappingDashGap : .dashGap
    return Observation(measure: measure, offset: child.start.offset, value: child.start.offset - dash - 1)
  }

  /// The walks of `observations(of:around:key:)`. Block collections only (a flow one holds
  /// none), never into a key (`scan` does not look inside complex keys). The children of a
  /// collection start in document order and their subtrees do not overlap, and a child's
  /// measure sits at its start, before all of its subtree's: so `before` meets the measures
  /// in decreasing offsets (each child's subtree, then its own, from the last child that
  /// starts before the window backwards) and `after` in increasing ones; each stops when it
  /// has all four measures, the rest of the file being farther.
  struct NearestSearch {
    let file: YAMLFile
    let tree: YAMLTree
    let window: Range<Int>
    let key: Int
    var lastBefore = [Observation?](repeating: nil, count: Observation.Measure.allCases.count)
    var firstAfter = [Observation?](repeating: nil, count: Observation.Measure.allCases.count)
    var atKeySeen: [Observation] = []
    var foundBefore = 0
    var foundAfter = 0

    /// The slots of `index`'s children that can hold measures (values, items), if it is a
    /// block collection.
    func childSlots(_ index: Int) -> StrideTo<Int>? {
      let record = tree.records[index]
      guard record.kind == .mapping || record.kind == .sequence, record.style == CollectionStyle.block.code else { return nil }
      let first = Int(record.payload), end = Int(record.payload + record.count)
      return record.kind == .mapping ? stride(from: first + 1, to: end, by: 2) : stride(from: first, to: end, by: 1)
    }

    func start(_ slot: Int) -> Int { tree.records[Int(tree.slots[slot])].start.offset }

    /// Keeps `o` if it is the first of its measure met (the nearest: the walks meet the
    /// measures in order of distance); true once every measure has one.
    static func keepFirst(_ o: Observation, _ kept: inout [Observation?], _ found: inout Int) -> Bool {
      if kept[o.measure.rawValue] == nil {
        kept[o.measure.rawValue] = o
        found += 1
      }
      return found == kept.count
    }

    mutating func before(_ index: Int) {
      guard let slots = childSlots(index) else { return }
      let parent = tree.records[index]
      for slot in slots.reversed() where start(slot) < window.lowerBound {
        before(Int(tree.slots[slot]))
        if foundBefore == lastBefore.count { return }
        if let o = YAMLLayout.observation(file, tree, parent: parent, slot: slot), o.offset != key,
          Self.keepFirst(o, &lastBefore, &foundBefore)
        { return }
      }
    }

    mutating func after(_ index: Int) {
      guard let slots = childSlots(index) else { return }
      let parent = tree.records[index]
      // Only the last child that starts before the window can reach past its end.
      var reaching: Int?
      for slot in slots {
        if start(slot) < window.upperBound {
          reaching = slot
          continue
        }
        if let slot = reaching {
          reaching = nil
          after(Int(tree.slots[slot]))
          if foundAfter == firstAfter.count { return }
        }
        if let o = YAMLLayout.observation(file, tree, parent: parent, slot: slot), o.offset != key,
          Self.keepFirst(o, &firstAfter, &foundAfter)
        { return }
        after(Int(tree.slots[slot]))
        if foundAfter == firstAfter.count { return }
      }
      if let slot = reaching { after(Int(tree.slots[slot])) }
    }

    /// The measures made at `key`: by the collections whose child starts there, on the way
    /// down to it.
    mutating func atKey(_ index: Int) {
      guard let slots = childSlots(index) else { return }
      let parent = tree.records[index]
      var holding: Int?
      for slot in slots {
        let offset = start(slot)
        if offset > key { break }
        holding = slot
        if offset == key, let o = YAMLLayout.observation(file, tree, parent: parent, slot: slot) { atKeySeen.append(o) }
      }
      if let slot = holding { atKey(Int(tree.slots[slot])) }
    }
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
          if let o = observation(file, tree, parent: record, slot: slot + 1) { note(o) }
        }
      } else {
        for slot in children {
          if let o = observation(file, tree, parent: record, slot: slot) { note(o) }
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
