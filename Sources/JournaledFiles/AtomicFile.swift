import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

package func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: off_t) -> Bool {
    var done = 0
    while done < buffer.count {
        let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, offset + off_t(done))
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
        try createSynced(data, at: temporary, mode: mode, synced: synced)
        guard rename(temporary.path, url.path) == 0 else {
            let error = StoreError.io(url, "replace")
            unlink(temporary.path)
            throw error
        }
        if synced { syncDirectory(url.deletingLastPathComponent()) }
    }

    /// Creates `url` anew (exclusively, never following a link someone put at its name) with
    /// `data`, synced to disk; on failure nothing is left at `url`.
    package static func createSynced(_ data: Data, at url: URL, mode: mode_t, synced: Bool = true) throws(StoreError) {
        unlink(url.path)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.io(url, "create") }
        fchmod(fd, mode)
        let ok = data.withUnsafeBytes { writeAll(fd, $0, at: 0) } && (!synced || fsync(fd) == 0)
        close(fd)
        guard ok else {
            let error = StoreError.io(url, "write")
            unlink(url.path)
            throw error
        }
    }

    package static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
