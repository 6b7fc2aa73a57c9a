#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls

/// How `FileSystem` reaches a path: as a descriptor, opened by the kernel inside the root.
/// Every operation works relative to such descriptors (the file itself, or its directory and
/// the last name), so nothing is resolved twice and no swap in between can redirect it.
extension FileSystem {
  /// A descriptor for `path`, opened with `flags` (O_CLOEXEC added); -1 with errno set on
  /// failure. Below a root other than `/`, resolved by openat2 with RESOLVE_IN_ROOT and
  /// RESOLVE_NO_MAGICLINKS; at `/`, an ordinary open (a relative path from the working
  /// directory).
  func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    let flags = flags | O_CLOEXEC
    if root == "/" { return retryingEINTR { netcfg_openat(AT_FDCWD, FileSystem.encode(path), flags, mode) } }
    let top = Glibc.open(root, netcfg_o_path | O_DIRECTORY | O_CLOEXEC)
    guard top >= 0 else { return -1 }
    var fd: Int32 = -1
    // EAGAIN: a rename elsewhere in the tree raced the kernel's `..` check; try again.
    for _ in 0..<16 {
      fd = retryingEINTR { netcfg_open_in_root(top, FileSystem.encode(path.isEmpty ? "/" : path), flags, mode) }
      if fd >= 0 || errno != EAGAIN { break }
    }
    let error = errno
    close(top)
    errno = error
    return fd
  }

  /// The directory holding `path`, open, and the last name in `path` (for the `*at` calls
  /// that act on the name itself: unlink, rename, readlink, lstat). The caller closes it.
  func parent(_ path: String) throws(FileSystemError) -> (Int32, String) {
    guard let (directory, last) = FileSystem.directoryAndName(path), last != ".", last != ".." else {
      throw FileSystemError(operation: "open", path: hostPath(path), errno: EINVAL)
    }
    var fd = open(directory, O_RDONLY | O_DIRECTORY)
    // A directory the caller may enter but not read: enough for the `*at` calls.
    if fd < 0 && errno == EACCES { fd = open(directory, netcfg_o_path | O_DIRECTORY) }
    guard fd >= 0 else { throw FileSystemError(operation: "open", path: hostPath(directory), errno: errno) }
    return (fd, last)
  }

  /// `path`'s directory and last name, as splitting it at every `/` gives them (empty names
  /// dropped: `a//b/` is `a` and `b`); nil when it has no name. Byte by byte: the split and
  /// join of strings reached the runtime's generic code, 1% of a one-device `set-ip`.
  static func directoryAndName(_ path: String) -> (directory: String, name: String)? {
    let bytes = Array(path.utf8), slash = UInt8(ascii: "/")
    var end = bytes.count
    while end > 0 && bytes[end - 1] == slash { end -= 1 }
    guard end > 0 else { return nil }
    var start = end
    while start > 0 && bytes[start - 1] != slash { start -= 1 }
    var directory: [UInt8] = []
    directory.reserveCapacity(start)
    for byte in bytes[..<start] where byte != slash || directory.last != slash { directory.append(byte) }
    if directory.count > 1 && directory.last == slash { directory.removeLast() }
    let name = String(decoding: bytes[start..<end], as: UTF8.self)
    if directory.isEmpty { return (bytes.first == slash ? "/" : ".", name) }
    return (String(decoding: directory, as: UTF8.self), name)
  }

  /// `name` in the directory of `path` (for messages about temporary files).
  func sibling(_ path: String, _ name: String) -> String {
    (path.split(separator: "/").dropLast().map { "/" + $0 }.joined()) + "/" + name
  }

  /// What lstat says of `path` itself, or nil when nothing is there.
  func linkStatus(_ path: String) -> stat? {
    guard let (dir, name) = try? parent(path) else { return nil }
    defer { close(dir) }
    var st = stat()
    return fstatat(dir, FileSystem.encode(name), &st, AT_SYMLINK_NOFOLLOW) == 0 ? st : nil
  }

  /// The names in the open directory `fd` (no `.`/`..`); closes `fd`.
  static func names(_ fd: Int32) -> [String] {
    guard let stream = fdopendir(fd) else {
      close(fd)
      return []
    }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in FileSystem.decode(raw.prefix { $0 != 0 }) }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Removes `name` in directory `dir`, a directory with everything below it (links are
  /// removed, never followed).
  static func removeEntry(_ dir: Int32, _ text: String) {
    let name = encode(text)
    var st = stat()
    guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return }
    guard (st.st_mode & S_IFMT) == S_IFDIR else {
      unlinkat(dir, name, 0)
      return
    }
    let fd = netcfg_openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0)
    if fd >= 0 {
      let inner = dup(fd)
      for entry in names(fd) where inner >= 0 { removeEntry(inner, entry) }
      if inner >= 0 { close(inner) }
    }
    unlinkat(dir, name, AT_REMOVEDIR)
  }
}

/// Paths as netcfg holds them and as the kernel sees them. A name that is not UTF-8 (netplan
/// reads `caf\xE9.yaml` as well as any other) is held with each byte from 0x80 up as the
/// private-use character U+F700 + byte, and turned back into those bytes for every system
/// call, so nothing is lost either way. (A UTF-8 name holding one of U+F780–U+F7FF itself is
/// held the same way, byte by byte, to stay unambiguous.)
extension FileSystem {
  static let rawByteScalars: ClosedRange<UInt32> = 0xF780...0xF7FF

  /// The NUL-terminated bytes of `path`.
  public static func encode(_ path: String) -> [CChar] {
    guard path.unicodeScalars.contains(where: { rawByteScalars.contains($0.value) }) else { return Array(path.utf8CString) }
    var bytes: [CChar] = []
    for scalar in path.unicodeScalars {
      if rawByteScalars.contains(scalar.value) {
        bytes.append(CChar(bitPattern: UInt8(scalar.value - 0xF700)))
      } else {
        bytes += String(scalar).utf8.map { CChar(bitPattern: $0) }
      }
    }
    return bytes + [0]
  }

  /// A name or path read from the kernel (without its NUL).
  public static func decode(_ bytes: some Collection<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self),
      !text.unicodeScalars.contains(where: { rawByteScalars.contains($0.value) })
    {
      return text
    }
    var text = ""
    for byte in bytes {
      text.unicodeScalars.append(byte < 0x80 ? Unicode.Scalar(byte) : Unicode.Scalar(0xF700 + UInt32(byte))!)
    }
    return text
  }
}
