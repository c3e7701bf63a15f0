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
///
/// Input is UTF-8: the read function decodes it into Unicode scalars for libedit, which keeps
/// wide characters and encodes the line back with the C library under a UTF-8 `LC_CTYPE`.
/// Ctrl-C is read as the byte 0x03 (the terminal's signal keys are off while a line is edited),
/// so it abandons exactly the keys typed before it; SIGINT, SIGTERM and SIGHUP sent from
/// elsewhere arrive through ``Interrupts``' pipe, which the read polls beside the keyboard.
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        case interrupted
        case endOfInput
        /// SIGTERM or SIGHUP: relink ends, with the terminal restored.
        case terminated(Interrupt)
    }

    private let rememberLine: (String) -> Void

    /// Completion and the read function are C callbacks that can capture nothing, so the one live
    /// editor's state is reached through these globals. The REPL runs one editor, on one thread,
    /// and only that thread touches them (the signal handlers write to a pipe, not to these).
    nonisolated(unsafe) private static var completer: ((_ line: String, _ word: String) -> [String])?
    nonisolated(unsafe) private static var pendingMatches: [String] = []
    /// Why the read function ended the line, when it did (an interrupt or a termination).
    nonisolated(unsafe) private static var ending: Interrupt?
    /// A byte read ahead while decoding UTF-8 that belongs to the next character.
    nonisolated(unsafe) private static var readAhead: UInt8?
    nonisolated(unsafe) private static var signals: Int32 = -1

    /// How long the rest of a UTF-8 sequence may take once its first byte has arrived. A terminal
    /// sends a character in one write; this bounds the wait on a lone lead byte.
    private static let continuationWaitMilliseconds: Int32 = 100

    /// - Parameters:
    ///   - history: earlier lines, oldest first, for recall and reverse search.
    ///   - remember: keeps a line for later sessions (the store's history file).
    init(
        name: String, history: [String], remember: @escaping (String) -> Void,
        completer: @escaping (_ line: String, _ word: String) -> [String]
    ) {
        self.rememberLine = remember
        Self.completer = completer
        // Before rl_initialize: libedit decides which characters are printable, and encodes the
        // line it returns, by LC_CTYPE.
        Self.useUTF8Characters()
        Self.signals = Interrupts.install()
        relink_set_readline_name(strdup(name))
        // Before rl_initialize, which reads these settings.
        relink_leave_signals_alone()
        relink_keep_signal_keys_as_bytes()
        relink_set_getc { _ in LineEditor.nextCharacter() }
        rl_initialize()
        _ = relink_bind_reverse_search()
        relink_set_attempted_completion { text, _, _ in
            // Returning nil with rl_attempted_completion_over unset would fall back to file names.
            relink_set_completion_over()
            let word = text.map { String(cString: $0) } ?? ""
            let line = relink_line_buffer().map { String(cString: $0) } ?? ""
            LineEditor.pendingMatches = LineEditor.completer?(line, word) ?? []
            // A directory completes to its `/`, ready for the next name, not to a space.
            let directory = LineEditor.pendingMatches.count == 1 && LineEditor.pendingMatches[0].hasSuffix("/")
            relink_set_completion_append(directory ? 0 : 32)
            return rl_completion_matches(text) { _, state in
                if state == 0 { LineEditor.pendingMatches = LineEditor.pendingMatches.reversed() }
                guard let match = LineEditor.pendingMatches.popLast() else { return nil }
                return strdup(match)
            }
        }
        for line in history { add_history(line) }
    }

    deinit {
        Self.completer = nil
    }

    /// Reads one line with editing.
    func readLine(prompt: String) -> Input {
        Self.ending = nil
        Self.readAhead = nil
        let raw = readline(prompt)
        let ending = Self.ending
        Self.ending = nil
        if let raw {
            defer { free(raw) }
            return .line(String(cString: raw))
        }
        switch ending {
        case .interrupt?:
            // libedit has put the terminal back; start a fresh line below the abandoned one.
            FileHandle.standardOutput.write(Data("^C\n".utf8))
            return .interrupted
        case let interrupt?:
            return .terminated(interrupt)
        case nil:
            return .endOfInput
        }
    }

    /// Adds a line to history, in memory and for later sessions; skipped when it carries a secret.
    func remember(_ line: String, carriesSecret: Bool) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !carriesSecret, !trimmed.contains("\n") else { return }
        add_history(trimmed)
        rememberLine(trimmed)
    }

    /// LC_CTYPE from the environment when it is UTF-8, else C.UTF-8: relink reads and writes UTF-8
    /// whatever the locale says, and libedit drops every character it cannot encode in LC_CTYPE.
    private static func useUTF8Characters() {
        setlocale(LC_CTYPE, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
        setlocale(LC_CTYPE, "C.UTF-8")
    }

    private enum Read {
        case byte(UInt8)
        case timedOut
        /// End of input, a read error, or a signal (then ``ending`` says which).
        case ended
    }

    /// The next character for libedit: one Unicode scalar decoded from UTF-8, or EOF to end the
    /// line (Ctrl-C, a signal, the end of input). A malformed or incomplete sequence reads as
    /// U+FFFD, and a byte that cannot continue it is kept for the next character.
    private static func nextCharacter() -> Int32 {
        guard case .byte(let lead) = nextByte(waitingAtMost: -1) else { return EOF }
        if lead == 0x03 {  // Ctrl-C
            ending = .interrupt
            return EOF
        }
        if lead < 0x80 { return Int32(lead) }
        let replacement: Int32 = 0xFFFD  // U+FFFD REPLACEMENT CHARACTER
        let length =
            switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 0  // a continuation byte without a lead, or a byte UTF-8 never uses
            }
        guard length > 0 else { return replacement }
        var bytes = [lead]
        while bytes.count < length {
            switch nextByte(waitingAtMost: continuationWaitMilliseconds) {
            case .byte(let byte) where byte & 0xC0 == 0x80:
                bytes.append(byte)
            case .byte(let byte):
                readAhead = byte
                return replacement
            case .timedOut:
                return replacement
            case .ended:
                return ending == nil ? replacement : EOF
            }
        }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return replacement }
        return Int32(scalar.value)
    }

    /// One byte of the keyboard, waiting at most `milliseconds` (-1: as long as it takes); a
    /// signal on ``Interrupts``' pipe ends the wait, and wins over keys that arrived with it.
    private static func nextByte(waitingAtMost milliseconds: Int32) -> Read {
        if let byte = readAhead {
            readAhead = nil
            return .byte(byte)
        }
        while true {
            var descriptors = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, signals >= 0 ? 2 : 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return .ended
            }
            if ready == 0 { return .timedOut }
            if signals >= 0, descriptors[1].revents != 0, let interrupt = Interrupts.take() {
                ending = interrupt
                return .ended
            }
            guard descriptors[0].revents != 0 else { continue }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return .byte(byte) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            return .ended  // end of input or a read error: libedit ends the line as at Ctrl-D
        }
    }
}
