import Foundation
import JournaledFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Store {
    /// Runs `body` while this process alone delivers outboxes on this store (`.delivery.lock`,
    /// listed with the store's files).
    ///
    /// Delivery posts to Intercom between store commits, so the store's own lock cannot cover it:
    /// two processes could each read an item as undelivered and post it. This lock is held across
    /// the whole delivery, waiting for another holder to finish. The kernel drops it when its
    /// holder dies, even by `kill -9`, so a crashed delivery never blocks the next one; what the
    /// crashed one may have posted its recorded attempt tells.
    ///
    /// - Throws: `StoreError` when the lock file cannot be opened or locked (a read-only store),
    ///   or what `body` throws.
    public func withDeliveryLock<T>(_ body: () async throws -> T) async throws -> T {
        if let reason = readOnlyReason {
            throw StoreError.readOnly(directory: directory.path, reason: reason)
        }
        let url = directory.appendingPathComponent(".delivery.lock")
        guard let descriptor = try StoreFile.openRegular(url, O_RDWR | O_CREAT, mode: 0o644) else {
            throw StoreError.io(url, "open the delivery lock", errno: ENOENT)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.io(url, "lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}
