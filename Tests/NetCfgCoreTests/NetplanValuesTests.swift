import Testing
@testable import NetCfgCore

@Suite struct NetplanValuesTests {
  @Test(arguments: ["192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.10"])
  func validIPv4(_ text: String) { #expect(IPv4Address(text)?.description == text) }

  @Test(arguments: ["192.0.2", "192.0.2.1.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "", "a.b.c.d", " 1.2.3.4"])
  func invalidIPv4(_ text: String) { #expect(IPv4Address(text) == nil) }

  @Test func ipv6ParsesAndPrintsCanonically() {
    #expect(IPv6Address("2001:db8::1")?.description == "2001:db8::1")
    #expect(IPv6Address("2001:0DB8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
    #expect(IPv6Address("::")?.description == "::")
    #expect(IPv6Address("::1")?.description == "::1")
    #expect(IPv6Address("fe80::")?.description == "fe80::")
    #expect(IPv6Address("::ffff:192.0.2.1")?.description == "::ffff:c000:201")
    #expect(IPv6Address("1:0:0:1:0:0:0:1")?.description == "1:0:0:1::1")
  }

  @Test(arguments: ["2001:db8:::1", "1:2:3:4:5:6:7:8:9", "12345::1", "1:2:3:4:5:6:7", "g::1", "::1::", ":1::2", "1.2.3.4::"])
  func invalidIPv6(_ text: String) { #expect(IPv6Address(text) == nil) }

  @Test func interfaceAddressesFollowNetplan() {
    #expect(InterfaceAddress("192.0.2.10/24")?.network == IPAddress("192.0.2.0"))
    #expect(InterfaceAddress.parse("192.0.2.10") == .failure(.missingPrefix))
    #expect(InterfaceAddress.parse("192.0.2/24") == .failure(.malformed))
    #expect(InterfaceAddress.parse("192.0.2.1/33") == .failure(.invalidPrefix))
    #expect(InterfaceAddress.parse("192.0.2.1/0") == .failure(.invalidPrefix))
    #expect(InterfaceAddress.parse("2001:db8::1/") == .failure(.invalidPrefix))
    #expect(InterfaceAddress.parse("2001:db8::1/129") == .failure(.invalidPrefix))
    #expect(InterfaceAddress.parse("0.0.0.0/0", allowZeroPrefix: true).map(\.prefixLength) == .success(0))
    #expect(InterfaceAddress.Problem.malformed.message("x/1") == "malformed address 'x/1', must be X.X.X.X/NN or X:X:X:X:X:X:X:X/NN")
  }

  @Test func subnetsContainAndOverlap() throws {
    let a = try #require(InterfaceAddress("192.0.2.10/24"))
    #expect(a.contains(IPAddress("192.0.2.1")!))
    #expect(!a.contains(IPAddress("192.0.3.1")!))
    #expect(!a.contains(IPAddress("2001:db8::1")!))
    #expect(a.overlaps(InterfaceAddress("192.0.2.128/25")!))
    #expect(!a.overlaps(InterfaceAddress("192.0.3.0/24")!))
    let six = try #require(InterfaceAddress("2001:db8::5/64"))
    #expect(six.contains(IPAddress("2001:db8::ffff")!))
    #expect(!six.contains(IPAddress("2001:db8:0:1::1")!))
    #expect(six.subnetRange.lowerBound < six.subnetRange.upperBound)
  }

  @Test func macAddressesBooleansAndNames() {
    #expect(MACAddress("00:11:22:aa:BB:cc")?.description == "00:11:22:aa:bb:cc")
    #expect(MACAddress("00:11:22:33:44") == nil)
    #expect(MACAddress("00:11:22:33:44:5") == nil)
    #expect(MACAddress(Array(repeating: "0a", count: 20).joined(separator: ":")) != nil)
    for yes in ["true", "TRUE", "on", "Yes", "y"] { #expect(NetplanBool.parse(yes) == true) }
    for no in ["false", "Off", "NO", "n"] { #expect(NetplanBool.parse(no) == false) }
    #expect(NetplanBool.parse("1") == nil)
    #expect(InterfaceName.problem("ens33") == nil)
    #expect(InterfaceName.problem("a-very-long-name0") != nil)
    #expect(InterfaceName.problem("eth/0") != nil)
    #expect(InterfaceName.problem("eth 0") != nil)
  }
}
