import Foundation
import RelinkService

#if canImport(Glibc)
    import Glibc
#endif

/// The person's side of authorizing against the real API, at the terminal.
struct TerminalInteraction: AuthorizationInteraction {
    func present(authorizeURL: URL, waitingForRedirect: Bool) async {
        var message = "Open this URL in a browser where you are logged in to Intercom as the app user:\n  \(authorizeURL.absoluteString)\n"
        message += waitingForRedirect
            ? "Waiting for Intercom's redirect on this machine (Ctrl-C to give up)…\n"
            : "Then paste the code, or the whole URL Intercom redirected to.\n"
        FileHandle.standardError.write(Data(message.utf8))
    }

    func readPastedCode() async throws -> String {
        FileHandle.standardError.write(Data("Code or redirect URL: ".utf8))
        guard let line = Swift.readLine() else { throw CommandFailure("no code given") }
        return line
    }

    /// Reads a line with echo off, so the token never shows on screen or in a recording.
    func readHiddenToken() async throws -> String {
        FileHandle.standardError.write(Data("Access token (not shown): ".utf8))
        var original = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &original) == 0
        if isTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if isTerminal {
                var restore = original
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &restore)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = Swift.readLine() else { throw CommandFailure("no access token given") }
        return line
    }
}

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
