import Foundation

/// A directory that exists for one test and is removed after it.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: immutable after init; the directory is removed when the last reference goes.
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("relink-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// In memory (`/dev/shm`) where there is one, else where `init()` makes it: for tests that
    /// make thousands of stores and sync each commit, where a disk's fsync (milliseconds) would be
    /// most of their time and none of what they test.
    /// Whether ``inMemory()`` gives a directory in memory here (`/dev/shm` is writable).
    public static var memoryIsAvailable: Bool { access("/dev/shm", W_OK) == 0 }

    public static func inMemory() throws -> TemporaryDirectory {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        guard access(shm.path, W_OK) == 0 else { return try TemporaryDirectory() }
        return try TemporaryDirectory(at: shm.appendingPathComponent("relink-test-\(UUID().uuidString)"))
    }

    private init(at url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// An executable built beside the test bundle (SwiftPM builds every product before testing).
public func builtExecutable(_ name: String) throws -> URL {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath {
            return candidate
        }
        directory.deleteLastPathComponent()
    }
    let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    if FileManager.default.isExecutableFile(atPath: argv0.path) { return argv0 }
    throw ExecutableNotFound(name: name)
}

public struct ExecutableNotFound: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "\(name) was not built beside the tests; run `swift build --build-tests` first" }
}

/// A child process whose standard output is read line by line as it comes.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: one test drives it; its blocking reads run on a thread of their own while that
    // test awaits them, never two at once.
    public let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    /// `environment` replaces the variables named in it; the rest are inherited.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The next complete line, or nil at end of output or when none came within `seconds` (a
    /// bound against a hang, generous for a loaded machine; not a synchronisation).
    public func nextLine(within seconds: Double = 60) async -> String? {
        await offThePool { self.blockingNextLine(within: seconds) }
    }

    private func blockingNextLine(within seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var ready = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(min(remaining * 1000, 1000))) > 0 else { continue }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    public func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        await process.waitForExit()
    }
}

/// Every file of a store directory but its lock, by name, with its bytes; anything that is not
/// a regular file by what it is (a link by its target), never read.
public func storeFiles(in directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name != ".lock" {
        let url = directory.appendingPathComponent(name)
        var info = stat()
        guard lstat(url.path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFREG: files[name] = try Data(contentsOf: url)
        case S_IFLNK:
            files[name] = Data("link to \(try FileManager.default.destinationOfSymbolicLink(atPath: url.path))".utf8)
        default: files[name] = Data("mode \(info.st_mode)".utf8)
        }
    }
    return files
}
