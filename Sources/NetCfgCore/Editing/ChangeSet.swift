#if canImport(Glibc)
  import Glibc
#endif

/// One file an edit writes: its bytes before (nil when new) and after, and how to write it.
public struct FileChange: Sendable {
  public var path: String
  public var before: [UInt8]?
  public var after: [UInt8]
  /// Mode to write with: the file's own, 0600 for a new file (or a mode fix).
  public var mode: mode_t
  public var owner: (uid_t, gid_t)?
  /// True when only the mode changes (`migrate`).
  public var modeOnly: Bool
  /// Mode of the parent directory when it has to be created (e.g. 0700 for /var/lib/netcfg).
  public var directoryMode: mode_t? = nil
  /// The target of the symbolic link this file replaces (resolv.conf), kept for rollback.
  public var replacesLink: String? = nil
  /// Written as a symbolic link to this target (`after` then only describes it for the diff).
  public var linkTarget: String? = nil

  public init(
    path: String, before: [UInt8]?, after: [UInt8], mode: mode_t, owner: (uid_t, gid_t)? = nil,
    modeOnly: Bool = false, directoryMode: mode_t? = nil, replacesLink: String? = nil
  ) {
    self.path = path
    self.before = before
    self.after = after
    self.mode = mode
    self.owner = owner
    self.modeOnly = modeOnly
    self.directoryMode = directoryMode
    self.replacesLink = replacesLink
  }

  public var isNew: Bool { before == nil }

  /// The unified diff (`--- a/PATH`, `+++ b/PATH`), as `patch -p1` applies it from the root.
  public var diff: String {
    let shown = path.hasPrefix("/") ? String(path.dropFirst()) : path
    return LineDiff.unified(
      before ?? [], after, oldName: isNew ? "/dev/null" : "a/" + shown, newName: "b/" + shown)
  }
}

/// What an edit command does: the files it writes and what it has to say.
public struct ChangeSet: Sendable {
  public var files: [FileChange]
  public var diagnostics: [Diagnostic]
  /// One of `files` already written beside its place and synced (an edit's, while its result
  /// was checked): `write` renames it into place instead of writing it again. Removed when
  /// the change set is dropped unwritten.
  public var prepared: PreparedFile?

  public var changed: Bool { !files.isEmpty }

  public init(files: [FileChange], diagnostics: [Diagnostic]) {
    self.files = files
    self.diagnostics = diagnostics
  }

  /// Writes every file atomically below the root (parents created for new files).
  public func write(_ fs: FileSystem) throws(FileSystemError) {
    for change in files {
      if change.modeOnly {
        try fs.chmod(change.path, change.mode)
        continue
      }
      let parent = "/" + change.path.split(separator: "/").dropLast().joined(separator: "/")
      if change.isNew || change.replacesLink != nil {
        let existed = fs.exists(parent)
        try fs.createDirectories(parent)
        if !existed, let mode = change.directoryMode { try fs.chmod(parent, mode) }
      }
      if let target = change.linkTarget {
        try fs.symlink(change.path, to: target)
        continue
      }
      if let prepared, prepared.writes(change) {
        try prepared.commit()
      } else {
        try fs.writeAtomically(change.path, change.after, mode: change.mode, owner: change.owner)
      }
    }
  }
}

/// Why an edit was refused. `usage` problems are the caller's arguments (exit 64); `invalid`
/// ones the configuration the edit would produce (exit 65); the rest exit 1.
public struct EditError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable { case usage, invalid, failure }

  public var kind: Kind
  public var message: String
  public var diagnostics: [Diagnostic]

  public init(_ kind: Kind, _ message: String, diagnostics: [Diagnostic] = []) {
    self.kind = kind
    self.message = message
    self.diagnostics = diagnostics
  }

  public var description: String { message }
}
