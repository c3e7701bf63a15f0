import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `pwrite` until all of `buffer` is written: a short write or an `EINTR` is retried, never
/// reported. False when a write fails (errno says why).
package func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: off_t) -> Bool {
    var done = 0
    while done < buffer.count {
        let n = FileSystemCalls.pwrite(fd, buffer.baseAddress! + done, buffer.count - done, offset + off_t(done))
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        done += n
    }
    return true
}

/// Replaces a file whole: a temporary file beside it, synced, renamed over it, the directory synced.
package enum AtomicFile {
    /// `synced: false` still never leaves a torn file after a crash of the process (the rename is
    /// atomic), but may lose the change if the machine goes down: for files that are not records.
    package static func write(_ data: Data, to url: URL, mode: mode_t, synced: Bool = true) throws(StoreError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try createSynced(data, at: temporary, mode: mode, synced: synced)
        } catch .io(_, let operation, let reason) {
            // The person knows the file, not the temporary beside it.
            throw .io(file: url.path, operation: operation, reason: reason)
        }
        guard FileSystemCalls.rename(temporary.path, url.path) == 0 else {
            let error = StoreError.io(url, "replace")
            _ = FileSystemCalls.unlink(temporary.path)
            throw error
        }
        // A rename that is not synced may be undone by a power cut after a later write that is
        // (a journal emptied after its snapshot was renamed): a failed sync is a failed write.
        if synced { try syncDirectory(url.deletingLastPathComponent()) }
    }

    /// Creates `url` anew (exclusively, never following a link someone put at its name) with
    /// `data`, synced to disk; on failure nothing is left at `url`.
    package static func createSynced(_ data: Data, at url: URL, mode: mode_t, synced: Bool = true) throws(StoreError) {
        _ = FileSystemCalls.unlink(url.path)
        let fd = FileSystemCalls.retryingInterrupts {
            FileSystemCalls.open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw StoreError.io(url, "create") }
        fchmod(fd, mode)
        let ok =
            data.withUnsafeBytes { writeAll(fd, $0, at: 0) }
            && (!synced || FileSystemCalls.retryingInterrupts { FileSystemCalls.fsync(fd) } == 0)
        let code = errno
        close(fd)
        guard ok else {
            let error = StoreError.io(url, "write", errno: code)
            _ = FileSystemCalls.unlink(url.path)
            throw error
        }
    }

    /// The temporaries `write` left in `directory` when the process writing them died before its
    /// rename (`.NAME.PID.tmp` of a PID no process has now): never a file of the store, and
    /// removed when the store next opens. A live process's temporary is left alone.
    package static func abandonedTemporaries(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> URL? in
            guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
            let stem = name.dropLast(".tmp".count)
            guard let dot = stem.lastIndex(of: "."), let pid = pid_t(stem[stem.index(after: dot)...]), pid > 0,
                kill(pid, 0) != 0, errno == ESRCH
            else { return nil }
            return directory.appendingPathComponent(name)
        }
    }

    /// Makes the renames and removals in `url` (a directory) durable.
    ///
    /// - Throws: `StoreError.io` naming the directory when it cannot be opened or synced; a file
    ///   system that cannot sync a directory at all (`EINVAL`) is not a failure.
    package static func syncDirectory(_ url: URL) throws(StoreError) {
        let fd = FileSystemCalls.retryingInterrupts {
            FileSystemCalls.open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw StoreError.io(url, "open the directory to sync it") }
        defer { close(fd) }
        guard FileSystemCalls.retryingInterrupts({ FileSystemCalls.fsync(fd) }) == 0 || errno == EINVAL else {
            throw StoreError.io(url, "sync the directory")
        }
    }
}
