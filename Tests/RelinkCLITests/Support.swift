import CPseudoTerminal
import Foundation
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `relink` executable SwiftPM built beside the tests.
func relinkExecutable() throws -> URL { try builtExecutable("relink") }

/// The checkout's Fixtures directory, found from this source file.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

struct RunResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A copy of the demo fixture and the environment of a plain terminal, without colour.
func demoTerminal() async throws -> (TemporaryDirectory, String, [String: String]) {
    let directory = try TemporaryDirectory()
    let store = directory.file("store").path
    #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "xterm"
    environment["NO_COLOR"] = "1"
    environment["HOME"] = directory.url.path
    return (directory, store, environment)
}

/// relink's REPL on the demo store, on a pseudo-terminal, at its first prompt.
func startedREPL() async throws -> (TemporaryDirectory, String, PseudoTerminalSession) {
    let (directory, store, environment) = try await demoTerminal()
    let repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
    #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")
    return (directory, store, repl)
}

/// Runs relink to completion with `arguments`, standard input from `input`, no terminal.
func runRelink(
    _ arguments: [String], input: String = "", environment extra: [String: String] = [:],
    workingDirectory: URL? = nil
) async throws -> RunResult {
    try await offThePool {
        try blockingRunRelink(arguments, input: input, environment: extra, workingDirectory: workingDirectory)
    }
}

private func blockingRunRelink(
    _ arguments: [String], input: String, environment extra: [String: String], workingDirectory: URL?
) throws -> RunResult {
    let process = Process()
    process.executableURL = try relinkExecutable()
    if let workingDirectory { process.currentDirectoryURL = workingDirectory }
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["RELINK_FIXTURES"] = fixturesDirectory.path
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a full pipe never blocks the child.
    let errors = ErrorCollector(stderr.fileHandleForReading)
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text())
}

/// Collects a pipe on a thread of its own.
final class ErrorCollector: @unchecked Sendable {
    // @unchecked: `data` is written once by the reading thread, read after `done` is signalled.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A program running on a pseudo-terminal: what a person at a terminal types and sees.
///
/// Its waits are `async` and poll on a thread of their own (``offThePool(_:)``), so a test that
/// waits for a prompt does not hold a thread of the cooperative pool.
final class PseudoTerminalSession: @unchecked Sendable {
    // @unchecked: one test drives it; a wait runs on another thread while that test awaits it,
    // never two at once.
    let pid: pid_t
    private let master: Int32
    private(set) var screen = ""
    /// Set once ``waitForExit(within:)`` has reaped the program.
    private var reaped = false

    init(_ executable: URL, _ arguments: [String], environment: [String: String], columns: Int32 = 160) throws {
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var master: Int32 = -1
        pid = relink_spawn_in_pty(executable.path, argv, envp, 40, columns, &master)
        struct SpawnFailed: Error {}
        guard pid > 0 else { throw SpawnFailed() }
        self.master = master
    }

    deinit {
        if !reaped {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Reads output until the program ends, at most `seconds`, and answers its exit status (nil
    /// when it did not end in time or was killed by a signal).
    func waitForExit(within seconds: Double = 20) async -> Int32? {
        await offThePool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var status: Int32 = 0
                if waitpid(self.pid, &status, WNOHANG) == self.pid {
                    self.reaped = true
                    _ = self.blockingExpectEndOfOutput(within: 0.2)
                    // WIFEXITED / WEXITSTATUS, which Glibc's macros do not bring to Swift.
                    return status & 0x7f == 0 ? (status >> 8) & 0xff : nil
                }
                _ = self.blockingExpect("\u{0}", after: nil, within: 0.05)
            }
            return nil
        }
    }

    func type(_ text: String) {
        type(bytes: Array(text.utf8))
    }

    /// Types raw bytes, which need not be UTF-8.
    func type(bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads until the screen (everything since `mark`) contains `text`, or `seconds` pass.
    @discardableResult
    func expect(_ text: String, after mark: String.Index? = nil, within seconds: Double = 20) async -> Bool {
        await offThePool { self.blockingExpect(text, after: mark, within: seconds) }
    }

    private func blockingExpect(_ text: String, after mark: String.Index?, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let from = mark ?? screen.startIndex
            if screen[from...].contains(text) { return true }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) >= 0 else { return false }
            if descriptor.revents & Int16(POLLIN) != 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { return screen[(mark ?? screen.startIndex)...].contains(text) }
                screen += String(decoding: buffer[0..<count], as: UTF8.self)
            } else if descriptor.revents != 0 {
                return screen[(mark ?? screen.startIndex)...].contains(text)
            }
        }
        return false
    }

    var mark: String.Index { screen.endIndex }

    /// Waits until the program has turned the terminal's echo off (a hidden prompt), reading
    /// output meanwhile.
    func expectEchoOff(within seconds: Double = 20) async -> Bool {
        // One thread for the whole wait, not one per 50 ms poll.
        await offThePool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var settings = termios()
                if tcgetattr(self.master, &settings) == 0, settings.c_lflag & tcflag_t(ECHO) == 0 { return true }
                _ = self.blockingExpect("\u{0}", after: nil, within: 0.05)
            }
            return false
        }
    }

    /// Whether the terminal is in canonical (line) mode, as a shell leaves it; libedit turns it
    /// off while it edits a line.
    var isCanonical: Bool {
        var settings = termios()
        guard tcgetattr(master, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ICANON) != 0
    }

    /// Waits until libedit has the terminal in raw mode, reading output meanwhile: the prompt is
    /// drawn a moment before that, and a control key typed in between would go to the terminal's
    /// own line discipline instead of libedit.
    func expectEditing(within seconds: Double = 20) async -> Bool {
        await offThePool { self.blockingExpectMode(canonical: false, within: seconds) }
    }

    /// Waits until the terminal is back in canonical (line) mode, reading output meanwhile: the
    /// line editor has returned the line, and the command runs.
    func expectCommandRunning(within seconds: Double = 20) async -> Bool {
        await offThePool { self.blockingExpectMode(canonical: true, within: seconds) }
    }

    /// Polls the terminal's mode every 10 ms until it is `canonical`, reading output meanwhile.
    private func blockingExpectMode(canonical: Bool, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isCanonical == canonical { return true }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 10) >= 0 else { return false }
            if descriptor.revents & Int16(POLLIN) != 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { return false }
                screen += String(decoding: buffer[0..<count], as: UTF8.self)
            }
        }
        return false
    }

    /// Reads until the program has closed the terminal (it ended), at most `seconds`.
    func expectEndOfOutput(within seconds: Double = 20) async -> Bool {
        await offThePool { self.blockingExpectEndOfOutput(within: seconds) }
    }

    private func blockingExpectEndOfOutput(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) >= 0 else { return false }
            guard descriptor.revents != 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { return true }
            screen += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return false
    }
}

/// Waits, at most `seconds`, until process `pid` runs `executable` and catches `signal` (its
/// handler is installed), by reading /proc/PID/exe and the SigCgt mask of /proc/PID/status.
/// (Before exec the child still has the test runner's handlers.)
func waitUntilCatching(_ signal: Int32, pid: pid_t, executable: URL, within seconds: Double = 20) async -> Bool {
    await offThePool { blockingWaitUntilCatching(signal, pid: pid, executable: executable, within: seconds) }
}

private func blockingWaitUntilCatching(_ signal: Int32, pid: pid_t, executable: URL, within seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
            running == executable.resolvingSymlinksInPath().path,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
            mask & (1 << UInt64(signal - 1)) != 0
        {
            return true
        }
        _ = poll(nil, 0, 5)  // a bounded poll of a condition, not a synchronisation by time
    }
    return false
}

/// Puts an executable at `destination` as an installed copy: a hard link where it can (the same
/// file, never open for writing), else a copy. A copy that another test's fork inherited open for
/// writing cannot be run until that child execs: `ETXTBSY`, "Text file busy".
func install(_ executable: URL, at destination: URL) throws {
    try FileManager.default.createDirectory(
        at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard !FileManager.default.fileExists(atPath: destination.path) else { return }
    do {
        try FileManager.default.linkItem(at: executable, to: destination)
    } catch {
        try FileManager.default.copyItem(at: executable, to: destination)
    }
}

/// Runs any program to completion, no terminal, standard input empty; off the cooperative pool.
/// `environment` changes the test's own environment (a nil value removes the variable).
func runProgram(
    _ executable: URL, _ arguments: [String], environment changes: [String: String?] = [:], in directory: URL? = nil
) async throws -> RunResult {
    try await offThePool {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let errors = ErrorCollector(stderr.fileHandleForReading)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text())
    }
}
