#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls

/// Every node of one parse in contiguous storage (an arena): a fixed-size record per node,
/// addressed by index, instead of one object per node. A 10,000-device file has about
/// 220,000 nodes; as objects with an array per collection they took about 109 bytes each,
/// as records about 60 (the record, a child slot, the scalar's text).
///
/// Records are appended when a node is finished, so children come before their collection
/// (post-order) and a collection's children are one run of `slots`: a mapping's as key,
/// value, key, value. Immutable once built: `YAMLNode` handles read it from any thread.
struct YAMLTree: Sendable {
  struct Record: Sendable, Equatable {
    var start: YAMLMark
    /// Where libyaml's end mark is (its line and column are never asked for: a byte offset
    /// takes a third of the room).
    var endOffset: Int32
    var contentEnd: Int32
    /// Scalars read in the source (`inSource`): the byte offset of their text there; other
    /// scalars and aliases: the index of their text in `texts`; collections: the first of
    /// their children in `slots`.
    var payload: Int32
    /// Collections: how many slots their children take (twice the entries for a mapping);
    /// scalars read in the source: the length of their text in bytes.
    var count: Int32
    var kind: Kind
    /// `ScalarStyle` or `CollectionStyle`, by kind.
    var style: UInt8
    var hasProperties: Bool
    /// A scalar whose text is written as it is in the source (no escapes, no folding):
    /// read there, not kept as a string of its own.
    var inSource: Bool
  }

  enum Kind: UInt8, Sendable { case scalar, alias, mapping, sequence }

  /// Anchor and tag, rare in netplan files: kept aside for the records that have them.
  struct Properties: Sendable {
    var anchor: String?
    var tag: String?
  }

  /// The bytes parsed (shared with the file's `SourceText`, not copied).
  var source: [UInt8]
  // Set by the parser's appends and by a splice (`replace`, EditWindow+Splice.swift) alone.
  var records: [Record] = []
  var slots: [Int32] = []
  /// Scalar text, alias names.
  var texts: [String] = []
  var properties: [Int32: Properties] = [:]
  /// Tells trees apart (`YAMLNode.isSame(as:)`): a copy of the tree is the same tree, a
  /// spliced one another.
  var identity = Identity()

  final class Identity: Sendable {}

  init(source: [UInt8]) { self.source = source }

  /// The text of a scalar or alias.
  func text(_ record: Record) -> String {
    guard record.inSource else { return texts[Int(record.payload)] }
    return source.withUnsafeBufferPointer {
      String(decoding: UnsafeBufferPointer(rebasing: $0[Int(record.payload)..<Int(record.payload) + Int(record.count)]), as: UTF8.self)
    }
  }

  /// True when the text of a scalar or alias is `text`, compared without making a string.
  func text(_ record: Record, equals text: String) -> Bool {
    guard record.inSource else { return texts[Int(record.payload)] == text }
    guard text.utf8.count == Int(record.count) else { return false }
    return source.withUnsafeBufferPointer { source in
      let bytes = UnsafeBufferPointer(rebasing: source[Int(record.payload)..<Int(record.payload) + Int(record.count)])
      // A native string's bytes are contiguous: compared in place, not by a generic element walk.
      return text.utf8.withContiguousStorageIfAvailable { utf8 in
        utf8.isEmpty || Bytes.equal(utf8.baseAddress!, bytes.baseAddress!, count: utf8.count)
      } ?? text.utf8.elementsEqual(bytes)
    }
  }

  /// True when two scalars or aliases have the same text.
  func text(_ a: Record, equalsTextOf b: Record) -> Bool {
    if a.inSource && b.inSource {
      guard a.count == b.count else { return false }
      return source.withUnsafeBufferPointer { source in
        Int(a.count) == 0 || Bytes.equal(source.baseAddress! + Int(a.payload), source.baseAddress! + Int(b.payload), count: Int(a.count))
      }
    }
    return text(a) == text(b)
  }

  mutating func reserve(nodes: Int) {
    records.reserveCapacity(nodes)
    slots.reserveCapacity(nodes)
    // Megabytes for a large file, written in one go: huge pages where the system gives them.
    let (recordRoom, slotRoom) = (records.capacity * MemoryLayout<Record>.stride, slots.capacity * MemoryLayout<Int32>.stride)
    records.withUnsafeMutableBytes { if let base = $0.baseAddress { netcfg_advise_huge_pages(base, recordRoom) } }
    slots.withUnsafeMutableBytes { if let base = $0.baseAddress { netcfg_advise_huge_pages(base, slotRoom) } }
  }

  mutating func appendScalar(
    _ text: String, _ style: ScalarStyle, start: YAMLMark, end: Int, contentEnd: Int, anchor: String?, tag: String?
  ) -> Int32 {
    texts.append(text)
    return append(.scalar, style: style.code, start: start, end: end, contentEnd: contentEnd,
      payload: texts.count - 1, count: 0, anchor: anchor, tag: tag)
  }

  /// A scalar whose text is the `length` bytes at `value`: read in the source when they are
  /// there as written (ending where the scalar ends, or one byte before: a closing quote),
  /// else kept as a string.
  mutating func appendScalar(
    _ value: UnsafePointer<UInt8>?, length: Int, _ style: ScalarStyle, start: YAMLMark, end: Int, contentEnd: Int,
    anchor: String?, tag: String?
  ) -> Int32 {
    if let at = sourceOffset(of: value, length: length, endingBy: end, notBefore: start.offset) {
      return append(.scalar, style: style.code, start: start, end: end, contentEnd: contentEnd, payload: at,
        count: length, anchor: anchor, tag: tag, inSource: true)
    }
    let text = value.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    return appendScalar(text, style, start: start, end: end, contentEnd: contentEnd, anchor: anchor, tag: tag)
  }

  /// Where in the source the `length` bytes at `value` are, ending at `end` or one byte
  /// before it, and starting no earlier than `start`; nil when they are not there.
  private func sourceOffset(of value: UnsafePointer<UInt8>?, length: Int, endingBy end: Int, notBefore start: Int) -> Int? {
    guard length < Int(Int32.max) else { return nil }
    return source.withUnsafeBufferPointer { source -> Int? in
      guard let base = source.baseAddress else { return nil }
      var at = end - length
      while at >= max(start, end - length - 1) {
        if at + length <= source.count {
          if length == 0 { return at }
          if let value, memcmp(base + at, value, length) == 0 { return at }
        }
        at -= 1
      }
      return nil
    }
  }

  mutating func appendAlias(_ name: String, start: YAMLMark, end: Int, contentEnd: Int) -> Int32 {
    texts.append(name)
    return append(.alias, style: 0, start: start, end: end, contentEnd: contentEnd,
      payload: texts.count - 1, count: 0, anchor: nil, tag: nil)
  }

  /// A collection over `children`, nodes already in this tree (a mapping's as key, value, ...).
  mutating func appendCollection<C: Collection<Int32>>(
    mapping: Bool, _ style: CollectionStyle, children: C, start: YAMLMark, end: Int, contentEnd: Int,
    anchor: String?, tag: String?
  ) -> Int32 {
    let first = slots.count
    slots.append(contentsOf: children)
    return append(mapping ? .mapping : .sequence, style: style.code, start: start, end: end,
      contentEnd: contentEnd, payload: first, count: slots.count - first, anchor: anchor, tag: tag)
  }

  private mutating func append(
    _ kind: Kind, style: UInt8, start: YAMLMark, end: Int, contentEnd: Int, payload: Int, count: Int,
    anchor: String?, tag: String?, inSource: Bool = false
  ) -> Int32 {
    let index = Int32(records.count)
    let hasProperties = anchor != nil || tag != nil
    if hasProperties { properties[index] = Properties(anchor: anchor, tag: tag) }
    records.append(
      Record(start: start, endOffset: Int32(clamping: end), contentEnd: Int32(clamping: contentEnd), payload: Int32(payload),
        count: Int32(count), kind: kind, style: style, hasProperties: hasProperties, inSource: inSource))
    return index
  }
}

extension YAMLTree {
  /// The first record of the subtree `index` ends (post-order: the subtree is one run).
  func firstRecord(of index: Int) -> Int {
    var index = index
    while records[index].kind == .mapping || records[index].kind == .sequence, records[index].count > 0 {
      index = Int(slots[Int(records[index].payload)])
    }
    return index
  }

  /// True for an implicit null: a key with nothing after its colon.
  func isEmptyPlainScalar(_ record: Record) -> Bool {
    record.kind == .scalar && record.style == ScalarStyle.plain.code && !record.hasProperties
      && record.start.offset == Int(record.endOffset) && (record.inSource ? record.count == 0 : text(record).isEmpty)
  }
}

/// One reader's hold on a tree. Every `YAMLFile.root` makes a new one, shared by the handles
/// made from that root: two threads walking the same file (the grammar checks beside the
/// merge) then never touch the same reference count, which would cost a contended atomic
/// operation per handle copied.
final class YAMLTreeAccess: Sendable {
  let tree: YAMLTree

  init(_ tree: YAMLTree) { self.tree = tree }
}

extension ScalarStyle {
  var code: UInt8 {
    switch self {
    case .plain: 0
    case .singleQuoted: 1
    case .doubleQuoted: 2
    case .literal: 3
    case .folded: 4
    }
  }

  init(code: UInt8) {
    switch code {
    case 1: self = .singleQuoted
    case 2: self = .doubleQuoted
    case 3: self = .literal
    case 4: self = .folded
    default: self = .plain
    }
  }
}

extension CollectionStyle {
  var code: UInt8 { self == .flow ? 1 : 0 }
  init(code: UInt8) { self = code == 1 ? .flow : .block }
}

/// Byte comparison for the short texts of keys and scalars: inline, eight bytes a load (a call
/// to memcmp per key compared cost more than the comparison).
public enum Bytes {
  @inlinable @inline(__always)
  public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
      if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
        return false
      }
      i += 8
    }
    while i < count {
      if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
      i += 1
    }
    return true
  }
}

/// A thread's own holds on the trees it reads (see `YAMLTreeAccess`): the nodes it makes its
/// own share no reference count with other threads' nodes. For one thread: make one per
/// thread (or per batch of work) and pass it along.
public struct YAMLReader {
  /// By the hold the node came with: that hold (kept, so its identity is not reused) and
  /// this reader's own on the same tree.
  private var holds: [ObjectIdentifier: (given: YAMLTreeAccess, own: YAMLTreeAccess)] = [:]

  public init() {}

  /// The same node, read through this reader's own hold on its tree.
  public mutating func own(_ node: YAMLNode) -> YAMLNode {
    let id = ObjectIdentifier(node.access)
    if let held = holds[id] { return YAMLNode(held.own, node.index) }
    let own = YAMLTreeAccess(node.access.tree)
    holds[id] = (node.access, own)
    return YAMLNode(own, node.index)
  }
}
