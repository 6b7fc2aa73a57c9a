import CSystemCalls

/// How the process gives memory back to the system.
public enum ProcessMemory {
  /// Freed memory at the top of the heap goes back to the system from 128 KiB on. glibc's
  /// own threshold climbs with every large block freed (up to 64 MiB), and a command that
  /// frees much and then allocates anew keeps both sets of pages resident: an edit (its first
  /// reading freed, then the result merged and checked) peaked about 1 MiB higher at 10,000
  /// devices (`set-ip`, peak RSS in BENCHMARKS.md). Process-wide, for the rest of the run.
  public static func returnFreedMemoryEarly() {
    _ = netcfg_set_trim_threshold(128 * 1024)
  }
}
