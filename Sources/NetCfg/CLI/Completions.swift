/// The commands as the completion scripts need them: each visible command's path, its
/// subcommands and its options.
struct CompletionTree {
  struct Node {
    let path: [String]
    let abstract: String
    let subcommands: [String]
    let options: [Parameter]
  }

  private(set) var nodes: [Node] = []

  init(_ root: any Command.Type) { add(root, path: []) }

  private mutating func add(_ command: any Command.Type, path: [String]) {
    let visible = command.info.subcommands.filter { !$0.info.hidden }
    nodes.append(
      Node(
        path: path, abstract: command.info.abstract, subcommands: visible.map { $0.info.name },
        options: command.parameters.filter { !$0.kind.isPositional }))
    for sub in visible { add(sub, path: path + [sub.info.name]) }
  }

  /// `--name` and `-x` of a node's options, with --help (and --version at the top).
  static func words(_ node: Node) -> [String] {
    var words = node.subcommands
    for option in node.options {
      words.append("--" + option.name)
      if let short = option.short { words.append("-\(short)") }
    }
    return words + (node.path.isEmpty ? ["--help", "--version"] : ["--help"])
  }

  /// Options whose value is a file or directory name.
  static let pathOptions: Set<String> = ["root", "file"]
}

/// Shell completion scripts.
enum Completions {
  static func bash(_ tree: CompletionTree) -> String {
    var transitions: [String] = []
    var cases: [String] = []
    for node in tree.nodes {
      let key = node.path.joined(separator: " ")
      for sub in node.subcommands { transitions.append("      \"\(key):\(sub)\") cmd=\"\(key.isEmpty ? sub : key + " " + sub)\" ;;") }
      cases.append("    \"\(key)\") words=\"\(CompletionTree.words(node).joined(separator: " "))\" ;;")
    }
    var values: [String] = []
    var seen: Set<String> = []
    for node in tree.nodes {
      for option in node.options where !option.choices.isEmpty && seen.insert(option.name).inserted {
        values.append("    --\(option.name)) COMPREPLY=($(compgen -W \"\(option.choices.joined(separator: " "))\" -- \"$cur\")); return ;;")
      }
    }
    let paths = CompletionTree.pathOptions.sorted().map { "--" + $0 }.joined(separator: "|")
    return """
      # bash completion for netcfg (netcfg --generate-completion-script bash)
      _netcfg() {
        local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" words="" i
        for ((i = 1; i < COMP_CWORD; i++)); do
          case "$cmd:${COMP_WORDS[i]}" in
      \(transitions.joined(separator: "\n"))
          esac
        done
        case "$prev" in
      \(values.joined(separator: "\n"))
          \(paths)) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        esac
        case "$cmd" in
      \(cases.joined(separator: "\n"))
        esac
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
      }
      complete -o default -F _netcfg netcfg

      """
  }

  static func zsh(_ tree: CompletionTree) -> String {
    var transitions: [String] = []
    var cases: [String] = []
    for node in tree.nodes {
      let key = node.path.joined(separator: " ")
      for sub in node.subcommands { transitions.append("      \"\(key):\(sub)\") cmd=\"\(key.isEmpty ? sub : key + " " + sub)\" ;;") }
      cases.append("    \"\(key)\") compadd -- \(CompletionTree.words(node).joined(separator: " ")) ;;")
    }
    return """
      #compdef netcfg
      # zsh completion for netcfg (netcfg --generate-completion-script zsh)
      _netcfg() {
        local cmd="" i
        for ((i = 2; i < CURRENT; i++)); do
          case "$cmd:${words[i]}" in
      \(transitions.joined(separator: "\n"))
          esac
        done
        case "${words[CURRENT-1]}" in
          --root|--file) _files; return ;;
        esac
        case "$cmd" in
      \(cases.joined(separator: "\n"))
        esac
      }
      _netcfg "$@"

      """
  }

  static func fish(_ tree: CompletionTree) -> String {
    func quoted(_ text: String) -> String {
      "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "\\'") + "'"
    }
    let groups = tree.nodes.filter { !$0.subcommands.isEmpty && !$0.path.isEmpty }
    func condition(_ path: [String]) -> String {
      if path.isEmpty {
        return "__fish_use_subcommand"
      }
      var parts = path.map { "__fish_seen_subcommand_from \($0)" }
      if path.count == 1 {
        // A top-level command named like a subcommand of a group (`set`, `dns set`).
        for group in groups where group.subcommands.contains(path[0]) { parts.append("not __fish_seen_subcommand_from \(group.path[0])") }
      }
      return parts.joined(separator: "; and ")
    }
    var lines = ["# fish completion for netcfg (netcfg --generate-completion-script fish)", "complete -c netcfg -f"]
    for node in tree.nodes {
      for sub in tree.nodes where sub.path.count == node.path.count + 1 && Array(sub.path.dropLast()) == node.path {
        var test = condition(node.path)
        if !node.path.isEmpty { test += "; and not __fish_seen_subcommand_from " + node.subcommands.joined(separator: " ") }
        lines.append("complete -c netcfg -n \(quoted(test)) -a \(sub.path.last!) -d \(quoted(sub.abstract))")
      }
      for option in node.options {
        var line = "complete -c netcfg -n \(quoted(condition(node.path))) -l \(option.name)"
        if let short = option.short { line += " -s \(short)" }
        if option.kind.takesValue {
          line += CompletionTree.pathOptions.contains(option.name) ? " -r -F" : " -r"
          if !option.choices.isEmpty { line += " -a \(quoted(option.choices.joined(separator: " ")))" }
        }
        lines.append(line + " -d \(quoted(option.help))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
