import Foundation
import Synchronization
import Testing
@testable import NetCfgCore

@Suite struct FileSystemTests {
  func scratch() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-fs-\(UUID())")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("etc/netplan"), withIntermediateDirectories: true)
    return dir.path
  }

  /// A path's directory and last name are what splitting it at every `/` gives (the way
  /// `parent` found them before it went byte by byte).
  @Test func directoryAndNameAreThoseOfASplit() {
    for path in [
      "/etc/netplan/50-cloud-init.yaml", "/etc//netplan///a.yaml", "/etc/netplan/", "//x", "/x", "x", "x/", "a/b",
      "a//b//", "/", "//", "", "./a", "../a/b", "/a/./b", "/é/ü.yaml", "/a/b/..", "/a b/c d",
    ] {
      var parts = path.split(separator: "/")
      let last = parts.popLast()
      let directory = parts.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
      let found = FileSystem.directoryAndName(path)
      #expect(found?.name == last.map(String.init), "\(path)")
      if last != nil { #expect(found?.directory == directory, "\(path)") }
    }
  }

  @Test func atomicWriteBelowRootKeepsModeAndLeavesNoTemp() throws {
    let root = try scratch()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let fs = FileSystem(root: root)
    #expect(try fs.read("/etc/netplan/a.yaml") == nil)
    try fs.writeAtomically("/etc/netplan/a.yaml", Array("x: 1\n".utf8), mode: 0o600)
    #expect(try fs.read("/etc/netplan/a.yaml") == Array("x: 1\n".utf8))
    #expect(fs.mode("/etc/netplan/a.yaml") == 0o600)
    try fs.writeAtomically("/etc/netplan/a.yaml", Array("x: 2\n".utf8), mode: 0o644)
    #expect(try fs.read("/etc/netplan/a.yaml") == Array("x: 2\n".utf8))
    #expect(fs.mode("/etc/netplan/a.yaml") == 0o644)
    let entries = try FileManager.default.contentsOfDirectory(atPath: root + "/etc/netplan")
    #expect(entries == ["a.yaml"])
  }

  /// A prepared write is on disk under a hidden temporary name and nothing else: `commit`
  /// puts it in place; `discard`, or dropping it uncommitted, removes it and leaves the target.
  @Test func preparedWriteIsInPlaceOnlyWhenCommitted() throws {
    let root = try scratch()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let fs = FileSystem(root: root)
    try fs.writeAtomically("/etc/netplan/a.yaml", Array("x: 1\n".utf8), mode: 0o600)
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: root + "/etc/netplan").sorted() }

    let kept = try fs.prepareAtomicWrite("/etc/netplan/a.yaml", Array("x: 2\n".utf8), mode: 0o640)
    #expect(try fs.read("/etc/netplan/a.yaml") == Array("x: 1\n".utf8))
    let names = try entries()
    #expect(names.count == 2 && names.contains("a.yaml"), "\(names)")
    let temp = try #require(names.first { $0 != "a.yaml" })
    #expect(temp.hasPrefix(".a.yaml.netcfg-") && FileSystem.temporaryFileOwner(temp) == getpid())
    #expect(try fs.read("/etc/netplan/" + temp) == Array("x: 2\n".utf8))
    try kept.commit()
    #expect(try fs.read("/etc/netplan/a.yaml") == Array("x: 2\n".utf8))
    #expect(fs.mode("/etc/netplan/a.yaml") == 0o640)
    #expect(try entries() == ["a.yaml"])

    try fs.prepareAtomicWrite("/etc/netplan/a.yaml", Array("x: 3\n".utf8)).discard()
    #expect(try entries() == ["a.yaml"])
    do {
      _ = try fs.prepareAtomicWrite("/etc/netplan/a.yaml", Array("x: 4\n".utf8))  // dropped at once
    }
    #expect(try entries() == ["a.yaml"])
    #expect(try fs.read("/etc/netplan/a.yaml") == Array("x: 2\n".utf8))
  }

  @Test func writeIntoMissingDirectoryFailsWithPath() throws {
    let root = try scratch()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(throws: FileSystemError.self) {
      try FileSystem(root: root).writeAtomically("/nope/a.yaml", [0x61])
    }
  }
}

/// Issue 18.4: containment under a root holds while the tree changes under netcfg.
@Suite struct FileSystemContainmentTests {
  /// A directory of the tree swapped, again and again, for a link that leads out of it (as a
  /// user who can write the tree could do while root runs netcfg on it): no write may land
  /// outside and no read may return what lies there. With paths resolved once and opened
  /// later, hundreds of writes escaped in a second, and reads returned the outside file.
  @Test func swappingADirectoryForALinkNeverLeadsOut() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-race-\(UUID())").path
    let root = base + "/root", outside = base + "/outside"
    try FileManager.default.createDirectory(atPath: root + "/etc/netplan", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: base) }
    try Array("secret: outside\n".utf8).write(to: outside + "/a.yaml")
    let stop = Atomic<Bool>(false)
    // Swapped atomically (renameat2 RENAME_EXCHANGE, not in Swift's Glibc module): every
    // moment it is the directory or the link, and it changes every few microseconds.
    symlink(outside, root + "/etc/netplan.link")
    typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    let exchange = unsafeBitCast(try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")), to: Renameat2.self)
    let swapper = Thread {
      while !stop.load(ordering: .relaxed) {
        _ = exchange(AT_FDCWD, root + "/etc/netplan", AT_FDCWD, root + "/etc/netplan.link", 2)  // RENAME_EXCHANGE
      }
    }
    swapper.start()
    defer { stop.store(true, ordering: .relaxed) }
    let fs = FileSystem(root: root)
    var readOutside = 0, wrote = 0
    let start = Date()
    while Date().timeIntervalSince(start) < 1.5 {
      if (try? fs.writeAtomically("/etc/netplan/a.yaml", Array("inside: true\n".utf8))) != nil { wrote += 1 }
      if let bytes = try? fs.read("/etc/netplan/a.yaml"), bytes == Array("secret: outside\n".utf8) { readOutside += 1 }
      try? fs.createDirectories("/etc/netplan/sub")
      fs.removeTree("/etc/netplan/sub")
    }
    stop.store(true, ordering: .relaxed)
    usleep(50_000)
    let names = try FileManager.default.contentsOfDirectory(atPath: outside)
    #expect(names == ["a.yaml"], "\(names.count - 1) files written outside the root")
    #expect(try Array(Data(contentsOf: URL(fileURLWithPath: outside + "/a.yaml"))) == Array("secret: outside\n".utf8))
    #expect(readOutside == 0)
    #expect(wrote > 0)
  }

  /// Links keep resolving inside the root as in a chroot: an absolute target starts at the
  /// root, `..` stops there.
  @Test func linksResolveInsideTheRoot() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-links-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let root = base + "/root"
    try FileManager.default.createDirectory(atPath: root + "/etc/netplan", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/srv", withIntermediateDirectories: true)
    try Array("x: 1\n".utf8).write(to: root + "/srv/real.yaml")
    try Array("x: host\n".utf8).write(to: base + "/real.yaml")
    symlink("/srv/real.yaml", root + "/etc/netplan/abs.yaml")
    symlink("../../../../../../srv/real.yaml", root + "/etc/netplan/dots.yaml")
    symlink("/proc/self/root" + base + "/real.yaml", root + "/etc/netplan/magic.yaml")
    let fs = FileSystem(root: root)
    #expect(try fs.read("/etc/netplan/abs.yaml") == Array("x: 1\n".utf8))
    #expect(try fs.read("/etc/netplan/dots.yaml") == Array("x: 1\n".utf8))
    #expect((try? fs.read("/etc/netplan/magic.yaml")) ?? nil == nil)
    #expect(fs.linkTarget("/etc/netplan/abs.yaml") == "/srv/real.yaml")
    #expect(fs.info("/etc/netplan/abs.yaml")?.isSymlink == true)
    #expect(try fs.list("/etc/netplan") == ["abs.yaml", "dots.yaml", "magic.yaml"])
  }
}

private extension Array where Element == UInt8 {
  func write(to path: String) throws { try Data(self).write(to: URL(fileURLWithPath: path)) }
}

/// Issue 18.13: file names that are not UTF-8 survive the round trip through netcfg's paths.
@Suite struct FileNameBytesTests {
  @Test func namesRoundTripByteForByte() {
    let names: [[UInt8]] = [
      Array("50-cloud-init.yaml".utf8), Array("caf".utf8) + [0xE9] + Array(".yaml".utf8), [0xFF, 0xFE, 0x41],
      Array("ok-é.yaml".utf8), Array("pua-\u{F7E9}.yaml".utf8),
    ]
    for name in names {
      let text = FileSystem.decode(name)
      #expect(FileSystem.encode(text).dropLast().map { UInt8(bitPattern: $0) } == name, "\(name)")
    }
    #expect(FileSystem.decode(Array("ok-é.yaml".utf8)) == "ok-é.yaml")
  }
}

/// `read` sizes its buffer from the file: a file larger than any first guess, a limit, and a
/// file whose size the kernel reports as 0 (/proc) all come back whole (or cut at the limit).
@Suite struct FileSystemReadTests {
  @Test func readsLargeProcAndLimitedFilesWhole() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-read-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bytes = (0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try Data(bytes).write(to: dir.appendingPathComponent("big"))
    try Data().write(to: dir.appendingPathComponent("empty"))
    let fs = FileSystem(root: dir.path)
    #expect(try fs.read("/big") == bytes)
    #expect(try fs.read("/empty") == [])
    #expect(try fs.read("/missing") == nil)
    #expect(try fs.read("/big", limit: 1000) == Array(bytes.prefix(1001)))
    #expect(try fs.read("/big", limit: 400_000) == bytes)
    let status = try #require(try FileSystem().read("/proc/self/status"))
    #expect(String(decoding: status, as: UTF8.self).contains("\nPid:"))
  }
}
