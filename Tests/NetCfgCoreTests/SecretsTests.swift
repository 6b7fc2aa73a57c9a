import Testing
@testable import NetCfgCore

/// The quick look for secret keys decides whether a text is masked at all: it must see every
/// key before a colon (block and flow style, quoted keys) and nothing else.
@Suite struct SecretsTests {
  @Test(arguments: [
    "password: hunter2", "      psk: \"s3cret\"", "auth: {key-management: psk, password: x}", "private-key: abc",
    "+        password: x", "client-key-password: y",
    // Quoted keys, and blanks before the colon: YAML reads them as the same keys.
    "\"password\": hunter2", "      'psk': s3cret", "auth: {\"password\": \"s3cret\", method: peap}",
    "password : hunter2", "{\"private-key\":\"s3cret\"}",
  ])
  func aSecretKeyIsSeenAndMasked(_ text: String) {
    #expect(Secrets.mentionsKey(text))
    let masked = Secrets.mask(text)
    #expect(masked.contains("***"), "\(text) -> \(masked)")
    #expect(!masked.contains("hunter2") && !masked.contains("s3cret"))
  }

  /// Only the value goes: the key keeps its quotes, the rest of a flow mapping stays.
  @Test func aQuotedKeyKeepsItsQuotesAndTheRestOfTheLine() {
    #expect(Secrets.mask("auth: {\"password\": \"s3cret\", method: peap}") == "auth: {\"password\": ***, method: peap}")
    #expect(Secrets.mask("  'psk': s3cret  # home") == "  'psk': *** # home")
  }

  @Test(arguments: [
    "", "addresses: [192.0.2.10/24]", "password", "passwords are masked", "  routes:\n    - to: default\n      via: 192.0.2.1",
    "key-management: psk", ":", "psk", "ssid: \"password\"", "description: 'psk'",
  ])
  func aTextWithoutOneIsReturnedAsItIs(_ text: String) {
    #expect(!Secrets.mentionsKey(text))
    #expect(Secrets.mask(text) == text)
  }
}
