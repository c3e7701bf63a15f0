import Foundation
import IntercomMockWorld
import JournaledFiles
import RelinkStore

#if canImport(Glibc)
    import Glibc
#endif

/// The mock's world (`world.json`): a file of the store like the others, reached only through it and
/// only under its lock.
extension Store: WorldPersistence {
    package var worldFile: WorldFile { WorldFile(url: directory.appendingPathComponent("world.json")) }

    /// `verify()`, and the mock's files too: a damaged world or faults file is otherwise named
    /// only when a command next needs the mock (`relink verify`).
    ///
    /// - Throws: what `verify()` throws, or `StoreError.damaged` naming `world.json` or
    ///   `mock-faults.json`.
    public func verifyIncludingMock() throws -> StoreVerification {
        try verify {
            _ = try loadWorld()
            try MockActivityFiles(directory: directory).verifyFaults()
        }
    }

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
        let (world, result, _) = try updateWorldStamped(change)
        return (world, result)
    }

    /// `updateWorld`, with the saved file's identity taken under the store's lock, before another
    /// process can replace it.
    public func updateWorldStamped<T>(_ change: (inout MockWorld) throws -> T) throws -> (
        world: MockWorld, result: T, saved: WorldFileStamp?
    ) {
        try withFileLock(exclusive: true) {
            var world = try worldFile.load() ?? MockWorld()
            let result = try change(&world)
            try worldFile.save(world)
            return (world, result, FileIdentity(of: worldFile.url).map(WorldFileStamp.init))
        }
    }

    /// Refuses to let a mock start over an empty world when the store's connections were made
    /// against a saved one: every connection would then look broken, and a check would record
    /// that as the truth. Without connections there is nothing to contradict.
    ///
    /// - Throws: `StoreError.missing` naming `world.json`, or what reading it throws (a link or
    ///   device in its place, damage).
    public func requireWorldIfConnected() throws {
        // Whatever is at the path, the mock's load that follows reads it and names what is wrong
        // with it (damage, a link, a device): only an absent world is this check's to refuse. The
        // connections are looked at only then: decoding them all cost a large store's
        // `relink -c "check KEY"` most of its time, and reading the world here decoded it twice.
        var info = stat()
        guard lstat(worldFile.url.path, &info) != 0, errno == ENOENT else { return }
        let connected = try projectKeys.filter { try connection(for: $0).state.authorization != nil }
        guard !connected.isEmpty, try loadWorld() == nil else { return }
        let named = connected.prefix(5).map(\.rawValue).joined(separator: ", ") + (connected.count > 5 ? ", …" : "")
        throw StoreError.missing(
            file: worldFile.url.path,
            problem: "but \(connected.count) connection(s) (\(named)) were made against the mock's world it held; "
                + "a mock over an empty world would show every one of them as broken")
    }

    /// The mock's faults and request journal in this store (`MockActivityFiles`), one view per
    /// mock. A store relink may not write keeps them in memory, so a mock can still answer.
    public func makeActivity() throws -> any MockActivityPersistence {
        readOnlyReason == nil ? MockActivityFiles(directory: directory) : InMemoryMockActivity()
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
