/// The real netplan's verdict on a hierarchy: `netplan generate --root-dir` on a scratch copy
/// of its files (so nothing of the host, or of the root being checked, is touched).
public struct NetplanVerdict: Sendable {
  public var status: Int32
  public var stderr: String
  public var accepted: Bool { status == 0 }
}

public enum NetplanGenerate {
  /// Runs `netplan generate` on a copy of `hierarchy` (files in force and shadowed ones, so
  /// netplan sees the same layering).
  public static func verdict(
    _ hierarchy: NetplanHierarchy, runner: ProcessRunner = ProcessRunner()
  ) throws -> NetplanVerdict {
    let scratch = try ScratchDirectory(prefix: "netcfg-generate")
    defer { scratch.remove() }
    for file in hierarchy.files + hierarchy.shadowed {
      try scratch.write(file.path, file.bytes, mode: 0o600)
    }
    let result = try runner.run("netplan", ["generate", "--root-dir", scratch.path])
    // Paths in messages point into the scratch copy: show them as paths of the root.
    let stderr = result.stderrText.replacingAll(scratch.path, with: "")
    return NetplanVerdict(status: result.status, stderr: stderr)
  }
}

extension String {
  /// Every occurrence of `target` replaced (byte-wise, no Foundation).
  func replacingAll(_ target: String, with replacement: String) -> String {
    let bytes = Array(utf8), needle = Array(target.utf8), with = Array(replacement.utf8)
    guard !needle.isEmpty, bytes.count >= needle.count else { return self }
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      if i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) {
        out += with
        i += needle.count
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
