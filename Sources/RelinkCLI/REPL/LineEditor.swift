import CLibEdit
import Foundation
import RelinkStore

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL's line editor: every call into libedit is in this type.
///
/// History is kept in a file of mode 0600 that this type appends to line by line; a line the
/// caller marks as carrying a secret is never added, neither to memory nor to the file.
/// Ctrl-C abandons the line being edited, Ctrl-D on an empty line ends input, Ctrl-R searches
/// history backwards, Tab completes through `completer`.
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        case interrupted
        case endOfInput
    }

    private let rememberLine: (String) -> Void

    /// Completion is a C callback that can capture nothing, so the one live editor's completer
    /// is reached through this global. The REPL runs one editor, on one thread.
    nonisolated(unsafe) private static var completer: ((_ line: String, _ word: String) -> [String])?
    nonisolated(unsafe) private static var pendingMatches: [String] = []
    nonisolated(unsafe) private static var interrupted: sig_atomic_t = 0
    nonisolated(unsafe) private static var terminated: sig_atomic_t = 0

    /// - Parameters:
    ///   - history: earlier lines, oldest first, for recall and reverse search.
    ///   - remember: keeps a line for later sessions (the store's history file).
    init(
        name: String, history: [String], remember: @escaping (String) -> Void,
        completer: @escaping (_ line: String, _ word: String) -> [String]
    ) {
        self.rememberLine = remember
        Self.completer = completer
        relink_set_readline_name(strdup(name))
        // Before rl_initialize, which reads these settings.
        relink_leave_signals_alone()
        relink_set_getc { _ in
            // SIGINT may be handled on another thread than the one reading (the REPL runs on
            // Swift's task pool), so the read is never interrupted by it: wait in short polls
            // and look at the flag between them.
            var byte: UInt8 = 0
            while true {
                if LineEditor.interrupted != 0 { return EOF }
                var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 100)
                if ready < 0, errno == EINTR { continue }
                if ready == 0 { continue }
                let count = read(STDIN_FILENO, &byte, 1)
                if count == 1 { break }
                if count < 0, errno == EINTR { continue }
                return EOF
            }
            if byte == 0x03 {  // Ctrl-C as a byte (a terminal without signal keys)
                LineEditor.interrupted = 1
                return EOF
            }
            return Int32(byte)
        }
        rl_initialize()
        _ = relink_bind_reverse_search()
        relink_set_attempted_completion { text, _, _ in
            // Returning nil with rl_attempted_completion_over unset would fall back to file names.
            relink_set_completion_over()
            let word = text.map { String(cString: $0) } ?? ""
            let line = relink_line_buffer().map { String(cString: $0) } ?? ""
            LineEditor.pendingMatches = LineEditor.completer?(line, word) ?? []
            return rl_completion_matches(text) { _, state in
                if state == 0 { LineEditor.pendingMatches = LineEditor.pendingMatches.reversed() }
                guard let match = LineEditor.pendingMatches.popLast() else { return nil }
                return strdup(match)
            }
        }
        for line in history { add_history(line) }
        installInterruptHandler()
    }

    deinit {
        Self.completer = nil
        for signal in [SIGINT, SIGTERM, SIGHUP] { Glibc.signal(signal, SIG_DFL) }
    }

    /// Reads one line with editing.
    func readLine(prompt: String) -> Input {
        Self.interrupted = 0
        guard let raw = readline(prompt) else {
            if Self.terminated != 0 { return .endOfInput }
            if Self.interrupted != 0 {
                // libedit has put the terminal back; start a fresh line below the abandoned one.
                FileHandle.standardOutput.write(Data("^C\n".utf8))
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    /// Adds a line to history, in memory and for later sessions; skipped when it carries a secret.
    func remember(_ line: String, carriesSecret: Bool) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !carriesSecret, !trimmed.contains("\n") else { return }
        add_history(trimmed)
        rememberLine(trimmed)
    }

    /// SIGINT sets a flag that the read function polls for, so Ctrl-C abandons the line instead
    /// of ending relink.
    private func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in LineEditor.interrupted = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // SIGTERM and SIGHUP end the read the same way, so libedit restores the terminal before
        // relink leaves.
        var terminate = sigaction()
        terminate.__sigaction_handler.sa_handler = { _ in
            LineEditor.terminated = 1
            LineEditor.interrupted = 1
        }
        sigemptyset(&terminate.sa_mask)
        sigaction(SIGTERM, &terminate, nil)
        sigaction(SIGHUP, &terminate, nil)
    }
}
