#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

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
public struct FileSystem: Sendable {
  public let root: String

  public init(root: String = "/") {
    self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
  }

  /// The real path of `path` (absolute, as seen from inside the root), its last component
  /// left as it is (for lstat, readlink, unlink, rename). With the root `/`, a relative path
  /// stays relative to the working directory. Below another root, every symbolic link on the
  /// way is resolved inside the root, as chroot would: an absolute target starts at the root
  /// and `..` stops there, so no link leads out of it.
  public func hostPath(_ path: String) -> String { contained(path, followingLast: false) }

  /// `hostPath`, a link in the last component resolved inside the root too (for open, stat,
  /// opendir, chmod, which follow it).
  public func followingPath(_ path: String) -> String { contained(path, followingLast: true) }

  private func contained(_ path: String, followingLast: Bool) -> String {
    if root == "/" { return path }
    var resolved: [String] = []
    var pending: [String] = path.split(separator: "/").reversed().map(String.init)
    var links = 0
    while let part = pending.popLast() {
      if part == "." { continue }
      if part == ".." {
        _ = resolved.popLast()
        continue
      }
      if pending.isEmpty && !followingLast {
        resolved.append(part)
        break
      }
      var buffer = [CChar](repeating: 0, count: 4097)
      let n = readlink(root + "/" + (resolved + [part]).joined(separator: "/"), &buffer, 4096)
      guard n >= 0 else {
        resolved.append(part)
        continue
      }
      links += 1
      // A loop: a path that cannot exist, so the call fails instead of following it out.
      if links > 40 { return root + "/\u{1}netcfg-symlink-loop/" + path }
      let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if target.hasPrefix("/") { resolved = [] }
      pending.append(contentsOf: target.split(separator: "/").reversed().map(String.init))
    }
    return root + "/" + resolved.joined(separator: "/")
  }

  /// The file's bytes, or nil when it does not exist; with `limit`, at most `limit + 1`
  /// bytes (more than `limit` says the file is too large, without reading it whole).
  public func read(_ path: String, limit: Int? = nil) throws(FileSystemError) -> [UInt8]? {
    let real = followingPath(path)
    let fd = retryingEINTR { open(real, O_RDONLY | O_CLOEXEC) }
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw FileSystemError(operation: "open", path: real, errno: errno)
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      if let limit, out.count > limit { return Array(out.prefix(limit + 1)) }
      let n = chunk.withUnsafeMutableBytes { buf in retryingEINTR { Glibc.read(fd, buf.baseAddress, buf.count) } }
      if n < 0 { throw FileSystemError(operation: "read", path: real, errno: errno) }
      if n == 0 { return out }
      out.append(contentsOf: chunk[0..<n])
    }
  }

  /// Replaces `path` atomically: a temp file in the same directory (O_EXCL, `mode`), write,
  /// fsync, rename over the target, fsync the directory. Never follows a symlink at `path`.
  public func writeAtomically(
    _ path: String, _ bytes: [UInt8], mode: mode_t = 0o600, owner: (uid_t, gid_t)? = nil
  ) throws(FileSystemError) {
    let real = hostPath(path)
    let dir = real.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let base = real.split(separator: "/").last.map(String.init) ?? "file"
    // Unique per process and call: a temp file left by a crashed run never blocks this one.
    let temp = (dir.isEmpty ? "." : dir) + "/.\(base).netcfg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = retryingEINTR { open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode) }
    if fd < 0 { throw FileSystemError(operation: "create", path: temp, errno: errno) }
    var ok = false
    defer {
      if !ok { unlink(temp) }
    }
    do {
      defer { close(fd) }
      var written = 0
      while written < bytes.count {
        let n = bytes.withUnsafeBytes { buf in
          retryingEINTR { write(fd, buf.baseAddress! + written, buf.count - written) }
        }
        if n < 0 { throw FileSystemError(operation: "write", path: temp, errno: errno) }
        written += n
      }
      if fchmod(fd, mode) != 0 { throw FileSystemError(operation: "chmod", path: temp, errno: errno) }
      if let (uid, gid) = owner, fchown(fd, uid, gid) != 0, getuid() == 0 {
        throw FileSystemError(operation: "chown", path: temp, errno: errno)
      }
      if fsync(fd) != 0 { throw FileSystemError(operation: "fsync", path: temp, errno: errno) }
    }
    FaultPoint.reached("temp-written " + path)
    if rename(temp, real) != 0 { throw FileSystemError(operation: "rename", path: real, errno: errno) }
    ok = true
    FaultPoint.reached("renamed " + path)
    let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
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
      if mkdir(hostPath(current), 0o755) != 0 && errno != EEXIST {
        throw FileSystemError(operation: "mkdir", path: hostPath(current), errno: errno)
      }
    }
  }

  /// An exclusive lock (flock) on `path`, a directory or a lock file (created when missing,
  /// 0600), waiting up to `wait` seconds: the open descriptor, to `unlock` when done (a crash
  /// releases it too), or nil when another process still holds it.
  public func lock(_ path: String, wait: Double) throws(FileSystemError) -> Int32? {
    let isDirectory = info(path)?.isDirectory == true
    let fd = isDirectory
      ? open(followingPath(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      : open(followingPath(path), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw FileSystemError(operation: "open", path: path, errno: errno) }
    var waited = 0.0
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        let error = FileSystemError(operation: "flock", path: path, errno: errno)
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
    var buffer = [CChar](repeating: 0, count: 4097)
    let n = readlink(hostPath(path), &buffer, 4096)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// True when something (a file, a directory, a link, even a dangling one) is at `path`.
  public func exists(_ path: String) -> Bool {
    var st = stat()
    return lstat(hostPath(path), &st) == 0
  }

  /// True when `path` itself is a symbolic link.
  public func isSymlink(_ path: String) -> Bool {
    var st = stat()
    return lstat(hostPath(path), &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
  }

  /// Removes the file or link at `path` (not directories); absent is fine.
  public func remove(_ path: String) throws(FileSystemError) {
    if unlink(hostPath(path)) != 0 {
      if errno == ENOENT { return }
      throw FileSystemError(operation: "unlink", path: hostPath(path), errno: errno)
    }
    FaultPoint.reached("removed " + path)
  }

  /// Makes `path` a symbolic link to `target` (replacing what is there, atomically).
  public func symlink(_ path: String, to target: String) throws(FileSystemError) {
    let temp = hostPath(path) + ".netcfg-link-\(getpid())"
    unlink(temp)
    if Glibc.symlink(target, temp) != 0 { throw FileSystemError(operation: "symlink", path: temp, errno: errno) }
    if rename(temp, hostPath(path)) != 0 {
      unlink(temp)
      throw FileSystemError(operation: "rename", path: hostPath(path), errno: errno)
    }
    FaultPoint.reached("renamed " + path)
  }

  /// Owner and group of `path` itself (not following a link).
  public func owner(_ path: String) -> (uid_t, gid_t)? {
    var st = stat()
    guard lstat(hostPath(path), &st) == 0 else { return nil }
    return (st.st_uid, st.st_gid)
  }

  /// Sets the permission bits of `path`.
  public func chmod(_ path: String, _ mode: mode_t) throws(FileSystemError) {
    if Glibc.chmod(followingPath(path), mode) != 0 { throw FileSystemError(operation: "chmod", path: followingPath(path), errno: errno) }
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
    let real = followingPath(path)
    guard let dir = opendir(real) else {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw FileSystemError(operation: "opendir", path: real, errno: errno)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// What `stat` says of `path` (following symlinks), or nil when it does not exist.
  public func info(_ path: String) -> FileInfo? {
    var st = stat()
    guard stat(followingPath(path), &st) == 0 else { return nil }
    var lst = stat()
    let isLink = lstat(hostPath(path), &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK
    return FileInfo(
      mode: st.st_mode & 0o7777, owner: st.st_uid, group: st.st_gid,
      isRegular: (st.st_mode & S_IFMT) == S_IFREG, isDirectory: (st.st_mode & S_IFMT) == S_IFDIR,
      isSymlink: isLink)
  }

  /// Permission bits of `path`, or nil when it does not exist.
  public func mode(_ path: String) -> mode_t? {
    var st = stat()
    guard lstat(hostPath(path), &st) == 0 else { return nil }
    return st.st_mode & 0o7777
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
