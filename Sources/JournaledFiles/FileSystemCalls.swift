import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one seam under the store's files: every call that creates, changes, syncs or removes a
/// file of the store (and every open, reads included) goes through here, so that a test can make
/// the Nth of them fail as SQLite's I/O-error tests do (`FileFaults`).
///
/// In production each function is the libc call and one read of a task-local that is nil: no
/// allocation, no lock, nothing beside a system call worth measuring. The plan is a task-local,
/// not a global, so that tests running in parallel in one process never see each other's faults;
/// work a command hands to a task it starts inherits it, a thread of its own (none writes files
/// today) would not.
///
/// These are the raw calls: they answer `EINTR` and short writes as the kernel may, and their
/// callers retry both (`writeAll`, `StoreFile.writeAtEnd`, `retryingInterrupts`).
package enum FileSystemCalls {
    /// Faults to inject into the calls of the current task; nil in production.
    @TaskLocal package static var faults: FileFaults?

    package static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        if let faults, let code = faults.next(.open, path: path, interruptible: true) { return fail(code) }
        return libc_open(path, flags, mode)
    }

    package static func pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: off_t) -> Int {
        if let faults {
            if let code = faults.next(.pwrite, fd: fd, interruptible: true) { return fail(code) }
            let allowed = faults.withinSizeLimit(count, at: Int(offset))
            if allowed == 0, count > 0 { return fail(EFBIG) }
            return libc_pwrite(fd, buffer, faults.shortened(allowed), offset)
        }
        return libc_pwrite(fd, buffer, count, offset)
    }

    package static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        if let faults {
            if let code = faults.next(.write, fd: fd, interruptible: true) { return fail(code) }
            var info = stat()
            let end = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
            let allowed = faults.withinSizeLimit(count, at: end)
            if allowed == 0, count > 0 { return fail(EFBIG) }
            return libc_write(fd, buffer, faults.shortened(allowed))
        }
        return libc_write(fd, buffer, count)
    }

    package static func fsync(_ fd: Int32) -> Int32 {
        if let faults, let code = faults.next(.fsync, fd: fd, interruptible: true) { return fail(code) }
        return libc_fsync(fd)
    }

    package static func fdatasync(_ fd: Int32) -> Int32 {
        if let faults, let code = faults.next(.fdatasync, fd: fd, interruptible: true) { return fail(code) }
        return libc_fdatasync(fd)
    }

    package static func ftruncate(_ fd: Int32, _ length: off_t) -> Int32 {
        if let faults, let code = faults.next(.ftruncate, fd: fd, interruptible: true) { return fail(code) }
        return libc_ftruncate(fd, length)
    }

    package static func rename(_ from: String, _ to: String) -> Int32 {
        if let faults, let code = faults.next(.rename, path: to, interruptible: false) { return fail(code) }
        return libc_rename(from, to)
    }

    package static func unlink(_ path: String) -> Int32 {
        if let faults, let code = faults.next(.unlink, path: path, interruptible: false) { return fail(code) }
        return libc_unlink(path)
    }

    package static func mkdir(_ path: String, _ mode: mode_t) -> Int32 {
        if let faults, let code = faults.next(.mkdir, path: path, interruptible: false) { return fail(code) }
        return libc_mkdir(path, mode)
    }

    /// Runs `call` again while it answers `EINTR`: a signal that interrupted a call is not a
    /// failure of the file. Bounded, so a plan that interrupts forever cannot hang a test.
    package static func retryingInterrupts<T: BinaryInteger>(_ call: () -> T) -> T {
        var result = call()
        var attempts = 1
        while result < 0, errno == EINTR, attempts < 1_000 {
            result = call()
            attempts += 1
        }
        return result
    }

    private static func fail<T: BinaryInteger>(_ code: Int32) -> T {
        errno = code
        return -1
    }
}

// The libc calls themselves, under names the seam's own members do not shadow.
private func libc_open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func libc_pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: off_t) -> Int {
    pwrite(fd, buffer, count, offset)
}
private func libc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func libc_fsync(_ fd: Int32) -> Int32 { fsync(fd) }
private func libc_fdatasync(_ fd: Int32) -> Int32 { fdatasync(fd) }
private func libc_ftruncate(_ fd: Int32, _ length: off_t) -> Int32 { ftruncate(fd, length) }
private func libc_rename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func libc_unlink(_ path: String) -> Int32 { unlink(path) }
private func libc_mkdir(_ path: String, _ mode: mode_t) -> Int32 { mkdir(path, mode) }

/// Faults for `FileSystemCalls`, for tests: fail one call with an error, or interrupt and shorten
/// every call that may be, which the store must absorb.
package final class FileFaults: @unchecked Sendable {
    // @unchecked: every mutable member is reached only while holding `lock`.
    package enum Call: String, Sendable {
        case open, pwrite, write, fsync, fdatasync, ftruncate, rename, unlink, mkdir
    }

    package enum Plan: Sendable {
        /// Call number `n` (from 1) fails with `errno`; every other call goes through.
        case fail(call: Int, errno: Int32)
        /// Every call that may be interrupted answers `EINTR` once before it goes through.
        case interruptEach
        /// Every write writes at most half of what it is given (at least a byte).
        case shortWrites
        /// No file may grow past `bytes`, as under `ulimit -f`: a write that would is cut at the
        /// limit, and one that starts there fails with `EFBIG`.
        case fileSizeLimit(bytes: Int)
    }

    /// The call that failed, and the file it concerned (an open descriptor's as /proc names it).
    package struct Fired: Sendable, CustomStringConvertible {
        package var call: Call
        package var path: String
        package var errno: Int32

        package var description: String { "\(call.rawValue) of \(path) (\(String(cString: strerror(errno))))" }
    }

    package let plan: Plan
    private let lock = NSLock()
    private var calls = 0
    private var interrupted = false
    private var firedCall: Fired?
    private var interruptions = 0
    private var shortWrites = 0

    package init(_ plan: Plan) { self.plan = plan }

    /// How many calls went through the seam (the interrupted ones once).
    package var count: Int { lock.withLock { calls } }
    /// The call made to fail, once it has.
    package var fired: Fired? { lock.withLock { firedCall } }
    /// How many `EINTR`s and short writes were answered.
    package var absorbed: (interruptions: Int, shortWrites: Int) { lock.withLock { (interruptions, shortWrites) } }

    fileprivate func next(_ call: Call, path: String? = nil, fd: Int32 = -1, interruptible: Bool) -> Int32? {
        lock.withLock { () -> Int32? in
            switch plan {
            case .fail(let n, let code):
                calls += 1
                guard calls == n else { return nil }
                firedCall = Fired(call: call, path: path ?? Self.path(of: fd), errno: code)
                return code
            case .interruptEach:
                guard interruptible else {
                    calls += 1
                    return nil
                }
                interrupted.toggle()
                if interrupted {
                    interruptions += 1
                    return EINTR
                }
                calls += 1
                return nil
            case .shortWrites, .fileSizeLimit:
                calls += 1
                return nil
            }
        }
    }

    fileprivate func withinSizeLimit(_ count: Int, at offset: Int) -> Int {
        guard case .fileSizeLimit(let bytes) = plan else { return count }
        return max(0, min(count, bytes - offset))
    }

    fileprivate func shortened(_ count: Int) -> Int {
        guard case .shortWrites = plan, count > 1 else { return count }
        lock.withLock { shortWrites += 1 }
        return count / 2
    }

    private static func path(of fd: Int32) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? "descriptor \(fd)"
    }
}
