import Foundation
import IntercomAPI
import IntercomMockWorld
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
        let results = try await service.health.check(nil) { progress.append($0.done, $0.total) }

        #expect(results.count == 400 && results.allSatisfy { $0.outcome == .healthy })
        // Several batches of 64, reported in the order they were committed, each result once.
        #expect(progress.entries.map(\.0) == Array(1...400))
        #expect(progress.entries.allSatisfy { $0.1 == 400 })
        #expect(try Data(contentsOf: directory.file("journal.jsonl")).isEmpty, "the last commit compacts")
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        #expect(try reopened.connections.values.allSatisfy { $0.lastCheck?.result == .healthy })
    }

    /// A rejected token's simulated cause is asked for with its batch, in one call for the batch,
    /// and every rejection still carries it as ground truth.
    @Test func groundTruthIsAskedForOncePerBatch() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false))
        let world = try LargeStoreGenerator(projectCount: 300, includeWorld: true, connectedOnly: true)
            .generate(into: store)
        let intercom = InMemoryIntercom(world: world)
        // Half the workspaces lose the app, so their tokens die of it; the others' tokens live.
        let uninstalled = world.workspaces.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.idCode)
        for workspace in uninstalled {
            _ = try await intercom.applyCause(CauseRequest(cause: .appUninstalled, workspace: workspace))
        }
        let service = ConnectionService(
            store: store, intercom: intercom, worldControl: intercom,
            configuration: ServiceConfiguration(
                checkConcurrency: 16, retry: RetryPolicy(maxAttempts: 1, sleep: { _ in })))
        let results = try await service.health.check(nil)

        let rejected = results.filter { if case .rejected = $0.outcome { true } else { false } }
        #expect(results.count == 300)
        #expect(rejected.count > 64, "enough rejections for several batches")
        for result in rejected {
            guard case .rejected(let diagnosis) = result.outcome else { continue }
            #expect(diagnosis.isGroundTruth && diagnosis.causes == [.appUninstalled], "\(result.key)")
        }
        let inspections = intercom.calls.filter { $0.hasPrefix("POST /__mock/tokens/inspect") }
        #expect(!inspections.contains("POST /__mock/tokens/inspect"), "no call for one token")
        #expect(inspections.count <= (300 + 63) / 64, "at most one call per batch: \(inspections)")
        let asked = inspections.map { Int($0.split(separator: "×").last!)! }.reduce(0, +)
        #expect(asked == rejected.count, "each rejected token asked for once")
        let reopened = try Store(directory: directory.url, options: .init(durable: false))
        let recorded = try rejected.compactMap { try reopened.connection(for: $0.key).breakage?.diagnosis }
        #expect(recorded.count == rejected.count && recorded.allSatisfy(\.isGroundTruth))
    }
}
