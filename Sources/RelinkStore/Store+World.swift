import Foundation
import IntercomMockWorld

/// The mock's world (`world.json`) and the REPL's history (`history`): files of the store like the
/// others, reached only through it and only under its lock.
extension Store: WorldPersistence {
    /// The mock's world as saved in the store; `nil` when none was saved.
    ///
    /// - Throws: `StoreError.damaged` naming `world.json` when it is not a valid world.
    public func loadWorld() throws -> MockWorld? {
        try withFileLock(exclusive: false) { try worldFile.load() }
    }

    /// Applies `change` to the world as last saved by any process and saves the result.
    ///
    /// - Throws: what `change` throws (nothing is saved then), or `StoreError` when the saved world
    ///   is damaged (it is left as it is) or cannot be written.
    public func updateWorld<T>(_ change: (inout MockWorld) throws -> T) throws -> (world: MockWorld, result: T) {
        try withFileLock(exclusive: true) {
            var world = try worldFile.load() ?? MockWorld()
            let result = try change(&world)
            try worldFile.save(world)
            return (world, result)
        }
    }

    /// Replaces the saved world.
    ///
    /// - Throws: `StoreError.damaged` when the saved world is damaged (it is left as it is), or
    ///   `StoreError.io` when the new one cannot be written.
    public func replaceWorld(with world: MockWorld) throws {
        try withFileLock(exclusive: true) {
            _ = try worldFile.load()
            try worldFile.save(world)
        }
    }
}

extension Store {
    /// The last `limit` lines of the REPL's history, oldest first.
    public func historyLines(limit: Int = 1000) -> [String] {
        lock.withLock {
            guard let text = try? String(contentsOf: historyURL, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").suffix(limit).map(String.init)
        }
    }

    /// Appends one line to the REPL's history, a file of mode 0600 (also when something else
    /// created it more openly). The caller keeps lines that carry a secret out of it.
    ///
    /// - Throws: `StoreError.io` when the line cannot be written.
    public func appendHistory(_ line: String) throws {
        try withFileLock(exclusive: true) { () throws in
            let fd = open(historyURL.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw StoreError.io(historyURL, "append to") }
            defer { close(fd) }
            fchmod(fd, 0o600)
            let data = Array((line + "\n").utf8)
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == data.count else { throw StoreError.io(historyURL, "append to") }
        }
    }
}
