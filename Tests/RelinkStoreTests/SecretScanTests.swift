import Foundation
import Testing

@testable import RelinkStore

@Suite("Finding any of many secrets in a file")
struct SecretScanTests {
    @Test func findsEverySecretWhereverItIsAndNothingElse() {
        let secrets = (0..<2000).map { "fake-large-token-\($0)" } + ["pässwörd-✓", "x", "mock_tok_AbC=="]
        let scan = SecretScan(secrets)
        for secret in ["fake-large-token-1999", "pässwörd-✓", "mock_tok_AbC==", "fake-large-token-7"] {
            for text in [secret, "{\"a\":\"\(secret)\"}", "prefix\(secret)", "\(secret)suffix"] {
                #expect(scan.occurs(in: Data(text.utf8)), "\(secret) in \(text)")
            }
        }
        #expect(scan.occurs(in: Data("a single x".utf8)), "a one-byte secret")
        let clean = SecretScan(["fake-large-token-12", "pässwörd-✓", "mock_tok_AbC=="])
        for text in ["", "fake-large-token-1", "pässwörd-", "mock_tok_AbC=", "fake-large-token-1 2", "PÄSSWÖRD-✓"] {
            #expect(!clean.occurs(in: Data(text.utf8)), "\(text)")
        }
        #expect(!SecretScan([]).occurs(in: Data("anything".utf8)))
        #expect(!SecretScan([""]).occurs(in: Data("anything".utf8)), "an empty secret is no secret")
    }
}
