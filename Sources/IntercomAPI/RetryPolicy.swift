import Foundation

/// Retries transient Intercom failures with exponential backoff, honouring `Retry-After` and
/// `X-RateLimit-Reset`.
///
/// Only failures whose ``IntercomFailure/isTransient`` is true are retried: a 401, 403, 404 or 400
/// is answered at once, since asking again cannot change Intercom's verdict. After a 429 (or a 5xx
/// with `Retry-After`) the policy waits as long as Intercom said (``IntercomFailure/rateLimitReset``:
/// `Retry-After` first, then `X-RateLimit-Reset`; at most ``maxRateLimitWait``); after anything else it
/// waits `baseDelay × 2^(attempt-1)`, at most ``maxDelay``. The sleep and the clock are injectable
/// so tests record the waits instead of sleeping.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The wait before the first retry; it doubles for each further one.
    public var baseDelay: Duration
    /// The longest backoff wait.
    public var maxDelay: Duration
    /// The longest wait for a rate-limit window to reset.
    public var maxRateLimitWait: Duration
    /// Waits; throws when cancelled, which ends the retries with the last failure.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The clock the reset time is compared with.
    public var now: @Sendable () -> Date
    /// Told before each wait, with the failure that caused it: a person at a terminal is shown why
    /// relink waits and for how long.
    public var onRetry: @Sendable (_ failure: IntercomFailure, _ wait: Duration) -> Void = { _, _ in }

    /// A policy; the defaults suit a health check (3 attempts, 0.5 s then 1 s, rate-limit waits up to a minute).
    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxRateLimitWait: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRateLimitWait = maxRateLimitWait
        self.sleep = sleep
        self.now = now
    }

    /// One attempt only.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Runs `operation` until it succeeds, fails for good, or the attempts run out; answers the last result.
    public func run<T>(_ operation: @Sendable () async -> Result<T, IntercomFailure>) async -> Result<
        T, IntercomFailure
    > {
        var attempt = 1
        while true {
            let result = await operation()
            guard case .failure(let failure) = result, failure.isTransient, attempt < maxAttempts else {
                return result
            }
            let wait = delay(after: failure, attempt: attempt)
            onRetry(failure, wait)
            do {
                try await sleep(wait)
            } catch {
                // Cancelled while waiting: the caller gets the evidence it has.
                return result
            }
            attempt += 1
        }
    }

    /// The wait before attempt `attempt + 1`, after `failure`.
    public func delay(after failure: IntercomFailure, attempt: Int) -> Duration {
        if failure.isTransient, let reset = failure.rateLimitReset {
            // The header has whole seconds: waiting until the reset itself may land a hair early,
            // so the wait rounds up to the next whole second.
            let seconds = max(0, reset.timeIntervalSince(now()).rounded(.up))
            return min(.seconds(seconds), maxRateLimitWait)
        }
        let factor = 1 << min(max(attempt - 1, 0), 30)
        return min(baseDelay * factor, maxDelay)
    }
}
