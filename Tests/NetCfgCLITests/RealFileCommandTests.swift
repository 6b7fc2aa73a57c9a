import Foundation
import Testing

/// The edit commands on files as operators have them: NetworkManager's own files, bridge
/// members, keys already saying what is asked.
@Suite struct RealFileCommandTests {
  static let nmName = "/etc/netplan/90-NM-4a9b1c2d-1111-2222-3333-444455556666.yaml"
  static let nmFile = """
    network:
      version: 2
      ethernets:
        NM-4a9b1c2d-1111-2222-3333-444455556666:
          renderer: NetworkManager
          match:
            name: "enp1s0"
          addresses:
          - "192.168.2.44/24"
          networkmanager:
            uuid: "4a9b1c2d-1111-2222-3333-444455556666"
            name: "Wired connection 1"
            passthrough:
              ipv4.address1: "192.168.2.44/24,192.168.2.1"
              ipv4.method: "manual"

    """

  @Test func theIdShowPrintsIsTheIdSetIPTakes() throws {
    let root = try Root([Self.nmName: Self.nmFile])
    let show = try CLI.run(["show", "--root", root.path])
    let id = try #require(show.stdout.split(separator: " ").first.map(String.init))
    #expect(id == "NM-4a9b1c2d-1111-2222-3333-444455556666")
    let edit = try CLI.run(["set-ip", "--root", root.path, id, "192.168.2.50/24", "--gateway", "192.168.2.1"])
    #expect(edit.status == 0, "\(edit.stderr)")
    #expect(edit.stdout.contains("-          ipv4.address1: \"192.168.2.44/24,192.168.2.1\"\n"))
    #expect(edit.stderr.contains("is written by NetworkManager"))
    let text = try root.read(Self.nmName)
    #expect(!text.contains("ipv4.address1") && text.contains("ipv4.method: \"manual\""))
    #expect(try CLI.run(["validate", "--root", root.path]).stdout.contains("0 errors, 0 warnings"))
  }

  @Test func showAndValidateSayWherePassthroughOverridesNetplan() throws {
    let root = try Root([Self.nmName: Self.nmFile.replacingOccurrences(of: "- \"192.168.2.44/24\"", with: "- \"192.168.2.45/24\"")])
    let show = try CLI.run(["show", "--root", root.path])
    #expect(show.stdout.contains("warning: passthrough ipv4.address1 = \"192.168.2.44/24,192.168.2.1\" overrides addresses 192.168.2.45/24"))
    let validate = try CLI.run(["validate", "--root", root.path])
    #expect(validate.status == 0)
    #expect(validate.stderr.contains("\(Self.nmName):14:11: warning:"), "\(validate.stderr)")
  }

  static let bridge = """
    network:
      version: 2
      ethernets:
        eno1:
          dhcp4: no
      bridges:
        br0:
          interfaces: [eno1]
          addresses: [192.168.1.10/24]

    """

  @Test func aBridgeMemberNeedsForce() throws {
    let root = try Root(["/etc/netplan/01-kvm.yaml": Self.bridge])
    let refused = try CLI.run(["set-ip", "--root", root.path, "eno1", "192.168.1.11/24"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("eno1 is a member of bridge br0 (/etc/netplan/01-kvm.yaml:8:20)"))
    #expect(try root.read("/etc/netplan/01-kvm.yaml") == Self.bridge)
    let gateway = try CLI.run(["gateway", "--root", root.path, "eno1", "192.168.1.1"])
    #expect(gateway.status == 64)
    let forced = try CLI.run(["set-ip", "--root", root.path, "eno1", "192.168.1.11/24", "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stderr.contains("warning: eno1: addresses on a member of bridge br0"))
  }

  @Test func keysThatAlreadySayItStayAsWritten() throws {
    let root = try Root(["/etc/netplan/01-kvm.yaml": Self.bridge])
    for arguments in [["dhcp", "eno1", "--off"], ["dhcp", "br0", "--off"], ["set-ip", "br0", "192.168.1.10/24"]] {
      let run = try CLI.run([arguments[0], "--root", root.path] + arguments.dropFirst())
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      #expect(run.stdout == "unchanged\n", "\(arguments) wrote: \(run.stdout)")
    }
    #expect(try root.read("/etc/netplan/01-kvm.yaml") == Self.bridge)
  }
}
