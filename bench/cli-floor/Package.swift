// swift-tools-version:6.0
// The floor of a netcfg command line (make bench): a Swift program, statically linked like
// `make release` links netcfg, that parses `set-ip`'s command line with the same
// swift-argument-parser and the same options, and does nothing else.
import PackageDescription

let package = Package(
  name: "cli-floor",
  dependencies: [.package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")],
  targets: [
    .executableTarget(
      name: "CLIFloor", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")])
  ],
  swiftLanguageModes: [.v6]
)
