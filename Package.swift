// swift-tools-version:6.0
import PackageDescription

// The shipped code uses no Swift concurrency (async, actors, Dispatch): its threads are
// pthreads (NetCfgYAML's Concurrently.swift). Without the implicit `import _Concurrency`
// the binary links neither the concurrency runtime nor the libdispatch it needs, whose
// initialiser ran at every start (reading /sys/devices/system/cpu/possible twice) and
// whose code made the binary 1.1 MB larger.
let noConcurrency: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-implicit-concurrency-module-import"])]

let package = Package(
  name: "netcfg",
  products: [
    .executable(name: "netcfg", targets: ["NetCfg"]),
    .library(name: "NetCfgCore", targets: ["NetCfgCore"]),
    // libFuzzer target over parse -> edit -> re-parse proof (`make fuzz`); a plain build
    // gives a replayer of saved inputs instead.
    .executable(name: "netcfg-fuzz", targets: ["NetCfgFuzz"]),
  ],
  targets: [
    // The only C dependency: Debian's libyaml-dev. Only NetCfgYAML imports it.
    .systemLibrary(
      name: "YAMLBridge",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // The system calls Swift cannot make directly (openat2, variadic openat, thread placement).
    .target(name: "CSystemCalls"),
    // The system D-Bus through libsystemd's sd-bus (Debian's libsystemd-dev for its header;
    // libsystemd0, which every systemd host has, opened when first needed): `status` and
    // verification ask resolved, networkd.
    .target(name: "CDBus"),
    // YAML documents with source ranges and comment-preserving, proven edits.
    .target(name: "NetCfgYAML", dependencies: ["YAMLBridge", "CSystemCalls"], swiftSettings: noConcurrency),
    // Everything above the YAML layer: netplan, resolver, engine, system seams.
    .target(name: "NetCfgCore", dependencies: ["NetCfgYAML", "CSystemCalls", "CDBus"], swiftSettings: noConcurrency),
    .executableTarget(
      name: "NetCfg",
      dependencies: ["NetCfgCore"],
      swiftSettings: noConcurrency
    ),
    .target(name: "NetCfgFuzzDriver"),
    .executableTarget(name: "NetCfgFuzz", dependencies: ["NetCfgCore", "NetCfgYAML", "NetCfgFuzzDriver"]),
    // Test tooling: the real netplan generators (0.106 and a 1.1.2 built for the tests).
    .target(name: "NetplanTestSupport", path: "Tests/Support"),
    .testTarget(name: "NetCfgYAMLTests", dependencies: ["NetCfgYAML"]),
    .testTarget(name: "NetCfgCoreTests", dependencies: ["NetCfgCore", "NetplanTestSupport"]),
    // Runs the built `netcfg` binary (make test builds it first).
    .testTarget(name: "NetCfgCLITests", dependencies: ["NetplanTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
