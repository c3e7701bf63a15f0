import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

/// Issue 17, third round: `projects` reads its fields from the records' bytes with a scanner of
/// its own, and what it reads is exactly what `JSONDecoder` reads.
@Suite("The projects list scans its fields without JSONDecoder")
struct ListingScannerTests: CompactedStoreS {
    let directory: TemporaryDirectory

    init() throws { directory = try Self.makeCompactedStoreS() }

    static func scanned<T: ScannedPart>(_ type: T.Type, _ json: String) -> T? {
        var json = json
        return json.withUTF8 { T.scan($0) }
    }

    static func decoded<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try StoreCoding.decoder().decode(T.self, from: Data(json.utf8))
    }

    static let connections = [
        // As relink writes it: fields sorted, no spaces.
        #"{"authorization":{"appUser":{"email":"jira-bot@acme.test","id":"2633609","name":"Jira Bot"},"since":"2026-05-28T20:43:21.000Z","tokenID":"tok-1","workspace":{"id":"acme4sup","name":"Acme Support","region":"US"}},"project":"SUP","state":"connected"}"#,
        // Escapes of every kind, a surrogate pair, and fields the list skips holding nested values.
        #"{"authorization":{"appUser":{"email":"b\u00f6b@acme.test","id":"1","name":"Bob \"the\" \\ Builder\/\n\t\b\f\r \ud83d\ude80"},"since":"x","tokenID":"t","workspace":{"id":"w","name":"Ärger 🚀 \u0041","region":"EU"}},"breakage":{"at":"x","diagnosis":{"causes":["token-revoked"],"evidence":{"status":401,"code":null,"message":"a \"b\" {c} [d]"},"isGroundTruth":true}},"lastCheck":{"at":"x","result":"rejected"},"project":"WEB","state":"broken"}"#,
        // Another order and whitespace (a hand-written line), and no authorization.
        " { \"state\" : \"not_connected\" ,\n \"lastWorkspace\" : { \"id\" : \"w\", \"name\" : \"n\", \"region\" : \"AU\" }, \"project\" : \"OPS\" } ",
        // Numbers, booleans, null and arrays among the skipped values.
        #"{"extra":[1,-2.5e3,true,false,null,{"a":[]},[]],"project":"P1","state":"connected","authorization":{"workspace":{"id":"w","name":"n","region":"AU","x":1},"appUser":{"id":"i","email":"e","name":"n","y":[null]},"tokenID":"t","since":"s"}}"#,
    ]

    @Test(arguments: connections)
    func aConnectionScansAsItDecodes(_ json: String) throws {
        let scanned = try #require(Self.scanned(ListedConnection.self, json), "the scanner gave up on \(json)")
        let decoded = try Self.decoded(ListedConnection.self, json)
        #expect(scanned.project == decoded.project && scanned.state == decoded.state)
        #expect(scanned.authorization?.workspace == decoded.authorization?.workspace)
        #expect(scanned.authorization?.appUser == decoded.authorization?.appUser)
    }

    @Test func aProjectScansAsItDecodes() throws {
        let json =
            #"{"jiraSite":"acme.atlassian.net","key":"SUP","links":[{"conversationIds":["1","2"],"issueKey":"SUP-1"}],"name":"Customer \"Support\" \u00e9 🚀","settings":{"a":{"b":[true]}}}"#
        let scanned = try #require(Self.scanned(ListedProject.self, json))
        let decoded = try Self.decoded(ListedProject.self, json)
        #expect(scanned.key == decoded.key && scanned.name == decoded.name)
        #expect(scanned.name == "Customer \"Support\" é 🚀")
    }

    /// What the scanner does not read is left to `JSONDecoder`: it never reads a wrong value.
    @Test(arguments: [
        #"{"key":"SUP","name":"x""#,  // cut short
        #"{"key":"SUP","name":"x"} trailing"#,
        #"{"key":"SUP"}"#,  // no name
        #"{"key":"S-P","name":"x"}"#,  // not a key
        #"{"key":"SUP","name":7}"#,
        #"{"k\u0065y":"SUP","name":"x"}"#,  // an escaped field name
        #"{"key":"SUP","name":"\ud83d"}"#,  // a lone surrogate
        #"{"key":"SUP","name":"a\qb"}"#,
        "{\"key\":\"SUP\",\"name\":\"a\u{1}b\"}",  // a control character
        "",
    ])
    func theScannerGivesUpRatherThanGuess(_ json: String) {
        #expect(Self.scanned(ListedProject.self, json) == nil)
    }

    @Test(arguments: [
        #"{"project":"SUP","state":"paused"}"#,
        #"{"project":"SUP","state":"connected","authorization":{"workspace":{"id":"w","name":"n","region":"MARS"},"appUser":{"id":"i","email":"e","name":"n"}}}"#,
        #"{"project":"SUP","state":"connected","authorization":{"workspace":{"id":"w","name":"n","region":"US"}}}"#,
    ])
    func aConnectionTheDecoderWouldRefuseIsNotScanned(_ json: String) {
        #expect(Self.scanned(ListedConnection.self, json) == nil)
        #expect((try? Self.decoded(ListedConnection.self, json)) == nil)
    }

    /// A line the scanner gives up on but that is valid JSON is listed all the same, through the decoder.
    @Test func aStoreWhoseLinesTheScannerCannotReadListsThroughTheDecoder() throws {
        let expected = try open().projectListings
        // An escaped field name: the same record to JSONDecoder, not to the scanner.
        let original = try text("state.json")
        let edited = original.replacingOccurrences(
            of: #""name":"Customer Support""#, with: #""n\u0061me":"Customer Support""#)
        #expect(edited != original)
        try write("state.json", try resealed(edited))
        let reopened = try open()
        #expect(reopened.lock.withLock { reopened.publicFileState }.projects.undecodedCount == 4)
        #expect(try reopened.projectListings == expected)
    }
}
