import Foundation
import RelinkService

/// `check --all`'s progress on a terminal: one line, redrawn in place on standard error.
final class ProgressBar: @unchecked Sendable {
    // @unchecked: `update` is called from the check loop only, one call at a time.
    private let enabled: Bool
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: CheckProgress) {
        guard enabled, progress.total > 1 else { return }
        let width = 30
        let filled = progress.total == 0 ? width : width * progress.done / progress.total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(progress.done)/\(progress.total) checked".utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
