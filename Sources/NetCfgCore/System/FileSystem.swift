#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls

/// A failed file operation: what, on which path, and the system's reason.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
  public var operation: String
  public var path: String
  public var errno: Int32

  public var description: String {
    "\(operation) \(path): \(String(cString: strerror(errno)))"
  }
}

/// The one place netcfg touches files. Every path is relative to `root` (`--root`), so tests
/// and image builds work on a tree, never on the host by accident.
///
/// Below a root other than `/`, the kernel resolves every path inside it (openat2 with
/// RESOLVE_IN_ROOT, see `FileSystem+Descriptors.swift`): an absolute link target starts at
/// the root and `..` stops there, as in a chroot, and each operation works on descriptors,
/// so a directory swapped for a link while netcfg runs cannot lead a write out of the tree.
public struct FileSystem: Sendable {
  public let root: String

  public init(root: String = "/") {
    self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
  }

  /// `path` as the host names it (for messages and for programs given `--root-dir`); links
  /// are not resolved.
  public func hostPath(_ path: String) -> String {
    if root == "/" { return path }
    return root + (path.hasPrefix("/") ? path : "/" + path)
  }

  /// The file's bytes, or nil when it does not exist; with `limit`, at most `limit + 1`
  /// bytes (more than `limit` says the file is too large, without reading it whole).
  public func read(_ path: String, limit: Int? = nil) throws(FileSystemError) -> [UInt8]? {
    // Non-blocking: a FIFO planted in place of a file fails instead of hanging netcfg.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw FileSystemError(operation: "open", path: hostPath(path), errno: errno)
    }
    defer { close(fd) }
    // Sized from fstat and read straight into the array (a 2.5 MB netplan file or the
    // dpkg database: one allocation, no copying); the loop still ends only at end of file,
    // so a file that grows meanwhile, or reports size 0 (/proc), is read whole.
    var st = stat()
    let expected = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0
    var capacity = max(4096, expected + 1)
    if let limit { capacity = min(capacity, limit + 1) }
    // The first read goes into uninitialized memory: zero-filling the buffer first would
    // cost as much as the read.
    var failure: Int32 = 0
    var out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
      count = 0
      // A large file's megabytes: huge pages where the system gives them (see YAMLTree.reserve).
      if let base = buffer.baseAddress { netcfg_advise_huge_pages(base, buffer.count) }
      while count < buffer.count {
        let n = retryingEINTR { Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count) }
        if n < 0 { failure = errno }
        if n <= 0 { break }
        count += n
      }
    }
    if failure != 0 { throw FileSystemError(operation: "read", path: hostPath(path), errno: failure) }
    while out.count == capacity {  // not at the end yet: the file grew, or /proc said 0
      if let limit, out.count > limit { return Array(out.prefix(limit + 1)) }
      if out.count == out.capacity { out.reserveCapacity(out.capacity * 2) }
      let room = out.capacity - out.count
      var n = 0
      let start = out.count
      out.append(contentsOf: repeatElement(0, count: room))
      out.withUnsafeMutableBytes { buf in
        n = retryingEINTR { Glibc.read(fd, buf.baseAddress! + start, room) }
        if n < 0 { failure = errno }
      }
      out.removeLast(room - max(n, 0))
      if n < 0 { throw FileSystemError(operation: "read", path: hostPath(path), errno: failure) }
      if n == 0 { return out }
      capacity = out.count
    }
    if let limit, out.count > limit { return Array(out.prefix(limit + 1)) }
    return out
  }

  /// `body` over the bytes of the regular file at `path`, mapped instead of copied (the
  /// dpkg database: megabytes of which one paragraph is wanted); nil when it does not exist
  /// or is not a regular file. Only for files that are replaced by rename, never truncated
  /// in place (dpkg writes status-new and renames it): a mapped file that shrank would fault.
  public func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(st.st_size)
    if size == 0 { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
    defer { munmap(base, size) }
    return body(UnsafeRawBufferPointer(start: base, count: size))
  }

  /// Replaces `path` atomically: a temp file in the same directory (O_EXCL, `mode`), write,
  /// fsync, rename over the target, fsync the directory. Never follows a symlink at `path`.
  public func writeAtomically(
    _ path: String, _ bytes: [UInt8], mode: mode_t = 0o600, owner: (uid_t, gid_t)? = nil
  ) throws(FileSystemError) {
    try prepareAtomicWrite(path, bytes, mode: mode, owner: owner).commit()
  }

  /// The process whose temporary file `name` is (see `writeAtomically` and `symlink`), or
  /// nil when it is not one.
  public static func temporaryFileOwner(_ name: String) -> pid_t? {
    guard let last = name.split(separator: ".", omittingEmptySubsequences: false).last else { return nil }
    let words = last.split(separator: "-", omittingEmptySubsequences: false)
    guard words.count == 3, words[0] == "netcfg" else { return nil }
    if name.hasPrefix("."), UInt32(words[2]) != nil { return pid_t(words[1]) }
    if words[1] == "link" { return pid_t(words[2]) }
    return nil
  }

  /// Creates directory `path` and its missing parents (mode 0755).
  public func createDirectories(_ path: String) throws(FileSystemError) {
    var current = ""
    for part in path.split(separator: "/") {
      current += "/" + part
      let (dir, name) = try parent(current)
      let made = mkdirat(dir, FileSystem.encode(name), 0o755)
      let error = errno
      close(dir)
      if made != 0 && error != EEXIST { throw FileSystemError(operation: "mkdir", path: hostPath(current), errno: error) }
    }
  }

  /// An exclusive lock (flock) on `path`, a directory or a lock file (created when missing,
  /// 0600), waiting up to `wait` seconds: the open descriptor, to `unlock` when done (a crash
  /// releases it too), or nil when another process still holds it.
  public func lock(_ path: String, wait: Double) throws(FileSystemError) -> Int32? {
    let isDirectory = info(path)?.isDirectory == true
    let fd = isDirectory ? open(path, O_RDONLY | O_DIRECTORY) : open(path, O_RDWR | O_CREAT | O_NOCTTY, 0o600)
    guard fd >= 0 else { throw FileSystemError(operation: "open", path: hostPath(path), errno: errno) }
    var waited = 0.0
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        let error = FileSystemError(operation: "flock", path: hostPath(path), errno: errno)
        close(fd)
        throw error
      }
      guard waited < wait else {
        close(fd)
        return nil
      }
      usleep(10_000)
      waited += 0.01
    }
    return fd
  }

  /// Releases a lock from `lock`.
  public func unlock(_ lock: Int32) { close(lock) }

  /// The target of the symbolic link at `path` (as written in the link), or nil when `path`
  /// is not a link.
  public func linkTarget(_ path: String) -> String? {
    guard let (dir, name) = try? parent(path) else { return nil }
    defer { close(dir) }
    var buffer = [CChar](repeating: 0, count: 4097)
    let n = readlinkat(dir, FileSystem.encode(name), &buffer, 4096)
    guard n >= 0 else { return nil }
    return FileSystem.decode(buffer[0..<n].map { UInt8(bitPattern: $0) })
  }

  /// True when something (a file, a directory, a link, even a dangling one) is at `path`.
  public func exists(_ path: String) -> Bool { linkStatus(path) != nil }

  /// True when `path` itself is a symbolic link.
  public func isSymlink(_ path: String) -> Bool {
    linkStatus(path).map { ($0.st_mode & S_IFMT) == S_IFLNK } ?? false
  }

  /// Removes the file or link at `path` (not directories); absent is fine.
  public func remove(_ path: String) throws(FileSystemError) {
    let (dir, name) = try parent(path)
    defer { close(dir) }
    if unlinkat(dir, FileSystem.encode(name), 0) != 0 {
      if errno == ENOENT { return }
      throw FileSystemError(operation: "unlink", path: hostPath(path), errno: errno)
    }
    FaultPoint.reached("removed " + path)
  }

  /// Makes `path` a symbolic link to `target` (replacing what is there, atomically).
  public func symlink(_ path: String, to target: String) throws(FileSystemError) {
    let (dir, name) = try parent(path)
    defer { close(dir) }
    let temp = name + ".netcfg-link-\(getpid())"
    unlinkat(dir, FileSystem.encode(temp), 0)
    if symlinkat(FileSystem.encode(target), dir, FileSystem.encode(temp)) != 0 { throw FileSystemError(operation: "symlink", path: hostPath(sibling(path, temp)), errno: errno) }
    if renameat(dir, FileSystem.encode(temp), dir, FileSystem.encode(name)) != 0 {
      let error = errno
      unlinkat(dir, FileSystem.encode(temp), 0)
      throw FileSystemError(operation: "rename", path: hostPath(path), errno: error)
    }
    FaultPoint.reached("renamed " + path)
  }

  /// Owner and group of `path` itself (not following a link).
  public func owner(_ path: String) -> (uid_t, gid_t)? {
    linkStatus(path).map { ($0.st_uid, $0.st_gid) }
  }

  /// Sets the permission bits of `path` (following a link in it, inside the root).
  public func chmod(_ path: String, _ mode: mode_t) throws(FileSystemError) {
    var fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
    var changed: Int32
    if fd >= 0 {
      changed = fchmod(fd, mode)
    } else {
      // Not readable (a 0200 file of the caller's): change it through a path descriptor.
      fd = open(path, netcfg_o_path)
      guard fd >= 0 else { throw FileSystemError(operation: "chmod", path: hostPath(path), errno: errno) }
      changed = Glibc.chmod("/proc/self/fd/\(fd)", mode)
    }
    let error = errno
    close(fd)
    if changed != 0 { throw FileSystemError(operation: "chmod", path: hostPath(path), errno: error) }
  }

  /// True when the kernel, following links from the host's view of the root, would take
  /// `path` out of the root (what a program given `--root-dir` does); false when it stays
  /// inside, does not exist, or the root is `/`.
  public func escapesRoot(_ path: String) -> Bool {
    guard root != "/", let top = realpath(root, nil) else { return false }
    defer { free(top) }
    guard let resolved = realpath(root + (path.hasPrefix("/") ? path : "/" + path), nil) else { return false }
    defer { free(resolved) }
    let base = String(cString: top), real = String(cString: resolved)
    return real != base && !real.hasPrefix(base == "/" ? "/" : base + "/")
  }

  /// Names in directory `path` (no `.`/`..`), or nil when it does not exist.
  public func list(_ path: String) throws(FileSystemError) -> [String]? {
    let fd = open(path, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw FileSystemError(operation: "opendir", path: hostPath(path), errno: errno)
    }
    return FileSystem.names(fd).sorted()
  }

  /// Removes `path` and, when it is a directory, everything below it (never following a
  /// link); absent is fine.
  public func removeTree(_ path: String) {
    guard let (dir, name) = try? parent(path) else { return }
    defer { close(dir) }
    FileSystem.removeEntry(dir, name)
  }

  /// What `stat` says of `path` (following symlinks), or nil when it does not exist.
  public func info(_ path: String) -> FileInfo? {
    let fd = open(path, netcfg_o_path)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    return FileInfo(
      mode: st.st_mode & 0o7777, owner: st.st_uid, group: st.st_gid,
      isRegular: (st.st_mode & S_IFMT) == S_IFREG, isDirectory: (st.st_mode & S_IFMT) == S_IFDIR,
      isSymlink: isSymlink(path))
  }

  /// Permission bits of `path`, or nil when it does not exist.
  public func mode(_ path: String) -> mode_t? {
    linkStatus(path).map { $0.st_mode & 0o7777 }
  }
}

/// The facts about a file netcfg cares about.
public struct FileInfo: Sendable, Hashable {
  public var mode: mode_t
  public var owner: uid_t
  public var group: gid_t
  public var isRegular: Bool
  public var isDirectory: Bool
  public var isSymlink: Bool
}

/// Runs `body` again while it fails with EINTR.
func retryingEINTR<T: BinaryInteger>(_ body: () -> T) -> T {
  while true {
    let result = body()
    if result >= 0 || errno != EINTR { return result }
  }
}
