import CSystemCalls
#if canImport(Glibc)
  import Glibc
#endif

/// The result of running a program: a non-zero status is a result, not an error.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: [UInt8]
  public var stderr: [UInt8]

  public var succeeded: Bool { status == 0 }
  public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// A program that could not be started.
public struct ProcessError: Error, Sendable, CustomStringConvertible {
  public var program: String
  public var errno: Int32
  /// The directories searched, when the program was not found in any.
  public var searched: [String] = []
  public var description: String {
    if errno == ENOENT, !searched.isEmpty {
      return "cannot run \(program): not found in \(searched.joined(separator: ":"))"
        + (geteuid() == 0 ? " (as root, netcfg runs programs from the system's directories only, whatever PATH says)" : "")
    }
    return "cannot run \(program): \(String(cString: strerror(errno)))"
  }
}

/// The one place netcfg runs other programs (netplan, ip, systemctl, ...).
///
/// As root, a program comes from the system's directories only, with a clean environment
/// (a fixed PATH and locale): a caller's PATH (`./evil` first) or PYTHONPATH must not decide
/// what root runs. Otherwise the absolute entries of PATH come first and the caller's
/// environment is passed on.
public struct ProcessRunner: Sendable {
  /// The system's program directories (sbin included: netplan lives in /usr/sbin and may be
  /// missing from a user's PATH).
  public static let systemPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

  /// Directories searched for programs named without a slash, in order.
  public var searchPath: [String]
  /// The environment programs get (`NAME=VALUE`); nil: netcfg's own.
  public var environment: [String]?

  public init() {
    if geteuid() == 0 {
      searchPath = ProcessRunner.systemPath
      environment = ["PATH=" + ProcessRunner.systemPath.joined(separator: ":"), "LANG=C.UTF-8"]
    } else {
      let path = getenv("PATH").map { String(cString: $0).split(separator: ":").map(String.init) } ?? []
      var seen = Set<String>()
      searchPath = (path.filter { $0.hasPrefix("/") } + ProcessRunner.systemPath).filter { seen.insert($0).inserted }
      environment = nil
    }
  }

  /// The full path of `program`, or nil when it is not installed.
  public func locate(_ program: String) -> String? {
    if program.contains("/") { return program.hasPrefix("/") && access(program, X_OK) == 0 ? program : nil }
    return searchPath.map { $0 + "/" + program }.first { access($0, X_OK) == 0 }
  }

  /// True while process `pid` runs (a killed child not yet reaped, a zombie, does not).
  public static func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return true }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let n = read(fd, &buffer, buffer.count)
    guard n > 0, let paren = buffer[0..<n].lastIndex(of: UInt8(ascii: ")")), paren + 2 < n else { return true }
    return buffer[paren + 2] != UInt8(ascii: "Z")
  }

  /// Runs `program` with `arguments`, collecting its output; stdin is /dev/null. `started`
  /// runs once the program is running.
  public func run(
    _ program: String, _ arguments: [String], started: () -> Void = {}
  ) throws(ProcessError) -> ProcessResult {
    guard let path = locate(program) else { throw ProcessError(program: program, errno: ENOENT, searched: searchPath) }
    var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
    // Close-on-exec: a program started at the same time from another thread must not inherit
    // these pipes (it would hold them open, and this one's output would not end before it).
    guard netcfg_pipe_cloexec(&outPipe) == 0, netcfg_pipe_cloexec(&errPipe) == 0 else { throw ProcessError(program: program, errno: errno) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
    defer { for p in envp ?? [] { free(p) } }
    var pid = pid_t()
    let rc = envp.map { posix_spawn(&pid, path, &actions, nil, argv, $0) } ?? posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(outPipe[1])
    close(errPipe[1])
    guard rc == 0 else {
      close(outPipe[0])
      close(errPipe[0])
      throw ProcessError(program: program, errno: rc)
    }
    started()
    let (out, err) = drain(outPipe[0], errPipe[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return ProcessResult(status: exit, stdout: out, stderr: err)
  }

  /// Reads both pipes to their end without letting either fill up.
  private func drain(_ a: Int32, _ b: Int32) -> ([UInt8], [UInt8]) {
    var outputs: [[UInt8]] = [[], []]
    var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
    var open = 2
    var buffer = [UInt8](repeating: 0, count: 65536)
    while open > 0 {
      if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
      for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
        let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
        if n > 0 {
          outputs[i] += buffer[0..<n]
        } else if n == 0 || errno != EINTR {
          close(fds[i].fd)
          fds[i].fd = -1
          open -= 1
        }
      }
    }
    return (outputs[0], outputs[1])
  }
}
