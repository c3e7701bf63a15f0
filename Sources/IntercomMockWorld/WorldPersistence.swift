import Foundation
import RelinkCore

/// Where the mock's world is kept between runs: relink's store (`world.json`), or nowhere.
///
/// The owner of the file serialises every change: ``updateWorld(_:)`` applies a change to the
/// latest saved world, so two processes that each run a mock over one store never save stale
/// copies of the world over each other.
public protocol WorldPersistence: Sendable {
    /// The saved world, or `nil` when none was saved yet. Throws when one exists but cannot be read.
    func loadWorld() throws -> MockWorld?

    /// Applies `change` to the latest saved world (an empty one when none was saved) and saves the
    /// result before returning it with what `change` returned. When `change` throws, nothing is
    /// saved. Throws when the saved world is damaged (it is never overwritten) or cannot be written.
    func updateWorld<T>(_ change: (inout MockWorld) throws -> T) throws -> (world: MockWorld, result: T)

    /// ``updateWorld(_:)``, also answering which file it saved, as taken before any other process
    /// could save another: the mock's activity then knows the world it holds is the saved one, and
    /// does not read it back. nil when the owner cannot tell.
    func updateWorldStamped<T>(_ change: (inout MockWorld) throws -> T) throws -> (
        world: MockWorld, result: T, saved: WorldFileStamp?
    )

    /// Replaces the saved world with `world` (a reset, or the first world of a new store). Throws
    /// when the saved world is damaged (it is never overwritten) or cannot be written.
    func replaceWorld(with world: MockWorld) throws

    /// The world a reset returns to, when the owner recorded one (a fixture copied, a bundle
    /// imported); `nil` for the world as the mock loaded it.
    func baselineWorld() throws -> MockWorld?

    /// A new view of the mock's faults and journal for one mock: shared with every other mock
    /// over the same owner, or kept in memory when the owner keeps none.
    func makeActivity() throws -> any MockActivityPersistence
}

extension WorldPersistence {
    public func baselineWorld() throws -> MockWorld? { nil }

    public func updateWorldStamped<T>(_ change: (inout MockWorld) throws -> T) throws -> (
        world: MockWorld, result: T, saved: WorldFileStamp?
    ) {
        let (world, result) = try updateWorld(change)
        return (world, result, nil)
    }

    public func makeActivity() throws -> any MockActivityPersistence { InMemoryMockActivity() }
}

/// Which saved world file a process wrote, in the owner's terms (for the store: the file's
/// identity). Opaque to the mock, which only hands it to the owner's activity view.
public struct WorldFileStamp: Sendable {
    public let value: any Sendable

    public init(_ value: any Sendable) {
        self.value = value
    }
}
