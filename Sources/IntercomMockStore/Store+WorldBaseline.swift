import Foundation
import IntercomMockWorld
import JournaledFiles
import RelinkStore

/// `world-baseline.json`: the world `mock reset` returns to, recorded when a fixture is copied or a
/// bundle imported, so that a reset means the same in every process and every `relink -c`.
extension Store {
    package var worldBaselineFile: WorldFile { WorldFile(url: directory.appendingPathComponent("world-baseline.json")) }

    /// The world `mock reset` returns to; `nil` when none was recorded (a store made before
    /// baselines, or built up by hand).
    ///
    /// - Throws: `StoreError.damaged` naming `world-baseline.json` when it is not a valid world.
    public func baselineWorld() throws -> MockWorld? {
        try withFileLock(exclusive: false) { try worldBaselineFile.load() }
    }

    /// Records the saved world as the baseline (`--fixture` calls it on its fresh copy).
    ///
    /// - Throws: `StoreError` when the world cannot be read or the baseline written.
    public func recordWorldBaseline() throws {
        try withFileLock(exclusive: true) {
            guard let world = try worldFile.load() else { return }
            try worldBaselineFile.save(world)
        }
    }
}
