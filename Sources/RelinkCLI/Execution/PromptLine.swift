import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One line a person types at a prompt, read so that Ctrl-C cancels it at once.
///
/// `Swift.readLine()` blocks its thread in `read(2)` until Enter, deaf to the task's cancellation,
/// so a Ctrl-C at a prompt did nothing until the person pressed Enter. On a terminal this reads
/// the descriptor itself, polling it beside a pipe that the task's cancellation writes to: Ctrl-C
/// (which cancels the command's task, ``Interrupts/cancellable(_:)``) ends the read with
/// `CancellationError` straight away. The terminal is in canonical mode while a command runs (the
/// line editor restores it), so the line discipline hands over whole lines and does the editing.
///
/// When standard input is not a terminal (a pipe, a script), lines come from `Swift.readLine()` as
/// before: the script's own reader may have buffered the next lines already, and only a buffered
/// read sees them.
enum PromptLine {
    /// Reads one line from standard input, without its newline; nil at the end of input.
    /// - Parameter hidden: turn the terminal's echo off while the line is typed (a secret).
    /// - Throws: `CancellationError` when the task is cancelled while the person types.
    static func read(hidden: Bool) async throws -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return Swift.readLine() }
        var original = termios()
        let echoing = hidden && tcgetattr(STDIN_FILENO, &original) == 0
        if echoing {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if echoing {
                var restore = original
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &restore)
                // The Enter that ended a hidden line was not echoed either.
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        let wake = try WakePipe()
        defer { wake.close() }
        return try await withTaskCancellationHandler {
            try await Task.detached { try wake.readLine(from: STDIN_FILENO) }.value
        } onCancel: {
            wake.signal()
        }
    }
}

/// A pipe whose only purpose is to wake a `poll` from another thread.
private final class WakePipe: @unchecked Sendable {
    // Written once in init, then read only; closed after the reader has returned.
    private let ends: (read: Int32, write: Int32)

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        ends = (fds[0], fds[1])
    }

    func signal() {
        var byte: UInt8 = 1
        _ = write(ends.write, &byte, 1)
    }

    func close() {
        Glibc.close(ends.read)
        Glibc.close(ends.write)
    }

    /// Bytes from `descriptor` up to a newline (not included), or nil at the end of input with
    /// nothing read. Throws `CancellationError` once the pipe is signalled.
    func readLine(from descriptor: Int32) throws -> String? {
        var line: [UInt8] = []
        while true {
            var descriptors = [
                pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: ends.read, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw POSIXError(.init(rawValue: errno) ?? .EIO)
            }
            if descriptors[1].revents != 0 { throw CancellationError() }
            guard descriptors[0].revents != 0 else { continue }
            var byte: UInt8 = 0
            let count = Glibc.read(descriptor, &byte, 1)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw POSIXError(.init(rawValue: errno) ?? .EIO)
            }
            if count == 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            // A line longer than anyone types is cut, not grown without end.
            if line.count < 1 << 16 { line.append(byte) }
        }
    }
}
