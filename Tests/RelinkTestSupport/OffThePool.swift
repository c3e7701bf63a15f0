import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe, polling a terminal) on a
/// thread of its own and suspends until it is done.
///
/// Swift's cooperative pool has one thread per core. On a 2-core machine two tests blocked in
/// `waitUntilExit` or `poll` stall the tasks of every other test in the process — an in-process
/// mock's handlers, a redirect listener, an HTTP client's continuations — for as long as they
/// block; under load that starved a redirect listener past its 30 s deadline. Blocking waits in
/// tests go through here instead.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

/// ``offThePool(_:)`` for work that cannot fail.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

extension Process {
    /// `waitUntilExit()` without holding a thread of the cooperative pool.
    public func waitForExit() async {
        await offThePool { self.waitUntilExit() }
    }
}

extension Pipe {
    /// Everything the other end writes until it closes, without holding a thread of the
    /// cooperative pool.
    public func readToEnd() async -> Data {
        let handle = fileHandleForReading
        return await offThePool { handle.readDataToEndOfFile() }
    }
}
