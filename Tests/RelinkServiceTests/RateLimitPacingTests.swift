import Foundation
import IntercomAPI
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkService
import RelinkTestSupport
import Synchronization
import Testing

/// A clock that only the pacer's sleep moves: each wait is recorded and then "passes" at once.
final class PacerClock: Sendable {
    private let state = Mutex((now: Date(timeIntervalSince1970: 1_800_000_000), waits: [Duration]()))

    var now: Date { state.withLock { $0.now } }
    var waits: [Duration] { state.withLock { $0.waits } }

    func advance(by seconds: TimeInterval) { state.withLock { $0.now = $0.now.addingTimeInterval(seconds) } }

    func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.waits.append(duration)
            $0.now = $0.now.addingTimeInterval(
                Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
    }

    func pacer(margin: Duration = .milliseconds(200)) -> RateLimitPacer {
        RateLimitPacer(margin: margin, sleep: { try await self.sleep($0) }, now: { self.now })
    }

    func status(limit: Int?, remaining: Int, resetIn seconds: TimeInterval) -> RateLimitStatus {
        RateLimitStatus(limit: limit, remaining: remaining, reset: now.addingTimeInterval(seconds))
    }
}

@Suite("Rate-limit pacing")
struct RateLimitPacingTests {
    @Test("Nothing known: one request goes alone, the next waits for its answer")
    func firstRequestProbesAlone() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer()
        try await pacer.acquire(workspace: "ws")
        let second = Task { try await pacer.acquire(workspace: "ws") }
        // Bounded: the second acquire registers as a waiter within a few scheduling turns.
        var turns = 0
        while pacer.waitingForAnswer(workspace: "ws") == 0 && turns < 10_000 {
            await Task.yield()
            turns += 1
        }
        #expect(pacer.waitingForAnswer(workspace: "ws") == 1, "the second request waits for the first answer")
        pacer.release(workspace: "ws", observed: clock.status(limit: 5, remaining: 4, resetIn: 1))
        try await second.value
        #expect(clock.waits.isEmpty)
    }

    @Test("A known window lets through what it has left, less what is in flight; then waits for its reset")
    func windowThenWait() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer()
        try await pacer.acquire(workspace: "ws")
        pacer.release(workspace: "ws", observed: clock.status(limit: 3, remaining: 2, resetIn: 1))
        try await pacer.acquire(workspace: "ws")
        try await pacer.acquire(workspace: "ws")
        let waits = WaitLog()
        // Two in flight and two left: the third waits for the window's end plus the margin.
        try await pacer.acquire(workspace: "ws", onWait: { waits.append($0) })
        #expect(clock.waits == [.milliseconds(1_200)])
        #expect(waits.entries == [RateLimitPacer.Wait(workspace: "ws", duration: .milliseconds(1_200))])
        // The new window is assumed to hold the last limit (3): with three in flight, a fourth waits
        // for an answer rather than guessing.
        #expect(pacer.inFlight(workspace: "ws") == 3)
    }

    @Test("A 429's headers (nothing left until the reset) hold every other request back")
    func a429HoldsOthersBack() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer(margin: .zero)
        try await pacer.acquire(workspace: "ws")
        pacer.release(workspace: "ws", observed: clock.status(limit: 1666, remaining: 0, resetIn: 4))
        try await pacer.acquire(workspace: "ws")
        #expect(clock.waits == [.seconds(4)])
    }

    @Test("A 429 with Retry-After holds the workspace's requests until it passes, whatever Remaining said")
    func retryAfterHoldsTheWorkspace() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer(margin: .zero)
        try await pacer.acquire(workspace: "ws")
        // The client turns a 429's `Retry-After: 30` (with `X-RateLimit-Remaining: 5` and a reset in
        // 2 s) into this status: nothing left until the later of the two (IntercomClient's
        // RateLimitHeaders.status, pinned in RetryAfterTests).
        pacer.release(workspace: "ws", observed: clock.status(limit: 1666, remaining: 0, resetIn: 30))
        let waits = WaitLog()
        try await pacer.acquire(workspace: "ws", onWait: { waits.append($0) })
        #expect(clock.waits == [.seconds(30)], "held until Retry-After passed, not the 2-s reset")
        #expect(waits.entries == [RateLimitPacer.Wait(workspace: "ws", duration: .seconds(30))])
        // Once it has passed, the next request waits no more than its own window says.
        pacer.release(workspace: "ws", observed: clock.status(limit: 1666, remaining: 1000, resetIn: 10))
        try await pacer.acquire(workspace: "ws")
        #expect(clock.waits == [.seconds(30)])
        // Another workspace was never held.
        try await pacer.acquire(workspace: "other")
        #expect(clock.waits == [.seconds(30)])
    }

    @Test("Workspaces have budgets of their own")
    func workspacesAreIndependent() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer()
        try await pacer.acquire(workspace: "a")
        pacer.release(workspace: "a", observed: clock.status(limit: 10, remaining: 0, resetIn: 5))
        try await pacer.acquire(workspace: "b")
        #expect(clock.waits.isEmpty)
    }

    @Test("Stale, hostile and damaged headers pace nothing")
    func untrustedHeaders() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer()
        for status in [
            clock.status(limit: 10, remaining: 0, resetIn: -3),  // a window already over
            clock.status(limit: 10, remaining: 0, resetIn: 1e9),  // a reset decades away
            clock.status(limit: 10, remaining: 0, resetIn: 0),
        ] {
            try await pacer.acquire(workspace: "ws")
            pacer.release(workspace: "ws", observed: status)
        }
        try await pacer.acquire(workspace: "ws")
        #expect(clock.waits.isEmpty)
        // A negative limit is not learnt; with nothing in flight a request always goes.
        pacer.release(workspace: "ws", observed: RateLimitStatus(limit: -5, remaining: 0, reset: clock.now))
        try await pacer.acquire(workspace: "ws")
        #expect(clock.waits.isEmpty)
    }

    @Test("Cancellation ends a wait for a window or for an answer at once")
    func cancellation() async throws {
        let pacer = RateLimitPacer()  // the real sleep and clock
        try await pacer.acquire(workspace: "ws")
        pacer.release(
            workspace: "ws", observed: RateLimitStatus(limit: 5, remaining: 0, reset: Date().addingTimeInterval(50)))
        let windowWait = Task { try await pacer.acquire(workspace: "ws") }
        windowWait.cancel()
        await #expect(throws: CancellationError.self) { try await windowWait.value }

        let other = RateLimitPacer()
        try await other.acquire(workspace: "ws")
        let answerWait = Task { try await other.acquire(workspace: "ws") }
        answerWait.cancel()
        await #expect(throws: CancellationError.self) { try await answerWait.value }
        #expect(other.waitingForAnswer(workspace: "ws") == 0)
        #expect(other.inFlight(workspace: "ws") == 1, "a cancelled wait holds nothing")
    }
}

@Suite("check --all paces itself against the live mock", .serialized)
struct LivePacingTests {
    /// 600 a minute in 1-second windows: 10 per window for the app; generously more for the workspace.
    static let limits = MockWorld.RateLimit(appLimitPerMinute: 600, workspaceLimitPerMinute: 6_000, windowSeconds: 1)

    @Test("24 projects in one workspace, 10 requests per 1-s window: every check answered, zero 429s, the waits said")
    func zero429s() async throws {
        let configuration = ServiceConfiguration(checkConcurrency: 16, logger: quietLogger)
        try await GeneratedLiveMock.with(projects: 24, limits: Self.limits, configuration: configuration) { mock in
            let waits = WaitLog()
            let results = try await mock.service.health.check(nil, rateLimitWait: { waits.append($0) })
            // 24 projects: 18 connected, 3 broken (their tokens unknown to the mock), 3 not connected.
            #expect(results.count == 21)
            #expect(results.filter { $0.outcome == .healthy }.count == 18)
            #expect(!results.contains { if case .transientFailure = $0.outcome { true } else { false } })
            #expect(try await mock.answers(withStatus: 429) == 0)
            #expect(try await mock.answers(withStatus: 200) == 18)
            if waits.entries.isEmpty {
                // 18 requests do not fit one window of 10, so the check waits for the next, unless a
                // loaded machine spread them over several windows by itself (seen at load 30): then
                // no one-second window may have answered more than its 10.
                let perWindow = Dictionary(
                    grouping: try await mock.answerTimes(withStatus: 200),
                    by: { Int($0.timeIntervalSince1970.rounded(.down)) })
                #expect(perWindow.values.allSatisfy { $0.count <= 10 }, "\(perWindow.mapValues(\.count))")
            }
            #expect(waits.entries.allSatisfy { $0.duration <= .milliseconds(1_300) })
        }
    }

    @Test("A 429 that still comes is retried after the reset, and the connection stays connected")
    func a429IsRetriedNotBroken() async throws {
        let configuration = ServiceConfiguration(checkConcurrency: 4, logger: quietLogger)
        try await GeneratedLiveMock.with(projects: 1, limits: Self.limits, configuration: configuration) { mock in
            _ = try await mock.intercom.addFault(FaultSpec(path: "/me", kind: .rateLimit, times: 1))
            let result = try #require(try await mock.service.health.check(nil).first)
            #expect(result.outcome == .healthy)
            #expect(result.state == .connected && result.event == nil)
            #expect(try await mock.intercom.journalEntries().compactMap(\.status) == [429, 200])
        }
    }
}

final class WaitLog: Sendable {
    private let stored = Mutex<[RateLimitPacer.Wait]>([])
    var entries: [RateLimitPacer.Wait] { stored.withLock { $0 } }
    func append(_ wait: RateLimitPacer.Wait) { stored.withLock { $0.append(wait) } }
}

extension RateLimitPacingTests {
    @Test("Answers without rate-limit headers leave requests unpaced; the first header paces again")
    func headerlessAnswersPaceNothing() async throws {
        let clock = PacerClock()
        let pacer = clock.pacer()
        try await pacer.acquire(workspace: "ws")
        pacer.release(workspace: "ws", observed: nil)
        for _ in 0..<20 { try await pacer.acquire(workspace: "ws") }
        #expect(pacer.inFlight(workspace: "ws") == 20)
        pacer.release(workspace: "ws", observed: clock.status(limit: 30, remaining: 0, resetIn: 2))
        try await pacer.acquire(workspace: "ws")
        #expect(clock.waits == [.milliseconds(2_200)])
    }
}
