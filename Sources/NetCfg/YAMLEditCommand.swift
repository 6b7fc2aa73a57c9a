import NetCfgCore
import NetCfgYAML

/// `netcfg yaml-edit FILE EDIT...`: the document layer on its own, on any YAML file. Shows
/// the minimal diff an edit makes (and writes it with `--write`).
struct YAMLEditCommand: Command {
  static let info = CommandInfo(
    name: "yaml-edit",
    abstract: "Edit any YAML file by path, keeping comments and layout; print the diff.",
    discussion: """
      EDIT is PATH=VALUE (set), PATH+=VALUE (append to a list), PATH-=VALUE (remove from a \
      list); --unset PATH removes a key or item. VALUE is YAML flow syntax. Paths are dotted, with \
      [N] for list items and "quotes" for keys holding dots: ethernets.eth0.addresses[0].
      """
  )

  var file = ""
  var edits: [String] = []
  var unset: [String] = []
  var write = false
  var json = false

  init(_ a: inout Arguments) throws(UsageError) {
    file = a.argument("file", help: "The YAML file.")
    edits = a.arguments("edits", help: "Edits, applied in order.")
    unset = a.options("unset", help: "Remove a key or list item (before the other edits).")
    write = a.flag("write", help: "Write the result (atomically) instead of only printing the diff.")
    json = a.flag("json", help: "Machine-readable output: {\"changed\", \"written\", \"diff\"}.")
  }

  func run() throws {
    let fs = FileSystem()
    guard let bytes = try fs.read(file) else { throw failure("\(file): no such file") }
    do {
      let parsed = try YAMLFile(name: file, bytes: bytes)
      var list: [YAMLEdit] = []
      for text in unset {
        do { list.append(.remove(try YAMLPath.parse(text))) } catch { throw failure(error.description) }
      }
      for text in edits { list.append(try YAMLEdit.parseAssignment(text)) }
      let result = try parsed.edited(list)
      let shown = file.hasPrefix("/") ? String(file.dropFirst()) : file
      let diff = LineDiff.unified(bytes, result.source.bytes, oldName: "a/" + shown, newName: "b/" + shown)
      if write && !diff.isEmpty {
        // Written in place of the file itself, with its own mode and owner: never through a link.
        if fs.isSymlink(file) {
          throw failure("\(file) is a symbolic link; netcfg does not write through links (edit its target: \(fs.linkTarget(file) ?? "?"))")
        }
        try fs.writeAtomically(file, result.source.bytes, mode: (fs.mode(file) ?? 0o600) & 0o7777, owner: fs.owner(file))
      }
      if json {
        print(JSONValue.object([
          ("changed", .bool(!diff.isEmpty)), ("written", .bool(write && !diff.isEmpty)), ("diff", .string(diff)),
        ]).serialized())
      } else {
        print(diff.isEmpty ? "unchanged\n" : diff, terminator: "")
      }
    } catch let error as YAMLError {
      printError(error.description)
      throw ExitCode(65)
    }
  }
}

func printError(_ text: String) {
  var stderr = StandardError()
  print(text, to: &stderr)
}

func failure(_ text: String) -> ExitCode {
  printError("netcfg: " + text)
  return ExitCode(1)
}

struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandleWriter.stderr(string)
  }
}
