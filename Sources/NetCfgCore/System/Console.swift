#if canImport(Glibc)
  import Glibc
#endif

/// Raw writes to the standard streams, for the executable (libraries never print).
public enum FileHandleWriter {
  public static func stderr(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }
}
