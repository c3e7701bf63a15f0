import Foundation
import RelinkCore

/// The event history. Events from the snapshot stay as their JSON lines until someone reads the
/// history: opening a store does not pay for decoding years of transitions.
struct EventLog: Sendable {
    /// One compact JSON event per element, as read from the snapshot.
    var undecoded: [Data] = []
    /// Events decoded already, or recorded since the snapshot.
    var appended: [ConnectionEvent] = []

    init(undecoded: [Data] = [], appended: [ConnectionEvent] = []) {
        self.undecoded = undecoded
        self.appended = appended
    }

    var count: Int { undecoded.count + appended.count }

    /// Every event, oldest first.
    func all() throws -> [ConnectionEvent] {
        let decoder = StoreCoding.decoder()
        return try undecoded.map { try decoder.decode(ConnectionEvent.self, from: $0) } + appended
    }
}
