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
struct FileLock: ~Copyable {
    private let descriptor: Int32
    let url: URL

    init(url: URL) throws(StoreError) {
        self.url = url
        // Like every store file, never a link followed: a dangling one would create its target.
        guard let fd = try StoreFile.openRegular(url, O_RDWR | O_CREAT, mode: 0o644) else {
            throw StoreError.io(url, "open the lock file", errno: ENOENT)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Runs `body` holding the lock, exclusive for writers and shared for readers.
    func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw StoreError.io(url, "lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
