import Foundation
import IntercomMockWorld
import JournaledFiles
import RelinkStore

#if canImport(Glibc)
    import Glibc
#endif

/// `world.json`: the mock Intercom's world as pretty, key-sorted JSON that a person can read and
/// diff. It never holds a plaintext secret (the world keeps digests only).
///
/// Only `Store` touches it, and only under the store's lock: a change reads the latest saved world,
/// applies itself and writes the result atomically (a temporary file in the same directory, fsync,
/// rename, fsync of the directory), so a crash leaves the old world or the new one, and two
/// processes never save stale copies over each other. A damaged file is never overwritten.
package struct WorldFile {
    package let url: URL

    /// The saved world, or `nil` when there is none.
    ///
    /// - Throws: `StoreError.damaged` when the file exists but is not a valid world.
    func load() throws(StoreError) -> MockWorld? {
        // Only a regular file is the world: a link (dangling or not) or a device is refused.
        try ReadableJSONFile.load(MockWorld.self, from: url, decoder: MockWorld.decoder, what: "a valid mock world")
    }

    /// Writes `world` in place of the file.
    ///
    /// - Throws: `StoreError.io` when it cannot be written; the old file is then unchanged.
    func save(_ world: MockWorld) throws(StoreError) {
        try ReadableJSONFile.save(world, to: url, encoder: MockWorld.encoder, what: "the mock world")
    }
}

extension MockWorld {
    /// Pretty, key-sorted, ISO 8601 dates: a world a person can read and diff.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
