import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

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
                var project = try #require(try transaction.project("SUP"))
                project.name = name
                transaction.put(project)
            }
        }
        #expect(try Data(contentsOf: directory.file("state.json")) == snapshot)
        #expect(try String(contentsOf: directory.file("journal.jsonl"), encoding: .utf8).split(separator: "\n").count == 2)
        #expect(try Store(directory: directory.url, options: .init(durable: false)).project("SUP")?.name == "Renamed twice")

        try store.update { transaction in
            var project = try #require(try transaction.project("BUG"))
            project.name = "Compacted"
            transaction.put(project)
        }
        #expect(try Data(contentsOf: directory.file("journal.jsonl")).isEmpty)
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        #expect(try reopened.project("SUP")?.name == "Renamed twice" && reopened.project("BUG")?.name == "Compacted")
    }

    /// Past 2,000 changed records a compaction encodes them on every core: the snapshot holds
    /// each once, sorted by key, byte for byte what one encoder writes, and reads back the same.
    @Test func aCompactionOfThousandsOfChangedRecordsEncodesEachOnceInKeyOrder() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false))
        let projects = (0..<2_345).map { index in
            Project(key: ProjectKey(rawValue: "P\(index)")!, name: "Projekt № \(index) — ünïcødé", jiraSite: "acme.atlassian.net")
        }
        try store.update { transaction in
            for project in projects { transaction.put(project) }
        }
        try store.compact()
        let encoder = StoreCoding.encoder(pretty: false)
        let expected = try projects.sorted { $0.key < $1.key }.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let lines = try String(contentsOf: directory.file("state.json"), encoding: .utf8).split(separator: "\n")
        let start = try #require(lines.firstIndex(of: #""projects":["#)) + 1
        let written = lines[start..<(start + projects.count)].map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
        #expect(written == expected)
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        #expect(try reopened.projects == projects.sorted { $0.key < $1.key })
    }
}
