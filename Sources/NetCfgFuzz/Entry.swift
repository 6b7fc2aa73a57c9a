#if canImport(Glibc)
import Glibc
#endif

// Built two ways. `make fuzz` passes -sanitize=fuzzer and -DNETCFG_LIBFUZZER: main hands
// control to libFuzzer (LLVMFuzzerRunDriver), which calls FuzzTarget.run for each input. A
// plain `swift build` gets a main that runs the files named on the command line through the
// same target (to replay an input without libFuzzer) and needs no fuzzer runtime.

#if NETCFG_LIBFUZZER
import NetCfgFuzzDriver

/// What libFuzzer calls for each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzTarget.run(size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : [])
  return 0
}

@main
struct FuzzMain {
  static func main() {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
  }
}
#else
@main
struct ReplayMain {
  static func main() {
    let paths = CommandLine.arguments.dropFirst()
    if paths.isEmpty {
      printError("usage: netcfg-fuzz FILE... (replays inputs; `make fuzz` builds the libFuzzer target)")
      exit(64)
    }
    for path in paths {
      guard let bytes = readAll(path) else {
        printError("netcfg-fuzz: cannot read \(path)")
        exit(1)
      }
      FuzzTarget.run(bytes)
      print("ok \(path)")
    }
  }

  static func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, f)
      if n <= 0 { break }
      out += buffer[0..<n]
    }
    return out
  }
}
#endif
