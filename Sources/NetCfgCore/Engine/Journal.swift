/// What a transaction notes in its journal beside the before-state, so that recovery finishes
/// its work as the transaction itself would have: whether the backend ever ran (a crash
/// before it left the interfaces untouched) and the checks the restored state must pass.
enum JournalKey {
  /// The kernel's boot id when the journal was written: a reboot since then rendered the
  /// files on disk at boot, whatever the transaction got to.
  static let boot = "boot"
  /// The backend steps, noted before the first one starts (one `BackendStep.journalName` a line).
  static let backend = "backend"
  /// The checks the restored state must pass (one `Check.encoded` a line; empty: none, as
  /// with `--no-verify` or `--root`), and how long to wait for them.
  static let checks = "verify-checks"
  static let timeout = "verify-timeout"
  /// A `try`'s deadline: seconds since the epoch, and on the boot clock of boot `boot`.
  static let deadline = "deadline"
  static let deadlineBoot = "deadline-boottime"
}

/// The id of the running kernel's boot (`/proc/sys/kernel/random/boot_id`), nil when unknown.
func currentBootID() -> String? {
  guard let bytes = try? FileSystem(root: "/").read("/proc/sys/kernel/random/boot_id") else { return nil }
  let text = String(decoding: bytes.filter { $0 > 32 }, as: UTF8.self)
  return text.isEmpty ? nil : text
}

extension BackendStep {
  /// The step's name in a journal (the root of `netplan generate` is the journal's own).
  var journalName: String {
    switch self {
    case .netplanGenerate: return "netplan-generate"
    case .netplanApply: return "netplan-apply"
    case .restartResolved: return "restart-resolved"
    case .resolvedFollowsResolvConf: return "resolved-follows-resolv-conf"
    }
  }

  init?(journalName: String, root: String) {
    switch journalName {
    case "netplan-generate": self = .netplanGenerate(root: root)
    case "netplan-apply": self = .netplanApply
    case "restart-resolved": self = .restartResolved
    case "resolved-follows-resolv-conf": self = .resolvedFollowsResolvConf
    default: return nil
    }
  }
}
