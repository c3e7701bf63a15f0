import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

/// Issue 17: a run of commits (`check --all`'s batches) defers the journal's compaction to its
/// last commit, so the snapshot is rewritten once per run rather than once per quarter of it.
@Suite("Commits that defer compaction")
struct DeferredCompactionTests {
    @Test func aDeferringCommitLeavesTheSnapshotAndTheNextOneCompacts() throws {
        let directory = try TemporaryDirectory()
        try StoreS.make(in: directory.url)
        // A threshold of one byte: every ordinary commit compacts.
        let store = try Store(directory: directory.url, options: .init(durable: false, compactionThreshold: 1))
        try store.compact()
        let snapshot = try Data(contentsOf: directory.file("state.json"))
        for name in ["Renamed once", "Renamed twice"] {
            try store.update(deferringCompaction: true) { transaction in
                var project = try #require(transaction.project("SUP"))
                project.name = name
                transaction.put(project)
            }
        }
        #expect(try Data(contentsOf: directory.file("state.json")) == snapshot)
        #expect(try String(contentsOf: directory.file("journal.jsonl"), encoding: .utf8).split(separator: "\n").count == 2)
        #expect(try Store(directory: directory.url, options: .init(durable: false)).project("SUP")?.name == "Renamed twice")

        try store.update { transaction in
            var project = try #require(transaction.project("BUG"))
            project.name = "Compacted"
            transaction.put(project)
        }
        #expect(try Data(contentsOf: directory.file("journal.jsonl")).isEmpty)
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        #expect(reopened.project("SUP")?.name == "Renamed twice" && reopened.project("BUG")?.name == "Compacted")
    }
}
