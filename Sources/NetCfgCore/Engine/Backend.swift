/// What netcfg runs to make the configuration on disk take effect: data, so that `--dry-run`
/// can print it and tests can read it.
public enum BackendStep: Sendable, Equatable, CustomStringConvertible {
  /// `netplan generate --root-dir ROOT`: render only (images, `--root`).
  case netplanGenerate(root: String)
  /// `netplan apply`: render and reconfigure networkd or NetworkManager.
  case netplanApply
  /// `systemctl restart systemd-resolved`: after its configuration changed.
  case restartResolved
  /// systemd-resolved as /etc/resolv.conf now asks, decided when it runs: enabled and
  /// restarted when resolv.conf links to it; stopped and disabled when netcfg's static file
  /// replaced that link (`dns set --method resolv-conf`), so that nothing answers on
  /// 127.0.0.53 behind the file's back. The same step serves a change and its rollback.
  case resolvedFollowsResolvConf

  public var arguments: [String] {
    switch self {
    case .netplanGenerate(let root): return ["netplan", "generate", "--root-dir", root]
    case .netplanApply: return ["netplan", "apply"]
    case .restartResolved: return ["systemctl", "restart", "systemd-resolved"]
    case .resolvedFollowsResolvConf: return ["systemctl", "enable|disable", "systemd-resolved"]
    }
  }

  public var description: String {
    self == .resolvedFollowsResolvConf
      ? "systemctl enable --now or disable --now systemd-resolved (as /etc/resolv.conf asks)"
      : arguments.joined(separator: " ")
  }

  /// The steps for a change of `paths` (resolved restarted only when its files changed).
  public static func plan(for paths: [String], root: String) -> [BackendStep] {
    if root != "/" { return [.netplanGenerate(root: root)] }
    var steps: [BackendStep] = [.netplanApply]
    if paths.contains(ResolvConf.path) {
      steps.append(.resolvedFollowsResolvConf)
    } else if paths.contains(where: { $0.hasPrefix("/etc/systemd/resolved.conf") }) {
      steps.append(.restartResolved)
    }
    return steps
  }

  /// Where `netplan generate --root-dir` reads and writes below the root (besides the
  /// netplan files themselves).
  static let generatePaths = [
    "/etc", "/etc/netplan", "/lib", "/lib/netplan", "/usr", "/usr/lib", "/usr/lib/netplan", "/run", "/run/netplan",
    "/run/systemd", "/run/systemd/network", "/run/systemd/system", "/run/NetworkManager",
    "/run/NetworkManager/system-connections", "/run/NetworkManager/conf.d", "/run/udev", "/run/udev/rules.d",
  ]

  /// The paths below a `--root` that the program would follow out of it through a symbolic
  /// link (it runs outside netcfg's root-confined file access): a run must be refused.
  public static func escapingPaths(_ fs: FileSystem) -> [String] {
    guard fs.root != "/" else { return [] }
    var paths = generatePaths
    for directory in NetplanDirectory.allCases {
      for name in ((try? fs.list(directory.rawValue)) ?? nil) ?? [] where name.hasSuffix(".yaml") {
        paths.append(directory.rawValue + "/" + name)
      }
    }
    return paths.filter(fs.escapesRoot)
  }

  /// Runs the steps in order; the first failure stops them.
  public static func run(_ steps: [BackendStep], _ runner: ProcessRunner) -> (ok: Bool, output: String) {
    var output = ""
    for step in steps {
      // `netplan generate --root-dir` runs outside netcfg's confined file access: never when
      // a path below the root leads out of it (whoever runs it: a transaction, a recovery).
      if case .netplanGenerate(let root) = step {
        let escaping = escapingPaths(FileSystem(root: root))
        if !escaping.isEmpty {
          return (false, output + "\(escaping.joined(separator: ", ")) below \(root) lead out of it through a symbolic link; `\(step)` was not run\n")
        }
      }
      let commands = step == .resolvedFollowsResolvConf ? resolvedCommands(runner) : [step.arguments]
      for command in commands {
        do {
          let result = try runner.run(command[0], Array(command.dropFirst())) {
            FaultPoint.reached("backend-started")
          }
          output += result.stderrText
          if !result.succeeded { return (false, output + "\(command.joined(separator: " ")) exited \(result.status)\n") }
        } catch {
          return (false, output + "\(error)\n")
        }
      }
    }
    return (true, output)
  }

  /// What `.resolvedFollowsResolvConf` runs, from /etc/resolv.conf as it is now.
  static func resolvedCommands(_ runner: ProcessRunner) -> [[String]] {
    let conf = ResolvConf.load(FileSystem(root: "/"))
    switch conf.mode {
    case .stub, .uplink:
      return [["systemctl", "enable", "systemd-resolved"], ["systemctl", "restart", "systemd-resolved"]]
    case .static where conf.owner == "netcfg":
      let active = (try? runner.run("systemctl", ["is-active", "--quiet", "systemd-resolved"]))?.succeeded == true
      let enabled = (try? runner.run("systemctl", ["is-enabled", "systemd-resolved"]))?.stdoutText.hasPrefix("enabled") == true
      return active || enabled ? [["systemctl", "disable", "--now", "systemd-resolved"]] : []
    default:
      return []
    }
  }
}
