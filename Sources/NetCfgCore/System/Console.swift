#if canImport(Glibc)
  import Glibc
#endif
import CSystemCalls

/// Raw writes to the standard streams, for the executable (libraries never print).
public enum FileHandleWriter {
  public static func stderr(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }

  /// Bytes to stdout through the stream `print` writes to (its buffer, its order).
  public static func stdout(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { netcfg_write_stdout($0.baseAddress, $0.count) }
  }
}
