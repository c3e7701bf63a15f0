import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

@Suite("The store")
struct StoreTests {
    let acme = Workspace(id: "drzzt019", name: "Acme Support", region: .us)
    let bot = AppUser(id: "1", email: "jira-bot@acme.test", name: "Jira Bot")

    func connectSUP(_ store: Store, token: String = "tok-secret-123") throws {
        try store.update { transaction in
            transaction.put(Project(key: "SUP", name: "Support", jiraSite: "acme.atlassian.net"))
            var connection = try transaction.connection(for: "SUP")
            let event = try connection.connect(
                Authorization(workspace: acme, appUser: bot, tokenID: "t1", since: Date()), by: "test")
            transaction.put(connection)
            transaction.record(event)
            transaction.storeToken(token, id: "t1")
        }
    }

    @Test func whatIsCommittedIsThereAfterReopeningExactly() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try connectSUP(store)
        let reopened = try Store(directory: directory.url)
        #expect(try reopened.projects == store.projects)
        #expect(try reopened.connection(for: "SUP") == store.connection(for: "SUP"))
        #expect(try reopened.events(for: "SUP") == store.events(for: "SUP"))
        #expect(try reopened.token(id: "t1") == "tok-secret-123")
        try reopened.compact()
        let compacted = try Store(directory: directory.url)
        #expect(try compacted.connection(for: "SUP") == store.connection(for: "SUP"))
        #expect(try compacted.token(id: "t1") == "tok-secret-123")
    }

    @Test func secretsLiveOnlyInFilesOfMode0600() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try connectSUP(store)
        try store.compact()
        try connectSUP(try Store(directory: directory.file("other")))
        for name in ["secrets.json", "secrets.jsonl"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.file(name).path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
        }
        for name in ["state.json", "journal.jsonl"] {
            let text = try String(contentsOf: directory.file(name), encoding: .utf8)
            #expect(!text.contains("tok-secret-123"), "\(name) holds a token")
        }
        #expect(try String(contentsOf: directory.file("secrets.json"), encoding: .utf8).contains("tok-secret-123"))
    }

    @Test func aFailedChangeWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try connectSUP(store)
        let journal = try Data(contentsOf: directory.file("journal.jsonl"))
        #expect(throws: LifecycleError.self) {
            try store.update { transaction in
                transaction.put(Project(key: "NEW", name: "n", jiraSite: "s"))
                var connection = try transaction.connection(for: "SUP")
                _ = try connection.connect(
                    Authorization(workspace: acme, appUser: bot, tokenID: "t2", since: Date()), by: "t")
            }
        }
        #expect(try Data(contentsOf: directory.file("journal.jsonl")) == journal)
        #expect(try store.project("NEW") == nil)
    }

    /// A commit appends one line: the snapshot is not rewritten, so its cost does not grow with
    /// the store (BENCHMARKS.md measures the time).
    @Test func aCommitAppendsToTheJournalWithoutRewritingTheSnapshot() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try store.update { transaction in
            for i in 0..<2000 {
                transaction.put(Project(key: ProjectKey(rawValue: "P\(i)")!, name: "p", jiraSite: "s"))
            }
        }
        try store.compact()
        let snapshot = try FileManager.default.attributesOfItem(atPath: directory.file("state.json").path)
        try store.update { $0.put(Project(key: "P7", name: "renamed", jiraSite: "s")) }
        let after = try FileManager.default.attributesOfItem(atPath: directory.file("state.json").path)
        #expect(after[.modificationDate] as? Date == snapshot[.modificationDate] as? Date)
        #expect(after[.systemFileNumber] as? Int == snapshot[.systemFileNumber] as? Int)
        let journal = try String(contentsOf: directory.file("journal.jsonl"), encoding: .utf8)
        #expect(journal.split(separator: "\n").count == 1)
        #expect(journal.utf8.count < 200)
    }

    @Test func aTornLastLineIsIgnoredAndCutBeforeTheNextCommit() throws {
        let directory = try TemporaryDirectory()
        try connectSUP(try Store(directory: directory.url))
        let handle = try FileHandle(forWritingTo: directory.file("journal.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"changes":[{"putProject":{"project":{"jiraSi"#.utf8))
        try handle.close()
        let store = try Store(directory: directory.url)
        #expect(store.projectKeys == ["SUP"])
        try store.update { $0.put(Project(key: "OPS", name: "Ops", jiraSite: "s")) }
        #expect(try Store(directory: directory.url).projectKeys == ["OPS", "SUP"])
    }

    @Test func entriesAlreadyInTheSnapshotAreNotReplayedTwice() throws {
        // A crash after a compaction's rename, before the journal was emptied.
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try connectSUP(store)
        let journal = try Data(contentsOf: directory.file("journal.jsonl"))
        try store.compact()
        try journal.write(to: directory.file("journal.jsonl"))
        #expect(try Store(directory: directory.url).events(for: "SUP").count == 1)
    }

    @Test func timestampsRoundTripAtMillisecondPrecision() {
        let date = Date(timeIntervalSince1970: 1_780_000_000.123)
        #expect(Timestamp.format(date) == "2026-05-28T20:26:40.123Z")
        #expect(Timestamp.parse("2026-05-28T20:26:40.123Z") == date)
        #expect(Timestamp.parse("2026-05-28T20:26:40Z") == Date(timeIntervalSince1970: 1_780_000_000))
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        for bad in ["2026-13-01T00:00:00Z", "2026-05-28 20:26:40Z", "2026-05-28T20:26:40.123", "yesterday"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}
