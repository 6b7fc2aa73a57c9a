import Foundation
import Testing
@testable import NetCfgCore

@Suite struct FileSystemTests {
  func scratch() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netcfg-fs-\(UUID())")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("etc/netplan"), withIntermediateDirectories: true)
    return dir.path
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

  @Test func writeIntoMissingDirectoryFailsWithPath() throws {
    let root = try scratch()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(throws: FileSystemError.self) {
      try FileSystem(root: root).writeAtomically("/nope/a.yaml", [0x61])
    }
  }
}
