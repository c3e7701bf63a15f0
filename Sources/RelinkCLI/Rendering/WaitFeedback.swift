import Foundation
import IntercomAPI
import Synchronization

/// What relink waits for, on one line of a terminal's standard error: a retry after a 429 ("rate
/// limited by Intercom; retrying in 9 s"), a backoff after a 5xx, a slow answer ("waiting for
/// Intercom… 5 s"). Quiet when standard error is not a terminal and with `--json`.
public final class WaitFeedback: Sendable {
    private let enabled: Bool
    /// Whether a line is on screen, to be cleared before anything else is printed.
    private let drawn = Mutex(false)
    /// How many prompts are waiting for the person now: while one is, nothing is drawn, so the
    /// prompt stays on screen and the counter says nothing about a wait that is not Intercom's.
    private let prompts = Mutex(0)

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Feedback for a terminal, off elsewhere.
    public static func forStandardError(json: Bool) -> WaitFeedback {
        WaitFeedback(enabled: !json && isatty(STDERR_FILENO) == 1)
    }

    /// The retry policy's wait, said when it is a second or more.
    public func retrying(after failure: IntercomFailure, wait: Duration) {
        guard wait >= .seconds(1) else { return }
        let seconds = Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up))
        let why =
            switch failure.kind {
            case .rateLimited: "rate limited by Intercom"
            case .serverError: "Intercom answered \(failure.status ?? 500)"
            case .timeout: "Intercom did not answer in time"
            case .unreachable: "Intercom could not be reached"
            default: "Intercom's answer was not usable"
            }
        show("\(why); retrying in \(seconds) s")
    }

    /// Runs `work`, saying after a second that relink waits for Intercom, and for how long so far.
    func whileWaiting<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        guard enabled else { return try await work() }
        let ticker = Task { [self] in
            var elapsed = 0
            while !Task.isCancelled {
                // The ticker's own pace, not a synchronisation: it only draws.
                try? await Task.sleep(for: .seconds(1))
                guard !Task.isCancelled else { break }
                // A prompt's time is the person's: the count starts again after it.
                if isPrompting {
                    elapsed = 0
                    continue
                }
                elapsed += 1
                show("waiting for Intercom… \(elapsed) s")
            }
        }
        defer {
            ticker.cancel()
            clear()
        }
        return try await work()
    }

    /// Runs `prompt`, which waits for the person: the line is cleared first and nothing is drawn
    /// until it returns.
    public func whilePrompting<T>(_ prompt: () async throws -> T) async rethrows -> T {
        prompts.withLock { $0 += 1 }
        clear()
        defer { prompts.withLock { $0 -= 1 } }
        return try await prompt()
    }

    /// ``whilePrompting(_:)`` for a prompt read without suspending (a yes-or-no question).
    public func whilePrompting<T>(_ prompt: () throws -> T) rethrows -> T {
        prompts.withLock { $0 += 1 }
        clear()
        defer { prompts.withLock { $0 -= 1 } }
        return try prompt()
    }

    private var isPrompting: Bool { prompts.withLock { $0 > 0 } }

    /// Removes the line, if one is drawn.
    func clear() {
        guard enabled else { return }
        let wasDrawn = drawn.withLock { value in
            defer { value = false }
            return value
        }
        if wasDrawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func show(_ text: String) {
        guard enabled, !isPrompting else { return }
        drawn.withLock { value in
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
            value = true
        }
    }
}
