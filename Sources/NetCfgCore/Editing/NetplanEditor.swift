import NetCfgYAML

#if canImport(Glibc)
  import Glibc
#endif

/// Plans edits of a netplan hierarchy: which /etc file each change goes to, the minimal
/// proven text edits, and the checks before anything is written (the whole result validated,
/// the intended values in force). Pure: reads the configuration, returns a `ChangeSet`.
public struct NetplanEditor {
  public static let defaultFile = "/etc/netplan/90-netcfg.yaml"

  public private(set) var original: NetplanConfiguration
  /// The file `--file` names (a path under /etc/netplan), if any.
  public let chosenFile: String?
  /// The files edited so far, parsed (the proven results of their edits).
  private var edited: [String: YAMLFile] = [:]
  /// Current bytes of the files edited so far.
  var contents: [String: [UInt8]] { edited.mapValues(\.source.bytes) }
  /// The paths edits were made at, to say which /lib or /run files also set them.
  private var touched: [YAMLPath] = []
  public private(set) var notes: [Diagnostic] = []
  /// Whether a name nothing defines may become a new definition (`--new`, `--file`).
  public var allowsNewDevices = false
  /// The network links of the live system (none under --root): names that may get a
  /// definition without `--new`.
  public var links: [String] = []

  public init(_ configuration: NetplanConfiguration, file: String? = nil) throws(EditError) {
    original = configuration
    chosenFile = try file.map { name throws(EditError) in try NetplanEditor.normalize(name) }
  }

  /// `--file NAME` as a path: a bare name goes to /etc/netplan; paths must stay there.
  static func normalize(_ name: String) throws(EditError) -> String {
    let path = name.hasPrefix("/") ? name : NetplanDirectory.etc.rawValue + "/" + name
    let fileName = String(path.dropFirst(NetplanDirectory.etc.rawValue.count + 1))
    guard path.hasPrefix(NetplanDirectory.etc.rawValue + "/"), !fileName.contains("/"),
      fileName.hasSuffix(".yaml"), fileName.count > 5, !fileName.hasPrefix("."),
      !fileName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else {
      throw EditError(.usage, "--file must name a .yaml file in /etc/netplan (got '\(name)'); netcfg never writes /lib or /run")
    }
    return path
  }

  // MARK: Files

  /// The files in force under /etc, in netplan order.
  var etcFiles: [NetplanSourceFile] { original.hierarchy.files.filter { $0.directory == .etc } }

  /// The current text of `path` (after earlier edits), parsed; a new file starts as
  /// `network: {version: 2}` in block style.
  func document(_ path: String) throws(EditError) -> YAMLFile {
    // Files not edited yet were parsed when the configuration was read: no parse again.
    if let file = edited[path] ?? original.parsed[path] { return file }
    let bytes = original.hierarchy.files.first { $0.path == path }?.bytes ?? Array("network:\n  version: 2\n".utf8)
    do { return try YAMLFile(name: path, bytes: bytes) } catch {
      throw EditError(.invalid, "cannot edit \(path): it is not valid YAML", diagnostics: [Diagnostic(error)])
    }
  }

  /// Applies `edits` to `path` (creating the file when new); the YAML layer proves the result.
  public mutating func edit(_ path: String, _ edits: [YAMLEdit]) throws(EditError) {
    guard !edits.isEmpty else { return }
    for edit in edits {
      // For a mapping set whole, the keys that change (a device's dhcp4, not the device).
      if case .set(let at, let new) = edit, case .mapping? = new as YAMLValue?,
        let old = value(at: at, in: path), case .mapping = old
      {
        let keys = Set(old.effectivePairs.map(\.key) + new.effectivePairs.map(\.key))
        touched += keys.sorted().filter { key in
          !(old[key].map { a in new[key].map { GenericEdit.sameSetting(a, $0) } ?? false } ?? false)
        }.map { at.appending(.key($0)) }
      } else {
        touched.append(edit.path)
      }
    }
    // The file is held here alone while it is edited (taken out of the editor, which gives
    // up its first reading: `finish` merges the result anew), so that an edit below one
    // device is spliced into its tree in place: a large file's tree is never held twice.
    var file = try document(path)
    let first = edited.removeValue(forKey: path) == nil
    if first { original.parsed[path] = nil }
    do {
      try file.edit(edits)
      edited[path] = file
    } catch {
      // Unchanged: back where it was.
      if first { original.parsed[path] = file } else { edited[path] = file }
      throw EditError(.invalid, error.description)
    }
  }

  /// The /etc files (in force) whose own text has `path`, in netplan order.
  public func etcFiles(defining path: YAMLPath) -> [String] {
    etcFiles.compactMap { file in
      guard let doc = try? document(file.path), doc.documents.count == 1, doc.root?.node(at: path) != nil else {
        return nil
      }
      return file.path
    }
  }

  /// The value `path` has in one file's own text (nil when absent).
  func value(at path: YAMLPath, in file: String) -> YAMLValue? {
    guard let doc = try? document(file), let node = doc.root?.node(at: path) else { return nil }
    return try? YAMLValue(node)
  }

  /// Where a change to `path` goes: `--file`, else the last /etc file with the key, else the
  /// last /etc file with the closest enclosing key (the device), else 90-netcfg.yaml.
  public func targetFile(for path: YAMLPath, fallbackPrefix: YAMLPath? = nil) -> String {
    if let chosenFile { return chosenFile }
    if let last = etcFiles(defining: path).last { return last }
    if let prefix = fallbackPrefix, let last = etcFiles(defining: prefix).last { return last }
    return NetplanEditor.defaultFile
  }

  public mutating func note(_ diagnostic: Diagnostic) { notes.append(diagnostic) }

  /// The lines (by written file) of the definitions an edit touched, as they are after it:
  /// from the device's key to its last line.
  func editedSpans() -> [String: Set<Int>] {
    let devices = Set(touched.compactMap { path -> YAMLPath? in
      let device = GenericEdit.devicePrefix(path)
      return device.components.count == 3 ? device : nil
    })
    var out: [String: Set<Int>] = [:]
    for (path, file) in edited {
      var lines: Set<Int> = []
      for section in Set(devices.map { YAMLPath(Array($0.components.prefix(2))) }) {
        guard let node = file.root?.node(at: section) else { continue }
        let ids = Set(devices.filter { YAMLPath(Array($0.components.prefix(2))) == section }.compactMap { device -> String? in
          if case .key(let id)? = device.components.last { return id }
          return nil
        })
        for entry in node.entries where entry.keyText.map(ids.contains) == true {
          let last = file.source.lineIndex(of: max(entry.value.contentEnd - 1, entry.key.start.offset)) + 1
          lines.formUnion(entry.key.start.line...max(last, entry.key.start.line))
        }
      }
      out[path] = lines
    }
    return out
  }

  /// At most this many findings about an edit's result are reported (the rest: `validate`).
  static let reportedLimit = 20

  /// The findings about a written file that an edit reports (the rest `validate` shows).
  static let reportedCodes: Set<String> = [
    "cloud-init-owned", "shadowed-by-run", "networkmanager-owned", "passthrough-shadows", "address-on-member",
    "gateway-off-subnet",
  ]

  // MARK: Finishing

  /// The configuration as it would be after the edits.
  public var result: NetplanConfiguration { original.replacing(edited) }

  /// Frees the first reading's merged view (`original.merged` and its devices are empty
  /// afterwards), for a plan that has read all it needs from it before making its edits: their
  /// new trees then reuse its memory instead of adding to it (tens of MiB at 10,000 devices).
  public mutating func releaseMergedView() { original.release(parsedFiles: []) }

  /// Checks the result and returns the files to write. `verify` names the intended values
  /// that are not in force in the result (shadowed by /run or /lib, or overridden later).
  /// The first reading's merged view and the edited files' first trees are freed before the
  /// result is merged (`original` keeps its files and the other trees).
  public mutating func finish(verify: (NetplanConfiguration) -> [String]) throws(EditError) -> ChangeSet {
    original.release(parsedFiles: edited.keys)
    // While the result is checked (the command's peak of memory), the edited files' first
    // texts are kept as what the edits replaced: a large file is not held twice.
    let setAside = setAsideFirstTexts()
    let checked = Result { () throws(EditError) in try check(result, verify: verify) }
    putBack(setAside)
    var notes = try checked.get()
    var files: [FileChange] = []
    for (path, bytes) in contents.sorted(by: { $0.key < $1.key }) {
      let source = original.hierarchy.files.first { $0.path == path }
      guard source?.bytes != bytes else { continue }
      if source?.info?.isSymlink == true {
        throw EditError(
          .failure, "\(path) is a symbolic link; netcfg does not write through links (edit its target, or name another file with --file)")
      }
      let mode = Self.mode(source)
      if let old = source?.info?.mode, old != mode {
        notes.append(
          .warning(
            "\(path) was readable by others (mode \(String(old, radix: 8))); netcfg writes it with mode \(String(mode, radix: 8))",
            code: "file-mode", at: SourceLocation(file: path, line: 1, column: 1)))
      }
      files.append(
        FileChange(
          path: path, before: source?.bytes, after: bytes, mode: mode,
          owner: source?.info.map { ($0.owner, $0.group) }, modeOnly: false))
    }
    return ChangeSet(files: files, diagnostics: notes)
  }

  /// netplan files can hold secrets (and netplan warns otherwise): written 0600 (or less).
  private static func mode(_ source: NetplanSourceFile?) -> mode_t { (source?.info?.mode ?? 0o600) & ~0o077 }

  /// The file `finish` writes when the result passes its checks, for an edit that changes
  /// one existing file (not a link) and no other; nil for any other edit. Read before
  /// `finish`, so that the file can be written beside its place while the result is checked.
  public func singleFileChange() -> (path: String, bytes: [UInt8], mode: mode_t, owner: (uid_t, gid_t)?)? {
    let changed = contents.filter { path, bytes in original.hierarchy.files.first { $0.path == path }?.bytes != bytes }
    guard changed.count == 1, let (path, bytes) = changed.first,
      let source = original.hierarchy.files.first(where: { $0.path == path }), let info = source.info, !info.isSymlink
    else { return nil }
    return (path, bytes, Self.mode(source), (info.owner, info.group))
  }

  /// The notes an edit reports about `after`, the result; throws when it is invalid or the
  /// intended values would not be in force.
  private func check(_ after: NetplanConfiguration, verify: (NetplanConfiguration) -> [String]) throws(EditError) -> [Diagnostic] {
    let errors = after.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
      throw EditError(
        .invalid, "the resulting configuration would be invalid; nothing was written", diagnostics: errors)
    }
    var notes = self.notes
    let missing = verify(after)
    if !missing.isEmpty {
      let message = "this edit would not take effect: " + missing.joined(separator: "; ")
      let hint = "a file read after the one edited (often in /run/netplan) sets these; `netcfg explain KEY` shows which"
      if chosenFile == nil {
        throw EditError(.failure, message + "; nothing was written (name the file to write anyway with --file)",
          diagnostics: [.error(message, code: "no-effect", notes: [hint])])
      }
      notes.append(.warning(message, code: "no-effect", notes: [hint]))
    }
    // Files netcfg does not write that set the same keys: say so.
    var told: Set<String> = []
    for file in original.hierarchy.files where file.directory != .etc {
      guard let doc = original.parsed[file.path], let root = doc.root else { continue }
      for path in touched where root.node(at: path) != nil && !told.contains(file.path + path.description) {
        told.insert(file.path + path.description)
        notes.append(
          Diagnostic(
            .note, "\(path) is also set in \(file.path), which netcfg does not edit; `netcfg explain \(path)` shows which value is in force",
            code: "also-set-outside-etc", at: SourceLocation(file: file.path, line: root.node(at: path)!.start.line, column: root.node(at: path)!.start.column)))
      }
    }
    // What `validate` would say about the definitions edited, and what the operator should
    // know about the files written (cloud-init, NetworkManager, /run).
    let spans = editedSpans()
    var seen = Set(notes)
    var more = 0
    for d in after.diagnostics where d.severity != .error && d.code != "file-mode" {
      guard let location = d.location, let lines = spans[location.file] else { continue }
      guard lines.contains(location.line) || NetplanEditor.reportedCodes.contains(d.code), seen.insert(d).inserted else { continue }
      if seen.count > NetplanEditor.reportedLimit + self.notes.count { more += 1 } else { notes.append(d) }
    }
    if more > 0 {
      notes.append(.note("\(more) more finding\(more == 1 ? "" : "s") about the edited definitions: `netcfg validate` lists them all", code: "more-findings"))
    }
    return notes
  }

  /// Replaces the bytes of each edited file in `original.hierarchy` by nothing, returning
  /// what turns its current text back into them.
  private mutating func setAsideFirstTexts() -> [(index: Int, patch: TextPatch)] {
    var out: [(index: Int, patch: TextPatch)] = []
    for (i, file) in original.hierarchy.files.enumerated() {
      guard let current = edited[file.path]?.source.bytes else { continue }
      out.append((i, TextPatch.restoring(file.bytes, from: current)))
      original.hierarchy.files[i].bytes = []
    }
    return out
  }

  private mutating func putBack(_ setAside: [(index: Int, patch: TextPatch)]) {
    for (i, patch) in setAside {
      original.hierarchy.files[i].bytes = patch.applied(to: edited[original.hierarchy.files[i].path]!.source.bytes)
    }
  }
}
