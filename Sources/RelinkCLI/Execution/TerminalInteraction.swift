import Foundation
import RelinkCore
import RelinkService

/// The person's side of authorizing against the real API, at the terminal.
///
/// Every prompt waits for the person, not for Intercom: it runs inside
/// ``WaitFeedback/whilePrompting(_:)`` so the "waiting for Intercom…" counter never draws over it,
/// and reads its line with ``PromptLine`` so that Ctrl-C (which cancels the command's task) ends
/// it at once with `CancellationError`.
public struct TerminalInteraction: AuthorizationInteraction {
    /// The counter the commands run under; silenced while a prompt waits.
    let feedback: WaitFeedback
    /// The terminal's columns: a question wraps at its words to fit them.
    let width: Int

    /// - Parameters:
    ///   - feedback: the composition root's one `WaitFeedback` (the one the executor draws).
    ///   - width: the terminal's columns (the style's width).
    public init(feedback: WaitFeedback = WaitFeedback(enabled: false), width: Int = 80) {
        self.feedback = feedback
        self.width = width
    }

    public func present(authorizeURL: URL, waitingForRedirect: Bool) async {
        // The URL stands alone on its line, whole, so that a person copies it in one piece.
        var message =
            TerminalText.fitted("Open this URL in a browser where you are logged in to Intercom as the app user:", width: width)
            + "\n  \(authorizeURL.absoluteString)\n"
        message += TerminalText.fitted(
            waitingForRedirect
                ? "Waiting for Intercom's redirect on this machine (Ctrl-C to give up)…"
                : "Then paste the code, or the whole URL Intercom redirected to.", width: width) + "\n"
        feedback.whilePrompting { FileHandle.standardError.write(Data(message.utf8)) } as Void
    }

    /// Asks a yes-or-no question at the terminal; anything but "y" or "yes" is no.
    ///
    /// - Throws: `CancellationError` on Ctrl-C.
    public func confirm(_ question: String) async throws -> Bool {
        try await feedback.whilePrompting {
            // `[y/N]` stays with the question's last word; the answer is typed after it.
            let asked = TerminalText.wrap(question + " [y/N]", width: width - 2).joined(separator: "\n")
            FileHandle.standardError.write(Data("\(asked) ".utf8))
            let answer = try await PromptLine.read(hidden: false)?.trimmingCharacters(in: .whitespaces).lowercased()
            return answer == "y" || answer == "yes"
        }
    }

    /// - Throws: `CancellationError` on Ctrl-C, `CommandFailure.noCodeGiven` at the end of input.
    public func readPastedCode() async throws -> String {
        try await feedback.whilePrompting {
            FileHandle.standardError.write(Data("Code or redirect URL: ".utf8))
            guard let line = try await PromptLine.read(hidden: false) else { throw CommandFailure.noCodeGiven }
            return line
        }
    }

    /// Reads a line with echo off, so the token never shows on screen or in a recording.
    public func readHiddenToken() async throws -> String {
        try await feedback.whilePrompting { try await Self.readHidden(prompt: "Access token (not shown): ") }
    }

    /// Writes `prompt` on standard error and reads one line with echo off (on a terminal; from a
    /// pipe, one line as it comes).
    ///
    /// - Throws: `CancellationError` on Ctrl-C, `CommandFailure.endOfInput` at the end of input.
    public static func readHidden(prompt: String) async throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard let line = try await PromptLine.read(hidden: true) else { throw CommandFailure.endOfInput }
        return line
    }
}
