#if canImport(Glibc)
  import Glibc
#endif

/// A private temporary directory (mode 0700), removed with everything in it by `remove()`.
public struct ScratchDirectory: Sendable {
  public let path: String

  public init(prefix: String = "netcfg") throws(FileSystemError) {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw FileSystemError(operation: "mkdtemp", path: "/tmp", errno: errno)
    }
    path = String(cString: made)
  }

  /// A file system rooted here.
  public var fileSystem: FileSystem { FileSystem(root: path) }

  /// Writes `bytes` at `inside` (a path within the directory), creating parents (0755).
  public func write(_ inside: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(FileSystemError) {
    var current = path
    for part in inside.split(separator: "/").dropLast() {
      current += "/" + part
      if mkdir(current, 0o755) != 0 && errno != EEXIST {
        throw FileSystemError(operation: "mkdir", path: current, errno: errno)
      }
    }
    try fileSystem.writeAtomically(inside, bytes, mode: mode)
  }

  /// Removes the directory and its contents (never following symlinks out of it).
  public func remove() { FileSystem().removeTree(path) }
}
