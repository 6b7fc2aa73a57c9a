#if canImport(Glibc)
  import Glibc
#endif

/// netcfg's own state below the root: the generations of the managed files that were applied
/// and the transaction in progress, in `/var/lib/netcfg` (0700).
public struct StateStore: Sendable {
  public static let directory = "/var/lib/netcfg"
  public let fs: FileSystem

  public init(_ fs: FileSystem) { self.fs = fs }

  var generationsDirectory: String { StateStore.directory + "/generations" }
  public var pendingDirectory: String { StateStore.directory + "/pending" }

  /// The files netcfg manages: netplan files under /etc, systemd-resolved's configuration and
  /// resolv.conf.
  public func managedPaths() -> [String] {
    var paths: [String] = []
    for name in ((try? fs.list("/etc/netplan")) ?? nil) ?? [] where name.hasSuffix(".yaml") {
      paths.append("/etc/netplan/" + name)
    }
    paths.append(ResolvedConfig.mainFile)
    for name in ((try? fs.list("/etc/systemd/resolved.conf.d")) ?? nil) ?? [] where name.hasSuffix(".conf") {
      paths.append("/etc/systemd/resolved.conf.d/" + name)
    }
    paths.append(ResolvConf.path)
    return paths
  }

  /// The numbers of the generations recorded, oldest first (one whose recording was cut
  /// short, without its manifest, does not count).
  public func generationNumbers() -> [Int] {
    allGenerationDirectories().filter { fs.exists("\(generationsDirectory)/\($0)/manifest") }
  }

  func allGenerationDirectories() -> [Int] {
    (((try? fs.list(generationsDirectory)) ?? nil) ?? []).compactMap(Int.init).sorted()
  }

  public func generation(_ n: Int) throws(FileSystemError) -> Snapshot? {
    try Snapshot.load(from: "\(generationsDirectory)/\(n)", fs)
  }

  /// Records `snapshot` as the next generation and returns its number.
  public func record(_ snapshot: Snapshot) throws(FileSystemError) -> Int {
    try fs.createDirectories(generationsDirectory)
    try fs.chmod(StateStore.directory, 0o700)
    let all = allGenerationDirectories()
    let complete = Set(generationNumbers())
    for n in all where !complete.contains(n) { fs.removeTree("\(generationsDirectory)/\(n)") }
    let n = (all.last ?? -1) + 1
    try snapshot.save(to: "\(generationsDirectory)/\(n)", fs)
    // The oldest go once there are more than the root's limit (each holds every managed file).
    for old in generationNumbers().dropLast(keptGenerations()) { Snapshot.discard("\(generationsDirectory)/\(old)", fs) }
    return n
  }

  /// Where the number of generations kept is set (`NETCFG_KEEP_GENERATIONS=N`, N ≥ 1).
  public static let settingsFile = "/etc/default/netcfg"
  public static let defaultKeptGenerations = 100

  /// How many generations are kept: `NETCFG_KEEP_GENERATIONS` of /etc/default/netcfg below
  /// the root, else 100.
  public func keptGenerations() -> Int {
    let text = String(decoding: ((try? fs.read(StateStore.settingsFile, limit: 65536)) ?? nil) ?? [], as: UTF8.self)
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      let words = line.split(separator: "=", maxSplits: 1).map { $0.trimming(" \t\"'") }
      if words.count == 2, words[0] == "NETCFG_KEEP_GENERATIONS", let n = Int(words[1]), n >= 1 { return n }
    }
    return StateStore.defaultKeptGenerations
  }

  /// Keeps the change in force: records the state of `paths` as the next generation and ends
  /// the journal. A change applied (and verified, or confirmed) stays so even when its
  /// generation cannot be recorded: the journal ends all the same (else the next command
  /// would undo it), and only the history lacks it.
  public func commit(_ paths: [String], info: [String: String]) -> Commit {
    do {
      var snapshot = try Snapshot.capture(paths, fs)
      snapshot.info = info
      let n = try record(snapshot)
      FaultPoint.reached("generation-recorded")
      clearPending()
      return Commit(generation: n, problem: nil)
    } catch {
      clearPending()
      return Commit(generation: nil, problem: "\(error)")
    }
  }

  /// The journal of a plain edit writing several files.
  var editJournalDirectory: String { StateStore.directory + "/edit" }

  /// Writes an edit without applying it. One file is replaced atomically; several are
  /// journaled first (their before-state, fsynced), so that an edit cut short halfway is put
  /// back by the next netcfg command (`finishInterruptedEdit`): all written, or none. The
  /// caller holds the edit lock.
  public func writeEdit(_ changes: ChangeSet, command: String) throws(FileSystemError) {
    guard changes.files.count > 1 else { return try changes.write(fs) }
    let journal = try Snapshot.capture(changes.files.map(\.path), fs, info: ["command": command])
    try fs.createDirectories(StateStore.directory)
    try fs.chmod(StateStore.directory, 0o700)
    Snapshot.discard(editJournalDirectory, fs)
    try journal.save(to: editJournalDirectory, fs)
    FaultPoint.reached("edit-journal-written")
    do { try changes.write(fs) } catch {
      if (try? journal.restore(fs)) != nil { Snapshot.discard(editJournalDirectory, fs) }
      throw error
    }
    Snapshot.discard(editJournalDirectory, fs)
  }

  /// True when a plain edit was cut short while writing its files (or is writing them now).
  public var hasInterruptedEdit: Bool { fs.exists(editJournalDirectory + "/manifest") }

  /// Puts back the files of a plain edit that was cut short while writing them; its command,
  /// or nil when there was none. The caller holds the edit lock (no edit is running).
  public func finishInterruptedEdit() throws(FileSystemError) -> String? {
    guard let journal = try Snapshot.load(from: editJournalDirectory, fs) else { return nil }
    try journal.restore(fs)
    Snapshot.discard(editJournalDirectory, fs)
    return journal.info["command"] ?? "?"
  }

  /// The transaction in progress (its before-state), if any.
  public func pending() throws(FileSystemError) -> Snapshot? { try Snapshot.load(from: pendingDirectory, fs) }

  public func savePending(_ snapshot: Snapshot) throws(FileSystemError) {
    try fs.createDirectories(StateStore.directory)
    try fs.chmod(StateStore.directory, 0o700)
    Snapshot.discard(pendingDirectory, fs)
    try snapshot.save(to: pendingDirectory, fs)
  }

  /// Replaces the notes of the transaction in progress (atomically; its before-state stays
  /// as it is, so a crash meanwhile leaves the old notes or the new ones, never no journal).
  public func updatePendingInfo(_ info: [String: String]) throws(FileSystemError) {
    try Snapshot.saveInfo(info, to: pendingDirectory, fs)
  }

  /// Ends the journal: its manifest goes first (atomically, so a crash meanwhile leaves no
  /// journal rather than part of one), then the rest.
  public func clearPending() { Snapshot.discard(pendingDirectory, fs) }

  /// True when the pending transaction got as far as recording its generation (the newest).
  public func wasRecorded(_ pending: Snapshot) -> Bool {
    guard let id = pending.info["transaction"], let newest = generationNumbers().last else { return false }
    guard let snapshot = try? generation(newest) else { return false }
    return snapshot.info["transaction"] == id
  }

  /// Removes the temporary files of atomic writes that a killed netcfg left beside the
  /// managed files (`.NAME.netcfg-PID-N`, `NAME.netcfg-link-PID`), when PID is gone.
  public func removeLeftovers() {
    let directories = Set(managedPaths().map { "/" + $0.split(separator: "/").dropLast().joined(separator: "/") })
    for directory in directories {
      for name in ((try? fs.list(directory)) ?? nil) ?? [] {
        guard let pid = FileSystem.temporaryFileOwner(name), !ProcessRunner.isRunning(pid) else { continue }
        try? fs.remove(directory + "/" + name)
      }
    }
  }

  /// Takes netcfg's lock (one transaction at a time), waiting up to `wait` seconds. The lock
  /// is released when the process ends, also by a crash.
  public func lock(wait: Double) throws(EditError) -> Int32 {
    try secureDirectory()
    let path = StateStore.directory + "/lock"
    let fd: Int32?
    do { fd = try fs.lock(path, wait: wait) } catch { throw EditError(.failure, "cannot take the netcfg lock: \(error)") }
    guard let fd else {
      throw EditError(.failure, "another netcfg transaction is running (lock \(path)); wait for it, or pass --wait SECONDS")
    }
    return fd
  }

  /// The lock of edits (from reading the files to writing them): a file in the 0700 state
  /// directory, which no other user can open (a lock on a directory anyone can open could
  /// be held by anyone).
  public func editLock(wait: Double) throws(EditError) -> Int32? {
    try secureDirectory()
    do { return try fs.lock(StateStore.directory + "/edit.lock", wait: wait) } catch {
      throw EditError(.failure, "cannot take the edit lock: \(error)")
    }
  }

  /// Creates the state directory (0700) when missing, and refuses one that another user owns
  /// or that others may write: its journal decides what is written where.
  func secureDirectory() throws(EditError) {
    do {
      if !fs.exists(StateStore.directory) {
        try fs.createDirectories(StateStore.directory)
        try fs.chmod(StateStore.directory, 0o700)
      }
    } catch { throw EditError(.failure, "cannot create \(StateStore.directory): \(error)") }
    guard let info = fs.info(StateStore.directory), info.isDirectory, !info.isSymlink else {
      throw EditError(.failure, "\(fs.hostPath(StateStore.directory)) is not a directory")
    }
    if info.owner != geteuid() || info.mode & 0o022 != 0 {
      throw EditError(
        .failure,
        "\(fs.hostPath(StateStore.directory)) is owned by uid \(info.owner) with mode \(String(info.mode & 0o7777, radix: 8)): netcfg uses a state directory only when it owns it and nobody else may write it")
    }
    if info.mode & 0o077 != 0 {
      do { try fs.chmod(StateStore.directory, 0o700) } catch { throw EditError(.failure, "cannot chmod \(StateStore.directory): \(error)") }
    }
  }
}

/// A change kept: the generation that records it, or why none could be recorded.
public struct Commit: Sendable, Equatable {
  public var generation: Int?
  public var problem: String?

  /// `generation N`, or what went wrong.
  public var summary: String {
    generation.map { "generation \($0)" } ?? "kept, but not recorded in the history: \(problem ?? "unknown error")"
  }
}
