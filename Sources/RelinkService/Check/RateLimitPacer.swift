import Foundation
import IntercomAPI
import Synchronization

/// Keeps a bulk check inside Intercom's rate limits, from the `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` of the answers, one budget per workspace (projects that share a workspace
/// share its budget).
///
/// Before each request ``acquire(workspace:onWait:)`` decides from what the answers said so far:
/// - nothing known yet: one request goes alone, and the others wait for its answer (when answers
///   carry no headers at all, as an in-memory fake's, nothing is paced);
/// - a window known: as many go as it has left, less those still in flight (whose answers may not
///   yet be counted in what was seen: an estimate that can only err on the safe side);
/// - the window used up: every request waits until its reset (plus ``margin``, for whole-second
///   headers and clocks that differ), then the new window is assumed to hold the last limit seen.
/// ``release(workspace:observed:)`` reports the answer's headers. A 429 that still comes is the
/// retry policy's to wait out; its headers (nothing left until the reset) hold the others back too.
/// The sleep and the clock are injectable: tests record the waits instead of sleeping.
public final class RateLimitPacer: Sendable {
    /// A wait for a window to end, as the progress bar shows it.
    public struct Wait: Sendable, Equatable {
        public var workspace: String
        public var duration: Duration

        public init(workspace: String, duration: Duration) {
            self.workspace = workspace
            self.duration = duration
        }
    }

    /// Added to every wait for a reset: the header has whole seconds, and Intercom's clock is not ours.
    public let margin: Duration
    /// A reset further ahead than this is not believed (a damaged or hostile header): such an
    /// answer paces nothing, and a 429 that follows is the retry policy's to wait out.
    public let maxWait: Duration
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let budgets = Mutex<[String: Budget]>([:])

    private struct Budget {
        /// The last `X-RateLimit-Limit` seen: what a new window is assumed to hold.
        var limit: Int?
        /// The end of the window the answers describe; `nil` once it is over, until an answer tells the next.
        var reset: Date?
        /// The fewest requests left that an answer of that window reported.
        var remaining: Int?
        var inFlight = 0
        /// The last answer came without rate-limit headers and none told a limit before: nothing
        /// to pace by (an in-memory fake, a 401), so requests go as the caller's own bound allows.
        var headerless = false
        /// Requests waiting for an answer to tell them the window, by waiter number.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private enum Decision {
        case go
        case sleep(Duration)
        case awaitAnswer
    }

    public init(
        margin: Duration = .milliseconds(200), maxWait: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.margin = margin
        self.maxWait = maxWait
        self.sleep = sleep
        self.now = now
    }

    /// Waits until a request to `workspace` fits its budget, and counts it as in flight; every
    /// successful acquire must be followed by one ``release(workspace:observed:)``.
    /// `onWait` is told before each wait for a window's end.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits (nothing is held then).
    public func acquire(workspace: String, onWait: @Sendable (Wait) -> Void = { _ in }) async throws {
        while true {
            try Task.checkCancellation()
            let decision = budgets.withLock { budgets in
                Self.decide(&budgets[workspace, default: Budget()], now: now(), margin: margin)
            }
            switch decision {
            case .go:
                return
            case .sleep(let duration):
                onWait(Wait(workspace: workspace, duration: duration))
                try await sleep(duration)
            case .awaitAnswer:
                try await awaitAnswer(workspace: workspace)
            }
        }
    }

    /// Ends a request begun with ``acquire(workspace:onWait:)``, with what its answer's headers
    /// said (`nil`: no answer, or no headers).
    public func release(workspace: String, observed status: RateLimitStatus?) {
        let waiters = budgets.withLock { budgets in
            var budget = budgets[workspace, default: Budget()]
            budget.inFlight = max(budget.inFlight - 1, 0)
            if let status {
                budget.headerless = false
                Self.learn(status, into: &budget, now: now(), maxWait: maxWait)
            } else if budget.limit == nil {
                budget.headerless = true
            }
            let waiters = budget.waiters
            budget.waiters.removeAll()
            budgets[workspace] = budget
            return waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Runs one request to `workspace` within its budget: acquires, runs `request` with a way to
    /// observe its answer's headers, and releases.
    ///
    /// - Throws: `CancellationError` when cancelled while waiting; `request` then never ran.
    public func paced<T: Sendable>(
        workspace: String, onWait: @Sendable (Wait) -> Void = { _ in },
        _ request: (_ observe: @escaping @Sendable (RateLimitStatus) -> Void) async -> T
    ) async throws -> T {
        try await acquire(workspace: workspace, onWait: onWait)
        let observed = Observation()
        let result = await request { status in observed.status.withLock { $0 = status } }
        release(workspace: workspace, observed: observed.status.withLock { $0 })
        return result
    }

    /// What one answer's headers said, handed from the client's callback to the release.
    private final class Observation: Sendable {
        let status = Mutex<RateLimitStatus?>(nil)
    }

    /// Requests to `workspace` begun and not yet released.
    public func inFlight(workspace: String) -> Int {
        budgets.withLock { $0[workspace]?.inFlight ?? 0 }
    }

    /// Requests to `workspace` waiting for an answer to tell them the window.
    public func waitingForAnswer(workspace: String) -> Int {
        budgets.withLock { $0[workspace]?.waiters.count ?? 0 }
    }

    private static func decide(_ budget: inout Budget, now: Date, margin: Duration) -> Decision {
        let marginSeconds = Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18
        if let reset = budget.reset, now >= reset.addingTimeInterval(marginSeconds) {
            // The window is over; the next one is assumed to hold the last limit until an answer says.
            budget.reset = nil
            budget.remaining = nil
        }
        if let reset = budget.reset, let remaining = budget.remaining {
            if remaining - budget.inFlight > 0 {
                budget.inFlight += 1
                return .go
            }
            let seconds = max(reset.addingTimeInterval(marginSeconds).timeIntervalSince(now), 0)
            // To the nearest millisecond: the margin already covers a wake a hair early.
            return .sleep(.milliseconds(Int64((seconds * 1000).rounded())))
        }
        // No window known: the limit seen before, or else one request to learn it. A request always
        // goes when none is in flight, so that waiting for an answer always has one to wait for.
        let allowed = budget.limit ?? (budget.headerless ? Int.max : 1)
        if budget.inFlight == 0 || budget.inFlight < allowed {
            budget.inFlight += 1
            return .go
        }
        return .awaitAnswer
    }

    private static func learn(_ status: RateLimitStatus, into budget: inout Budget, now: Date, maxWait: Duration) {
        if let limit = status.limit, limit >= 0 { budget.limit = limit }
        // An answer from a window already over says nothing about the next one.
        let furthest = now.addingTimeInterval(Double(maxWait.components.seconds))
        guard status.reset > now, status.reset <= furthest else { return }
        if let reset = budget.reset, status.reset <= reset {
            if status.reset == reset { budget.remaining = min(budget.remaining ?? status.remaining, status.remaining) }
            return
        }
        budget.reset = status.reset
        budget.remaining = status.remaining
    }

    private func awaitAnswer(workspace: String) async throws {
        let number = budgets.withLock { budgets in
            defer { budgets[workspace, default: Budget()].nextWaiter += 1 }
            return budgets[workspace, default: Budget()].nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = budgets.withLock { budgets in
                    // Cancelled already, or the answer came in the meantime: no need to wait.
                    guard !Task.isCancelled, budgets[workspace, default: Budget()].inFlight > 0 else { return true }
                    budgets[workspace, default: Budget()].waiters[number] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = budgets.withLock { $0[workspace]?.waiters.removeValue(forKey: number) }
            waiter?.resume()
        }
        try Task.checkCancellation()
    }
}
