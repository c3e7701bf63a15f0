import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opening the store's files so that only regular files are ever read or written.
///
/// A symbolic link, device, pipe or directory in place of a store file is refused, never
/// followed: a journal linked to `/dev/null` would swallow every commit, a dangling link would
/// make relink create a file wherever it points, and `/dev/zero` would be read forever. Every
/// open uses `O_NOFOLLOW` (the last path component is never a link that is followed) and
/// `O_NONBLOCK` (a pipe does not hang the open), then checks with `fstat` what was opened, so
/// that nothing can be swapped in between the check and the use.
package enum StoreFile {
    /// The whole content of one of the store's files, or nil when it does not exist.
    ///
    /// - Throws: `StoreError.notARegularFile` when something else is in its place; `.io` when it
    ///   cannot be read.
    package static func read(_ url: URL) throws(StoreError) -> Data? {
        try read(url, from: 0)
    }

    /// Appends `data` to one of the store's files (the REPL's history, say), creating it with
    /// `mode` when absent and setting `mode` when it was created more openly by something else.
    ///
    /// - Throws: `StoreError.notARegularFile` when something else is in its place (nothing is
    ///   created or written then); `.io` when it cannot be written.
    package static func append(_ data: Data, to url: URL, mode: mode_t) throws(StoreError) {
        guard let fd = try openRegular(url, O_WRONLY | O_APPEND | O_CREAT, mode: mode) else {
            throw StoreError.io(url, "open for appending", errno: ENOENT)
        }
        defer { close(fd) }
        fchmod(fd, mode)
        guard data.withUnsafeBytes({ writeAtEnd(fd, $0) }) else { throw StoreError.io(url, "append") }
    }

    /// `write` until all of `buffer` is written (a short write or an `EINTR` is retried, never
    /// reported); on an `O_APPEND` descriptor each call lands at the end. False when a write
    /// fails (errno says why).
    package static func writeAtEnd(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = FileSystemCalls.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }

    /// The content from byte `offset` on, or nil when the file does not exist.
    package static func read(_ url: URL, from offset: Int) throws(StoreError) -> Data? {
        guard let fd = try openRegular(url, O_RDONLY, mode: 0) else { return nil }
        defer { close(fd) }
        return try read(descriptor: fd, url: url, from: offset)
    }

    /// The content of the open file `fd` (which is `url`) from byte `offset` on.
    package static func read(descriptor fd: Int32, url: URL, from offset: Int) throws(StoreError) -> Data? {
        var info = stat()
        // A buffer of the file's size and a byte (so that the read finding the end needs no
        // growth), grown should the file grow meanwhile. Not zero-filled: at 100,000 projects
        // filling 82 MB with zeros only to overwrite them was a tenth of the open.
        var capacity = (fstat(fd, &info) == 0 ? max(Int(info.st_size) - offset, 0) : 0) + 1
        guard var buffer = allocateReadBuffer(capacity) else { throw StoreError.io(url, "read", errno: ENOMEM) }
        var filled = 0
        while true {
            if filled == capacity {
                capacity += 1 << 16
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    throw StoreError.io(url, "read", errno: ENOMEM)
                }
                buffer = grown
            }
            let n = pread(fd, buffer + filled, capacity - filled, off_t(offset + filled))
            if n < 0 {
                let code = errno
                if code == EINTR || code == EAGAIN { continue }
                free(buffer)
                throw StoreError.io(url, "read", errno: code)
            }
            if n == 0 { break }
            filled += n
        }
        guard filled > 0 else {
            free(buffer)
            return Data()
        }
        return Data(bytesNoCopy: buffer, count: filled, deallocator: .free)
    }

    /// A buffer for `capacity` bytes, to be released with `free`. A large one is aligned to 2 MiB
    /// and asks for transparent huge pages: the kernel then zeroes and maps it in 2 MiB pieces
    /// rather than 4 KiB ones, which at 82 MB was most of the read's cost.
    private static func allocateReadBuffer(_ capacity: Int) -> UnsafeMutableRawPointer? {
        let hugePage = 2 << 20
        guard capacity >= 2 * hugePage else { return malloc(capacity) }
        var buffer: UnsafeMutableRawPointer?
        guard posix_memalign(&buffer, hugePage, capacity) == 0, let buffer else { return nil }
        #if os(Linux)
            _ = madvise(buffer, capacity / hugePage * hugePage, MADV_HUGEPAGE)
        #endif
        return buffer
    }

    /// Opens a store file that must be a regular file; nil when it does not exist and `flags`
    /// do not create it.
    ///
    /// - Throws: `StoreError.notARegularFile` naming what is there instead; `.io` otherwise.
    package static func openRegular(_ url: URL, _ flags: Int32, mode: mode_t) throws(StoreError) -> Int32? {
        let fd = FileSystemCalls.retryingInterrupts {
            FileSystemCalls.open(url.path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        }
        guard fd >= 0 else {
            let code = errno
            if let found = nonRegularKind(url) { throw .notARegularFile(file: url.path, found: found) }
            if code == ENOENT, flags & O_CREAT == 0 { return nil }
            throw StoreError.io(url, "open", errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = StoreError.io(url, "inspect")
            close(fd)
            throw error
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notARegularFile(file: url.path, found: describe(mode: info.st_mode, at: url))
        }
        return fd
    }

    /// Refuses a path that holds something other than a regular file; absent is fine.
    ///
    /// - Throws: `StoreError.notARegularFile`.
    package static func requireRegularOrAbsent(_ url: URL) throws(StoreError) {
        if let found = nonRegularKind(url) { throw .notARegularFile(file: url.path, found: found) }
    }

    /// Whether anything (a dangling link included) is at the path.
    package static func exists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// What is at the path when it is there and is not a regular file, in words.
    package static func nonRegularKind(_ url: URL) -> String? {
        var info = stat()
        guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else { return nil }
        return describe(mode: info.st_mode, at: url)
    }

    private static func describe(mode: mode_t, at url: URL) -> String {
        switch mode & S_IFMT {
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(url.path, &target, target.count - 1)
            guard count >= 0 else { return "a symbolic link" }
            let destination = String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var info = stat()
            let dangling = stat(url.path, &info) != 0
            return "a symbolic link to \(destination)" + (dangling ? ", which does not exist" : "")
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}

/// A store file of readable JSON written whole (`world.json`, `settings.json`, `mock-faults.json`):
/// pretty and key-sorted so a person can read and diff it, replaced atomically, and never
/// overwritten when it is damaged (a load refuses it first).
package enum ReadableJSONFile {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The file's value; `nil` when there is none.
    ///
    /// - Throws: `StoreError.damaged` naming the file, `what` it should be and the problem (then
    ///   `advice`, when given); `.notARegularFile` when something else is in its place.
    package static func load<T: Decodable>(
        _ type: T.Type, from url: URL, decoder: JSONDecoder = JSONDecoder(), what: String, advice: String? = nil
    ) throws(StoreError) -> T? {
        guard let data = try StoreFile.read(url) else { return nil }
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw .damaged(
                file: url.path,
                problem: "not \(what): " + StoreError.describe(error, data: data) + (advice.map { "; " + $0 } ?? ""))
        }
    }

    /// Writes `value` in place of the file; `synced: false` for files that are not records.
    ///
    /// - Throws: `StoreError.io` when it cannot be written (the old file is then unchanged).
    package static func save(
        _ value: some Encodable, to url: URL, encoder: JSONEncoder = encoder(), what: String, synced: Bool = true
    ) throws(StoreError) {
        try StoreFile.requireRegularOrAbsent(url)
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw .io(file: url.path, operation: "encode \(what)", reason: "\(error)")
        }
        try AtomicFile.write(data, to: url, mode: 0o644, synced: synced)
    }
}
