// swift-tools-version:6.0
// The floor of a netcfg command (make bench): a Swift program built and linked like
// `make release` links netcfg (the Swift runtime linked in, libyaml loaded) that reads its
// command line and does nothing else: the start-up every netcfg command pays.
import PackageDescription

let package = Package(
  name: "swift-floor",
  targets: [
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1"),
    .executableTarget(name: "SwiftFloor", dependencies: ["CYAML"]),
  ],
  swiftLanguageModes: [.v6]
)
