import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

/// The snapshot's and the secrets' checksums are checked wherever their field stands (issue 28),
/// as a journal line's is: moving the field does not step around it, a repeated key where a
/// checksum is recorded is damage, and a file written by hand without any checksum still opens.
@Suite("Checksums moved out of their line")
struct MovedChecksumTests {
    static let token = "fake-token-for-moved-checksum-tests"

    /// A store relink wrote and compacted: `state.json` and `secrets.json` both carry their checksum.
    static func sealedStore() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false))
        try store.update { transaction in
            transaction.put(Project(key: "SUP", name: "Support", jiraSite: "acme.atlassian.net"))
            transaction.storeToken(token, id: "tok-moved")
        }
        try store.compact()
        return directory
    }

    static func edit(_ url: URL, _ change: (String) -> String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit changed nothing")
        try Data(changed.utf8).write(to: url)
    }

    /// `{"schemaVersion":2,"sequence":1,"checksum":"crc32c:…",` → the field first.
    static func checksumFirst(_ text: String) -> String {
        guard let match = text.firstMatch(of: /"checksum":"crc32c:[0-9a-f]{8}",/) else { return text }
        var moved = text
        moved.removeSubrange(match.range)
        moved.insert(contentsOf: match.output, at: moved.index(after: moved.startIndex))
        return moved
    }

    /// The secrets' second line moved to the end of the object.
    static func secretsChecksumLast(_ text: String) -> String {
        guard let match = text.firstMatch(of: /\n  "checksum" : "crc32c:[0-9a-f]{8}",/) else { return text }
        var moved = text
        moved.removeSubrange(match.range)
        let field = String(match.output.dropLast())  // without its comma
        let close = moved.lastIndex(of: "}")!
        let beforeClose = moved[..<close].lastIndex(where: { !$0.isWhitespace })!
        moved.insert(contentsOf: "," + field, at: moved.index(after: beforeClose))
        return moved
    }

    @Test func aSnapshotChecksumMovedToTheFrontStillVouchesForAnUnchangedFile() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("state.json"), Self.checksumFirst)
        let store = try Store(directory: directory.url)
        #expect(try store.project("SUP")?.name == "Support")
    }

    @Test func aSnapshotChecksumMovedToTheFrontIsCheckedAgainstAChangedValue() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("state.json")) { Self.checksumFirst($0).replacingOccurrences(of: "Support", with: "Supp0rt") }
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, let problem) = error else { return false }
            return file.hasSuffix("state.json") && problem.contains("does not match its content")
        }
    }

    @Test("A byte-order mark before a sealed snapshot does not step around its checksum")
    func aByteOrderMarkDoesNotStepAroundTheChecksum() throws {
        let directory = try Self.sealedStore()
        let url = directory.file("state.json")
        let sealed = try Data(contentsOf: url)
        // A changed value behind a BOM (as an editor that adds one would save it).
        let changed = String(decoding: sealed, as: UTF8.self).replacingOccurrences(of: "Support", with: "Supp0rt")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(changed.utf8)).write(to: url)
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, _) = error else { return false }
            return file.hasSuffix("state.json")
        }
    }

    @Test func aRepeatedKeyBesideASnapshotChecksumIsDamage() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("state.json")) {
            Self.checksumFirst($0).replacingOccurrences(of: #""sequence":1,"#, with: #""sequence":1,"sequence":0,"#)
        }
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, let problem) = error else { return false }
            return file.hasSuffix("state.json") && problem.contains("\"sequence\" is given twice")
        }
    }

    @Test func aSecretsChecksumMovedToTheEndStillVouchesForAnUnchangedFile() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("secrets.json"), Self.secretsChecksumLast)
        let store = try Store(directory: directory.url)
        #expect(try store.token(id: "tok-moved") == Self.token)
    }

    @Test func aSecretsChecksumMovedToTheEndIsCheckedAgainstAChangedToken() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("secrets.json")) {
            Self.secretsChecksumLast($0).replacingOccurrences(of: Self.token, with: Self.token.uppercased())
        }
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, let problem) = error else { return false }
            // The message names the file and the mismatch, never the token.
            return file.hasSuffix("secrets.json") && problem.contains("does not match its content")
                && !problem.contains(Self.token.uppercased())
        }
    }

    @Test func aRepeatedKeyInSecretsThatRecordAChecksumIsDamage() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("secrets.json")) {
            Self.secretsChecksumLast($0).replacingOccurrences(
                of: "\"tok-moved\" : \"\(Self.token)\"",
                with: "\"tok-moved\" : \"\(Self.token)\",\n    \"tok-moved\" : \"fake-other\"")
        }
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, let problem) = error else { return false }
            return file.hasSuffix("secrets.json") && problem.contains("given twice")
        }
    }

    /// A tool that lays the file out anew (pretty-printed, keys reordered) keeps what relink wrote:
    /// the checksum relink would write for the decoded content is the recorded one, so it opens;
    /// laid out anew with a value changed, it is refused.
    @Test func aSnapshotLaidOutAnewOpensUnlessAValueChanged() throws {
        let directory = try Self.sealedStore()
        let state = directory.file("state.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: state))
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: state)
        #expect(try Store(directory: directory.url).project("SUP")?.name == "Support")

        try Self.edit(state) { $0.replacingOccurrences(of: "Support", with: "Supp0rt") }
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            guard case StoreError.damaged(let file, let problem) = error else { return false }
            return file.hasSuffix("state.json") && problem.contains("does not match its content")
        }
    }

    @Test func filesWrittenByHandWithoutAnyChecksumStillOpen() throws {
        let directory = try Self.sealedStore()
        try Self.edit(directory.file("state.json")) {
            $0.replacing(/"checksum":"crc32c:[0-9a-f]{8}",/, with: "").replacingOccurrences(of: "Support", with: "Help")
        }
        try Self.edit(directory.file("secrets.json")) {
            $0.replacing(/\n  "checksum" : "crc32c:[0-9a-f]{8}",/, with: "").replacingOccurrences(
                of: Self.token, with: "fake-hand-written-token")
        }
        let store = try Store(directory: directory.url)
        #expect(try store.project("SUP")?.name == "Help")
        #expect(try store.token(id: "tok-moved") == "fake-hand-written-token")
    }
}
