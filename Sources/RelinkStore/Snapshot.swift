import Foundation
import JournaledFiles

/// A snapshot file: `{"schemaVersion": 2, "sequence": N, …the state's own fields…}`.
struct Snapshot<State: JournaledState>: Codable {
    /// The schema this relink writes. Older versions are migrated forward (see `Migration`).
    static var currentVersion: Int { 2 }

    var schemaVersion = Snapshot.currentVersion
    var sequence: UInt64
    var state: State

    init(sequence: UInt64, state: State) {
        self.sequence = sequence
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case schemaVersion, sequence }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // The version first, so a newer or older file is named as such rather than as damaged.
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion == Self.currentVersion else {
            throw SchemaVersionError(found: schemaVersion, supported: Self.currentVersion)
        }
        sequence = try c.decode(UInt64.self, forKey: .sequence)
        state = try State(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(sequence, forKey: .sequence)
        try state.encode(to: encoder)
    }
}

struct SchemaVersionError: Error {
    var found: Int
    var supported: Int

    func storeError(file: URL) -> StoreError {
        if found > supported {
            return .newerSchema(file: file.path, found: found, supported: supported)
        }
        return .olderSchema(file: file.path, found: found)
    }
}

/// What reading a snapshot gives: its state and sequence, and damage to report only once the
/// journal has been read too (so that damage the journal shows is named first, more precisely).
struct SnapshotRead<State> {
    var state: State
    var sequence: UInt64
    var deferredProblem: String?
    /// The file's size, when read by `JournaledState.readSnapshot`.
    var byteCount = 0
    /// The open file records are read from on first use, when the snapshot was streamed.
    var source: SnapshotBytes?
}
