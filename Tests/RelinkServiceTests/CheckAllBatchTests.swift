import Foundation
import IntercomAPI
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport
import Testing

/// Issue 17: `check --all` commits its results in batches while the checks go on, one commit at
/// a time and in order, and compacts the journal only at its last commit.
@Suite("check --all commits in batches while it checks")
struct CheckAllBatchTests {
    @Test func everyResultIsCommittedInOrderAndTheJournalIsFoldedAtTheEnd() async throws {
        let directory = try TemporaryDirectory()
        // A threshold of one byte: a commit that did not defer its compaction would compact.
        let store = try Store(directory: directory.url, options: .init(durable: false, compactionThreshold: 1))
        let world = try LargeStoreGenerator(projectCount: 400, includeWorld: true, connectedOnly: true)
            .generate(into: store)
        let intercom = InMemoryIntercom(world: world)
        let service = ConnectionService(
            store: store, intercom: intercom, worldControl: intercom,
            configuration: ServiceConfiguration(
                checkConcurrency: 16, retry: RetryPolicy(maxAttempts: 1, sleep: { _ in })))
        let progress = ProgressLog()
        let results = try await service.check(nil) { progress.append($0.done, $0.total) }

        #expect(results.count == 400 && results.allSatisfy { $0.outcome == .healthy })
        // Several batches of 64, reported in the order they were committed, each result once.
        #expect(progress.entries.map(\.0) == Array(1...400))
        #expect(progress.entries.allSatisfy { $0.1 == 400 })
        #expect(try Data(contentsOf: directory.file("journal.jsonl")).isEmpty, "the last commit compacts")
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        #expect(reopened.connections.values.allSatisfy { $0.lastCheck?.result == .healthy })
    }
}
