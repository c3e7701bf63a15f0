import Foundation
import RelinkCore
import RelinkService
import Synchronization

/// `check --all`'s progress on a terminal: one line, redrawn in place on standard error. While the
/// check waits for Intercom's next rate-limit window, the line says so after the bar; while an
/// answer is slow, it counts the seconds as `check KEY`'s waiting line does ("waiting for
/// Intercom… 4 s"), so every wait on the network shows itself alike.
final class ProgressBar: Sendable {
    private struct State {
        var drawn = false
        var done = 0
        var total = 0
        /// What the check waits for, shown after the count until the next check finishes.
        var note: String?
        /// Whole seconds since the last check finished (or the first began).
        var quietSeconds = 0
        var finished = false
    }

    private let enabled: Bool
    /// The terminal's columns: the line is kept narrower, since a line the terminal wraps would
    /// leave its first rows behind at every redraw.
    private let width: Int
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(enabled: Bool, width: Int = 80) {
        self.enabled = enabled
        self.width = width
        guard enabled else { return }
        ticker.withLock {
            // Weakly held: a bar dropped without finish() stops its ticker with it.
            $0 = Task { [weak self] in
                while !Task.isCancelled {
                    // The ticker's own pace, not a synchronisation: it only draws.
                    try? await Task.sleep(for: .seconds(1))
                    guard !Task.isCancelled, let self else { break }
                    tick()
                }
            }
        }
    }

    deinit { ticker.withLock { $0?.cancel() } }

    /// A second passed: once one has passed without a check finishing, the line counts the wait.
    private func tick() {
        state.withLock { state in
            guard !state.finished else { return }
            state.quietSeconds += 1
            // The rate limit's note says what is waited for already.
            guard state.note == nil || state.note!.hasPrefix("waiting for Intercom") else { return }
            state.note = "waiting for Intercom… \(state.quietSeconds) s"
            draw(&state)
        }
    }

    func update(_ progress: CheckProgress) {
        guard enabled, progress.total > 1 else { return }
        state.withLock { state in
            state.done = progress.done
            state.total = progress.total
            state.note = nil
            state.quietSeconds = 0
            draw(&state)
        }
    }

    /// The check waits for a rate-limit window to end.
    func waiting(_ wait: RateLimitPacer.Wait) {
        guard enabled else { return }
        state.withLock { state in
            state.note = Self.note(for: wait)
            draw(&state)
        }
    }

    func finish() {
        ticker.withLock { $0?.cancel() }
        state.withLock { state in
            state.finished = true
            guard state.drawn else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            state.drawn = false
        }
    }

    /// `line` shortened to one column less than the terminal, so the terminal never wraps it.
    private func fitted(_ line: String) -> String { TerminalText.shortened(line, toColumns: width - 1) }

    /// "rate limit: waiting 4 s for Intercom's next window", the seconds rounded up.
    static func note(for wait: RateLimitPacer.Wait) -> String {
        let seconds = Double(wait.duration.components.seconds) + Double(wait.duration.components.attoseconds) / 1e18
        return "rate limit: waiting \(max(Int(seconds.rounded(.up)), 1)) s for Intercom's next window"
    }

    private func draw(_ state: inout State) {
        guard state.total > 1 else {
            // Nothing checked yet: the wait alone.
            if let note = state.note {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(fitted(note))".utf8))
            }
            state.drawn = state.note != nil || state.drawn
            return
        }
        let cells = 30
        let filled = state.total == 0 ? cells : cells * state.done / state.total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
        let note = state.note.map { " · \($0)" } ?? ""
        let line = fitted("\(bar) \(state.done)/\(state.total) checked\(note)")
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        state.drawn = true
    }
}
