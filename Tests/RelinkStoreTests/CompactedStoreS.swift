import Foundation
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

/// What the open-path suites share: store S (`StoreS`), compacted, in a temporary directory of
/// the suite's own, so that both snapshots are relink's with their checksums and the journals
/// are empty; and the ways those suites edit and open it.
protocol CompactedStoreS {
    var directory: TemporaryDirectory { get }
}

extension CompactedStoreS {
    /// A fresh temporary directory holding store S, compacted.
    static func makeCompactedStoreS() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try StoreS.make(in: directory.url)
        try Store(directory: directory.url, options: .init(durable: false)).compact()
        return directory
    }

    var store: URL { directory.url }
    func file(_ name: String) -> URL { directory.file(name) }

    func text(_ name: String) throws -> String { try String(contentsOf: file(name), encoding: .utf8) }

    /// Writes a store file in place, as an editor or another program would; the secrets keep 0600.
    func write(_ name: String, _ text: String) throws {
        try text.write(to: file(name), atomically: false, encoding: .utf8)
        chmod(file(name).path, name.hasPrefix("secrets") ? 0o600 : 0o644)
    }

    func open() throws -> Store { try Store(directory: store, options: .init(durable: false)) }

    /// Why the store refuses to open; records an issue when it opens, or when the refusal changed
    /// any of its files.
    func refusal(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let before = try storeFiles(in: store)
        defer {
            #expect(
                (try? storeFiles(in: store)) == before, "a refused store was changed", sourceLocation: sourceLocation)
        }
        do {
            _ = try open()
        } catch let error as StoreError {
            return error.description
        }
        Issue.record("the store opened", sourceLocation: sourceLocation)
        return ""
    }

    /// The snapshot with its checksum recomputed, as if relink had written `text`: for records
    /// that pass the checksum and still do not decode.
    func resealed(_ text: String) throws -> String {
        let data = Data(text.utf8)
        let layout = try #require(LineLayout(data))
        let old = try #require(layout.checksum)
        return text.replacingOccurrences(
            of: SnapshotChecksum.format(old), with: SnapshotChecksum.format(layout.computeChecksum(data)))
    }
}
