import CYAML

#if canImport(Glibc)
  import Glibc
#endif

// Reads the command line as netcfg does and exits; libyaml is linked (and so loaded) as in
// netcfg: its version is asked for only when no argument is given, which `make bench` never does.
let arguments = CommandLine.arguments.dropFirst()
if arguments.isEmpty {
  print(String(cString: yaml_get_version_string()))
  exit(64)
}
exit(arguments.contains("--help") ? 1 : 0)
