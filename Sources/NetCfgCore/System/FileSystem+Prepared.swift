#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls

extension FileSystem {
  /// The first half of `writeAtomically`: `bytes` written under a temporary name in the
  /// directory of `path` (O_EXCL, `mode`, `owner`) and synced; nothing is in place until
  /// `commit`. Never follows a symlink at `path`.
  public func prepareAtomicWrite(
    _ path: String, _ bytes: [UInt8], mode: mode_t = 0o600, owner: (uid_t, gid_t)? = nil
  ) throws(FileSystemError) -> PreparedFile {
    let (dir, base) = try parent(path)
    // Unique per process and call: a temp file left by a crashed run never blocks this one.
    let temp = ".\(base).netcfg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = retryingEINTR { netcfg_openat(dir, FileSystem.encode(temp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode) }
    if fd < 0 {
      let error = FileSystemError(operation: "create", path: hostPath(sibling(path, temp)), errno: errno)
      close(dir)
      throw error
    }
    // From here on the file is the prepared file's: removed unless committed.
    let prepared = PreparedFile(fs: self, path: path, bytes: bytes, mode: mode, owner: owner, directory: dir, base: base, temp: temp)
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { buf in
        retryingEINTR { write(fd, buf.baseAddress! + written, buf.count - written) }
      }
      if n < 0 { throw FileSystemError(operation: "write", path: hostPath(sibling(path, temp)), errno: errno) }
      written += n
    }
    if fchmod(fd, mode) != 0 { throw FileSystemError(operation: "chmod", path: hostPath(sibling(path, temp)), errno: errno) }
    if let (uid, gid) = owner, fchown(fd, uid, gid) != 0, getuid() == 0 {
      throw FileSystemError(operation: "chown", path: hostPath(sibling(path, temp)), errno: errno)
    }
    if fsync(fd) != 0 { throw FileSystemError(operation: "fsync", path: hostPath(sibling(path, temp)), errno: errno) }
    return prepared
  }
}

/// A file written and synced under a temporary name beside its place, not in place yet
/// (`FileSystem.prepareAtomicWrite`): `commit` renames it over its target; dropped without a
/// commit, it is removed. An edit has its one file written this way while its result is
/// checked (the fsync of a large file takes as long as the checks), and puts it in place only
/// when they pass.
public final class PreparedFile: @unchecked Sendable {
  public let path: String
  let bytes: [UInt8]
  let mode: mode_t
  let owner: (uid_t, gid_t)?
  private let fs: FileSystem
  private let directory: Int32
  private let base: String
  private let temp: String
  /// Renamed into place, or removed: nothing more to do (one thread at a time uses a
  /// prepared file).
  private var finished = false

  init(
    fs: FileSystem, path: String, bytes: [UInt8], mode: mode_t, owner: (uid_t, gid_t)?, directory: Int32, base: String,
    temp: String
  ) {
    self.fs = fs
    self.path = path
    self.bytes = bytes
    self.mode = mode
    self.owner = owner
    self.directory = directory
    self.base = base
    self.temp = temp
  }

  deinit { discard() }

  /// Whether this is the file `change` writes: the same place, bytes, mode and owner.
  func writes(_ change: FileChange) -> Bool {
    !finished && change.path == path && !change.modeOnly && change.linkTarget == nil && change.mode == mode
      && change.owner?.0 == owner?.0 && change.owner?.1 == owner?.1 && change.after == bytes
  }

  /// Renames the file over its target and syncs the directory.
  public func commit() throws(FileSystemError) {
    precondition(!finished, "a prepared file is put in place once")
    finished = true
    defer { close(directory) }
    FaultPoint.reached("temp-written " + path)
    if renameat(directory, FileSystem.encode(temp), directory, FileSystem.encode(base)) != 0 {
      let error = FileSystemError(operation: "rename", path: fs.hostPath(path), errno: errno)
      unlinkat(directory, FileSystem.encode(temp), 0)
      throw error
    }
    FaultPoint.reached("renamed " + path)
    fsync(directory)
  }

  /// Removes the file (its target stays as it is).
  public func discard() {
    guard !finished else { return }
    finished = true
    unlinkat(directory, FileSystem.encode(temp), 0)
    close(directory)
  }
}
