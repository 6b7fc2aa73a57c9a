/// What netcfg runs to make the configuration on disk take effect: data, so that `--dry-run`
/// can print it and tests can read it.
public enum BackendStep: Sendable, Equatable, CustomStringConvertible {
  /// `netplan generate --root-dir ROOT`: render only (images, `--root`).
  case netplanGenerate(root: String)
  /// `netplan apply`: render and reconfigure networkd or NetworkManager.
  case netplanApply
  /// `systemctl restart systemd-resolved`: after its configuration changed.
  case restartResolved

  public var arguments: [String] {
    switch self {
    case .netplanGenerate(let root): return ["netplan", "generate", "--root-dir", root]
    case .netplanApply: return ["netplan", "apply"]
    case .restartResolved: return ["systemctl", "restart", "systemd-resolved"]
    }
  }

  public var description: String { arguments.joined(separator: " ") }

  /// The steps for a change of `paths` (resolved restarted only when its files changed).
  public static func plan(for paths: [String], root: String) -> [BackendStep] {
    if root != "/" { return [.netplanGenerate(root: root)] }
    var steps: [BackendStep] = [.netplanApply]
    if paths.contains(where: { $0.hasPrefix("/etc/systemd/resolved.conf") || $0 == ResolvConf.path }) {
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
      do {
        let result = try runner.run(step.arguments[0], Array(step.arguments.dropFirst())) {
          FaultPoint.reached("backend-started")
        }
        output += result.stderrText
        if !result.succeeded { return (false, output + "\(step) exited \(result.status)\n") }
      } catch {
        return (false, output + "\(error)\n")
      }
    }
    return (true, output)
  }
}
