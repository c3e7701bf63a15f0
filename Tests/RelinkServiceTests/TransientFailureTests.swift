import Foundation
import IntercomAPI
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkService
import Testing

@Suite("Transient failures never break a connection")
struct TransientFailureTests {
    static let faults: [FaultSpec] = [
        FaultSpec(path: "/me", kind: .status, status: 500),
        FaultSpec(path: "/me", kind: .status, status: 503, body: .html),
        FaultSpec(path: "/me", kind: .rateLimit),
        FaultSpec(path: "/me", kind: .latency, latencyMs: 1500),
        FaultSpec(path: "/me", kind: .drop),
    ]

    @Test(arguments: faults)
    func aFailedCheckKeepsTheStateAndRecordsWhy(fault: FaultSpec) async throws {
        try await withLiveMock(requestTimeout: .milliseconds(300)) { mock in
            _ = try await mock.control.addFault(fault)
            let result = try #require(try await mock.service.health.check(["SUP"]).first)
            guard case .transientFailure(let reason) = result.outcome else {
                Issue.record("\(fault.kind) gave \(result.outcome)")
                return
            }
            #expect(!reason.isEmpty)
            #expect(result.state == .connected && result.event == nil)
            let view = try mock.view("SUP")
            #expect(view.indicator == .green)
            #expect(view.lastCheck?.result == .transientFailure)
            #expect(view.notice?.contains(reason) == true)
            #expect(try mock.store.events(for: "SUP").last?.kind == .connected, "no transition recorded")
            // Once Intercom is back, the next check is healthy. The 300 ms timeout above exists
            // only to provoke the latency fault's timeout; on a loaded machine it could time out
            // a healthy answer too, so recovery is checked with a patient service.
            try await mock.control.removeAllFaults()
            let recovered = try await mock.makeService(requestTimeout: .seconds(30)).health.check(["SUP"]).first?
                .outcome
            #expect(recovered == .healthy)
        }
    }

    @Test func checkAllReportsProgressForEachProject() async throws {
        try await withLiveMock { mock in
            let seen = ProgressLog()
            let results = try await mock.service.health.check(nil) { seen.append($0.done, $0.total) }
            #expect(results.count == 3)
            #expect(seen.entries.map(\.0).sorted() == [1, 2, 3])
            #expect(seen.entries.allSatisfy { $0.1 == 3 })
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var stored: [(Int, Int)] = []
    func append(_ done: Int, _ total: Int) { lock.withLock { stored.append((done, total)) } }
    var entries: [(Int, Int)] { lock.withLock { stored } }
}
