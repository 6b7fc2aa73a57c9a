import Foundation
import Testing
@testable import NetCfgCore

/// Inputs `make fuzz` found that crashed the netplan layer (Tests/Fixtures/fuzz).
@Suite struct NetplanFuzzRegressionTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/fuzz")

  /// A recursive alias overflowed the stack in the merger (every alias followed forever);
  /// now the file is refused with a located error and the rest of the hierarchy still loads.
  @Test func recursiveAliasIsAnErrorNotACrash() throws {
    let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("recursive-alias.yaml")))
    let path = "/etc/netplan/50-fuzz.yaml"
    let config = NetplanConfiguration.load(NetplanHierarchy(files: [])).replacing([path: bytes])
    let errors = config.diagnostics.filter { $0.severity == .error }
    #expect(errors.contains { $0.message.contains("recursive alias") && $0.location?.file == path && $0.location?.line == 7 })
  }
}
