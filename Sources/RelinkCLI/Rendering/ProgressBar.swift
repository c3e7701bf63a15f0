import Foundation
import RelinkService
import Synchronization

/// `check --all`'s progress on a terminal: one line, redrawn in place on standard error. While the
/// check waits for Intercom's next rate-limit window, the line says so after the bar.
final class ProgressBar: Sendable {
    private struct State {
        var drawn = false
        var done = 0
        var total = 0
        /// What the check waits for, shown after the count until the next check finishes.
        var note: String?
    }

    private let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: CheckProgress) {
        guard enabled, progress.total > 1 else { return }
        state.withLock { state in
            state.done = progress.done
            state.total = progress.total
            state.note = nil
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
        state.withLock { state in
            guard state.drawn else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            state.drawn = false
        }
    }

    /// "rate limit: waiting 4 s for Intercom's next window", the seconds rounded up.
    static func note(for wait: RateLimitPacer.Wait) -> String {
        let seconds = Double(wait.duration.components.seconds) + Double(wait.duration.components.attoseconds) / 1e18
        return "rate limit: waiting \(max(Int(seconds.rounded(.up)), 1)) s for Intercom's next window"
    }

    private func draw(_ state: inout State) {
        guard state.total > 1 else {
            // Nothing checked yet: the wait alone.
            if let note = state.note { FileHandle.standardError.write(Data("\r\u{1B}[K\(note)".utf8)) }
            state.drawn = state.note != nil || state.drawn
            return
        }
        let width = 30
        let filled = state.total == 0 ? width : width * state.done / state.total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let note = state.note.map { " · \($0)" } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar) \(state.done)/\(state.total) checked\(note)".utf8))
        state.drawn = true
    }
}
