import Foundation
import RelinkService

#if canImport(Glibc)
    import Glibc
#endif

/// The person's side of authorizing against the real API, at the terminal.
public struct TerminalInteraction: AuthorizationInteraction {
    public init() {}

    public func present(authorizeURL: URL, waitingForRedirect: Bool) async {
        var message =
            "Open this URL in a browser where you are logged in to Intercom as the app user:\n  \(authorizeURL.absoluteString)\n"
        message +=
            waitingForRedirect
            ? "Waiting for Intercom's redirect on this machine (Ctrl-C to give up)…\n"
            : "Then paste the code, or the whole URL Intercom redirected to.\n"
        FileHandle.standardError.write(Data(message.utf8))
    }

    /// Asks a yes-or-no question at the terminal; anything but "y" or "yes" is no.
    public func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = Swift.readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    public func readPastedCode() async throws -> String {
        FileHandle.standardError.write(Data("Code or redirect URL: ".utf8))
        guard let line = Swift.readLine() else { throw CommandFailure.noCodeGiven }
        return line
    }

    /// Reads a line with echo off, so the token never shows on screen or in a recording.
    public func readHiddenToken() async throws -> String {
        try await Self.readHidden(prompt: "Access token (not shown): ")
    }

    /// Writes `prompt` on standard error and reads one line with echo off (on a terminal; from a
    /// pipe, one line as it comes).
    ///
    /// - Throws: `CommandFailure` at the end of input.
    public static func readHidden(prompt: String) async throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
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
        guard let line = Swift.readLine() else { throw CommandFailure.endOfInput }
        return line
    }
}
