import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory lock on a file (`flock`), shared by every relink process on one store.
///
/// The kernel drops the lock when its holder dies, even by `kill -9`, so a crashed writer never
/// leaves the store locked.
///
/// On a store the user cannot write, the lock file is opened for reading when it is there (flock
/// needs no write access, so readers still share the lock with writers), and readers go without
/// a lock when it is not; the store then refuses every change (`readOnly`).
package struct FileLock: ~Copyable {
    /// -1 when no lock file could be opened at all (a read-only store without one).
    private let descriptor: Int32
    package let url: URL
    /// Why the store cannot be changed, when it cannot.
    package let readOnlyReason: String?

    package init(url: URL) throws(StoreError) {
        self.url = url
        // Like every store file, never a link followed: a dangling one would create its target.
        do throws(StoreError) {
            guard let fd = try StoreFile.openRegular(url, O_RDWR | O_CREAT, mode: 0o644) else {
                throw StoreError.io(url, "open the lock file", errno: ENOENT)
            }
            descriptor = fd
            let directory = url.deletingLastPathComponent().path
            readOnlyReason = access(directory, W_OK) == 0 ? nil : String(cString: strerror(errno)).lowercased()
        } catch {
            guard case .io(_, _, let reason) = error, Self.meansReadOnly(reason) else { throw error }
            descriptor = (try? StoreFile.openRegular(url, O_RDONLY, mode: 0)).flatMap { $0 } ?? -1
            readOnlyReason = reason.lowercased()
        }
    }

    /// Whether an open failed because the store may not be written (the reason is strerror's).
    private static func meansReadOnly(_ reason: String) -> Bool {
        [EACCES, EPERM, EROFS].contains { String(cString: strerror($0)) == reason }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Runs `body` holding the lock, exclusive for writers and shared for readers.
    package func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        guard descriptor >= 0 else { return try body() }
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw StoreError.io(url, "lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
