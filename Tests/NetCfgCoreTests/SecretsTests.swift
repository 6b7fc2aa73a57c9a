import Testing
@testable import NetCfgCore

/// The quick look for secret keys decides whether a text is masked at all: it must see every
/// key before a colon (block and flow style, quoted keys) and nothing else.
@Suite struct SecretsTests {
  @Test(arguments: [
    "password: hunter2", "      psk: \"s3cret\"", "auth: {key-management: psk, password: x}", "private-key: abc",
    "+        password: x", "client-key-password: y",
  ])
  func aSecretKeyIsSeenAndMasked(_ text: String) {
    #expect(Secrets.mentionsKey(text))
    let masked = Secrets.mask(text)
    #expect(masked.contains("***"), "\(text) -> \(masked)")
    #expect(!masked.contains("hunter2") && !masked.contains("s3cret"))
  }

  @Test(arguments: [
    "", "addresses: [192.0.2.10/24]", "password", "passwords are masked", "  routes:\n    - to: default\n      via: 192.0.2.1",
    "key-management: psk", ":", "psk",
  ])
  func aTextWithoutOneIsReturnedAsItIs(_ text: String) {
    #expect(!Secrets.mentionsKey(text))
    #expect(Secrets.mask(text) == text)
  }
}
