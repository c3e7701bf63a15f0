import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

/// Issue 17, second round: the secrets are checked at open and decoded on first use, and the
/// snapshot's keys are found by a binary search over their bytes, without a dictionary.
@Suite("Secrets decoded on first use, keys found without a dictionary")
struct OpenSpeedTests: CompactedStoreS {
    let directory: TemporaryDirectory

    init() throws { directory = try Self.makeCompactedStoreS() }

    func secretsDecoded(_ store: Store) -> Bool { store.lock.withLock { store.secretFileState.isDecoded } }

    // MARK: Secrets

    @Test func theSecretsFileCarriesAChecksumLineAndOpensWithoutBeingDecoded() throws {
        let lines = try text("secrets.json").split(separator: "\n")
        #expect(lines.first == "{")
        #expect(lines[1].wholeMatch(of: #/  "checksum" : "crc32c:[0-9a-f]{8}",/#) != nil, "\(lines[1])")
        // Still the JSON it was: any JSON reader (an older relink's included) reads it.
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: file("secrets.json"))) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2)
        let opened = try open()
        #expect(!secretsDecoded(opened))
        #expect(try opened.project("SUP") != nil && opened.projects.count == 4)
        #expect(!secretsDecoded(opened), "reading projects decoded the secrets")
        let tokenID = try #require(opened.connection(for: "OPS").state.authorization?.tokenID)
        #expect(try opened.token(id: tokenID) != nil)
        #expect(secretsDecoded(opened))
    }

    @Test func journalChangesReadBeforeTheSecretsAreDecodedApplyToThem() throws {
        let first = try open()
        try first.update { transaction in
            transaction.storeToken("tok-fresh-ünïcode-🔑", id: "fresh")
            transaction.forgetToken(id: "no-such-token")
        }
        try first.update { $0.setOAuthClient(OAuthClientCredentials(clientID: "app", clientSecret: "s3cret")) }
        let reopened = try open()
        #expect(!secretsDecoded(reopened))
        #expect(try reopened.token(id: "fresh") == "tok-fresh-ünïcode-🔑")
        #expect(try reopened.oauthClient?.clientSecret == "s3cret")
        #expect(try reopened.allSecrets.contains("s3cret"))
        // A compaction writes them sealed, and they read back the same.
        try reopened.compact()
        #expect(try open().token(id: "fresh") == "tok-fresh-ünïcode-🔑")
        #expect(try text("secrets.json").contains(#""checksum" : "crc32c:"#))
    }

    @Test func aChangedTokenInTheSecretsFileIsRefusedAtOpenSayingHowToAcceptIt() throws {
        let original = try text("secrets.json")
        let token = try #require(original.firstMatch(of: /"(tok-[^"]+)" : "([^"]+)"/))
        let edited = original.replacingOccurrences(of: "\"\(token.2)\"", with: "\"\(token.2)x\"")
        #expect(edited != original)
        try write("secrets.json", edited)
        let message = try refusal()
        #expect(message.hasPrefix(file("secrets.json").path + ": line 2: its checksum (crc32c:"), "\(message)")
        #expect(message.contains("delete that line"), "\(message)")
        // The secret itself is never in the message.
        #expect(!message.contains(String(token.2)), "\(message)")
        // Deleting the line accepts the edit: the file is decoded at open then.
        try write(
            "secrets.json",
            edited.replacingOccurrences(
                of: #"  "checksum" : "crc32c:[0-9a-f]{8}",\n"#, with: "", options: .regularExpression))
        let opened = try open()
        #expect(secretsDecoded(opened))
        #expect(try opened.allSecrets.contains("\(token.2)x"))
    }

    @Test func aTruncatedOrWrongTypedSecretsFileIsStillNamedAtOpen() throws {
        let original = try text("secrets.json")
        try write("secrets.json", String(original.prefix(original.utf8.count / 2)))
        #expect(try refusal().hasPrefix(file("secrets.json").path + ": "))
        // A checksum line that is not one relink writes: decoded whole, and the decode names it.
        try write(
            "secrets.json",
            original.replacingOccurrences(of: #""crc32c:"#, with: #""crc32x:"#).replacingOccurrences(
                of: #""tokens" : {"#, with: #""tokens" : [1, {"#))
        #expect(try refusal().hasPrefix(file("secrets.json").path + ": "))
    }

    @Test func verifyDecodesTheSecrets() throws {
        var lines = try text("secrets.json").components(separatedBy: "\n")
        let tokens = try #require(lines.firstIndex(of: #"  "tokens" : {"#))
        lines[tokens] = #"  "tokens" : 7, "x" : {"#
        try write(
            "secrets.json",
            SecretSeal.seal(Data(lines.filter { !$0.contains(#""checksum""#) }.joined(separator: "\n").utf8)).string)
        let opened = try open()
        #expect(!secretsDecoded(opened))
        #expect {
            try opened.verify()
        } throws: { error in
            (error as? StoreError)?.description.hasPrefix(file("secrets.json").path + ": ") == true
        }
    }

    // MARK: Keys

    @Test func everyKeyIsFoundByItsBytesAndNoOtherIs() throws {
        let opened = try open()
        for key: ProjectKey in ["BUG", "OPS", "SUP", "WEB"] {
            #expect(try opened.project(key)?.key == key)
            #expect(try opened.connection(for: key).projectKey == key)
        }
        for key: ProjectKey in ["A", "BU", "BUGS", "OPR", "ZZZ", "SUP_1", "W"] { #expect(try opened.project(key) == nil) }
        #expect(opened.projectKeys == ["BUG", "OPS", "SUP", "WEB"])
    }

    @Test func recordsOutOfOrderOrDuplicatedUnderAMatchingChecksumAreDecodedWholeAndNamed() throws {
        let lines = try text("state.json").components(separatedBy: "\n")
        let bug = try #require(lines.firstIndex { $0.hasPrefix(#"{"jiraSite""#) && $0.contains(#""key":"BUG""#) })
        let ops = try #require(lines.firstIndex { $0.hasPrefix(#"{"jiraSite""#) && $0.contains(#""key":"OPS""#) })
        var swapped = lines
        swapped.swapAt(bug, ops)
        try write("state.json", try resealed(swapped.joined(separator: "\n")))
        let opened = try open()
        #expect(opened.lock.withLock { opened.publicFileState }.projects.undecodedCount == 0)
        #expect(try opened.project("BUG")?.key == "BUG" && opened.project("OPS")?.key == "OPS")

        var duplicated = lines
        duplicated[ops] = lines[bug]
        try write("state.json", try resealed(duplicated.joined(separator: "\n")))
        let message = try refusal()
        #expect(message.contains("project BUG appears a second time"), "\(message)")
    }

    @Test func aLowerCaseOrNonASCIIKeyUnderAMatchingChecksumIsDecodedWhole() throws {
        let original = try text("state.json")
        try write("state.json", try resealed(original.replacingOccurrences(of: #""key":"WEB""#, with: #""key":"wéb""#)))
        #expect(try refusal().hasPrefix(file("state.json").path + ": line "))
        try write("state.json", try resealed(original.replacingOccurrences(of: #""key":"WEB""#, with: #""key":"web""#)))
        // Lower case is a key relink accepts (normalised): decoded whole, it opens.
        let opened = try open()
        #expect(opened.lock.withLock { opened.publicFileState }.projects.undecodedCount == 0)
        #expect(try opened.project("WEB") != nil)
    }

    // MARK: The projects list

    func fullListing(_ store: Store) throws -> [ProjectListing] {
        let connections = try store.connections
        return try store.projects.map { ProjectListing(project: $0, connection: connections[$0.key]) }
    }

    @Test func theListingOfUndecodedRecordsIsTheListingOfDecodedOnesAndDecodesNothing() throws {
        let opened = try open()
        let listed = try opened.projectListings
        #expect(opened.lock.withLock { opened.publicFileState }.projects.undecodedCount == 4)
        #expect(opened.lock.withLock { opened.publicFileState }.connections.undecodedCount == 4)
        #expect(try listed == fullListing(try open()))
        #expect(listed.map(\.key) == ["BUG", "OPS", "SUP", "WEB"])
        #expect(Set(listed.map(\.state)) == [.connected, .broken])
    }

    @Test func theListingMixesDecodedChangedAndUndecodedRecordsInKeyOrder() throws {
        let opened = try open()
        _ = try opened.project("WEB")
        try opened.update { transaction in
            transaction.put(Project(key: "AAA", name: "Ärger & \"Quotes\" 🚀", jiraSite: "acme.atlassian.net"))
            transaction.deleteProject("BUG")
            transaction.put(Connection(projectKey: "OPS"))
        }
        let listed = try opened.projectListings
        #expect(listed.map(\.key) == ["AAA", "OPS", "SUP", "WEB"])
        #expect(listed.first?.name == "Ärger & \"Quotes\" 🚀" && listed.first?.state == .notConnected)
        #expect(listed[1].state == .notConnected && listed[1].workspace == nil)
        #expect(try listed == fullListing(try open()))
    }
    // MARK: Reading

    @Test func filesAreReadWholeWhateverTheirSize() throws {
        // 5 MiB and more take the 2 MiB-aligned, huge-page buffer.
        for size in [0, 1, 4095, 4096, 65_537, 1 << 20, 5 << 20, (9 << 20) + 3] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try bytes.write(to: file("history"))
            #expect(try StoreFile.read(file("history")) == bytes)
            #expect(try StoreFile.read(file("history"), from: size / 2) == bytes.dropFirst(size / 2))
        }
        #expect(try StoreFile.read(file("absent")) == nil)
    }
}

extension Data {
    fileprivate var string: String { String(decoding: self, as: UTF8.self) }
}
