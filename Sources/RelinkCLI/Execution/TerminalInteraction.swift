import Foundation
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

    /// - Parameter feedback: the composition root's one `WaitFeedback` (the one the executor draws).
    public init(feedback: WaitFeedback = WaitFeedback(enabled: false)) {
        self.feedback = feedback
    }

    public func present(authorizeURL: URL, waitingForRedirect: Bool) async {
        var message =
            "Open this URL in a browser where you are logged in to Intercom as the app user:\n  \(authorizeURL.absoluteString)\n"
        message +=
            waitingForRedirect
            ? "Waiting for Intercom's redirect on this machine (Ctrl-C to give up)…\n"
            : "Then paste the code, or the whole URL Intercom redirected to.\n"
        feedback.whilePrompting { FileHandle.standardError.write(Data(message.utf8)) } as Void
    }

    /// Asks a yes-or-no question at the terminal; anything but "y" or "yes" is no.
    ///
    /// - Throws: `CancellationError` on Ctrl-C.
    public func confirm(_ question: String) async throws -> Bool {
        try await feedback.whilePrompting {
            FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
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
