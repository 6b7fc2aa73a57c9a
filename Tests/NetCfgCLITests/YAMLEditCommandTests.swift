import Foundation
import Testing

@Suite struct YAMLEditCommandTests {
  @Test func diffThenWriteThenUnchanged() throws {
    let root = try Root(["/f.yaml": "# keep me\nnetwork:\n  version: 2  # two\n"])
    let file = root.path + "/f.yaml"
    let dry = try CLI.run(["yaml-edit", file, "network.renderer=networkd"])
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("+  renderer: networkd\n"))
    #expect(try root.read("/f.yaml") == "# keep me\nnetwork:\n  version: 2  # two\n")
    let write = try CLI.run(["yaml-edit", file, "network.renderer=networkd", "--write"])
    #expect(write.status == 0)
    #expect(try root.read("/f.yaml") == "# keep me\nnetwork:\n  version: 2  # two\n  renderer: networkd\n")
    let again = try CLI.run(["yaml-edit", file, "network.renderer=networkd"])
    #expect(again.stdout == "unchanged\n")
  }

  @Test func invalidYAMLIsRefusedWithALocatedError() throws {
    let root = try Root(["/f.yaml": "a: [1, 2\n"])
    let result = try CLI.run(["yaml-edit", root.path + "/f.yaml", "a=3"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("f.yaml:2:1: error:"))
  }
}
