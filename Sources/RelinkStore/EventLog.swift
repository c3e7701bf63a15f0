import Foundation
import RelinkCore

/// The event history. Events from the snapshot stay as their JSON lines until someone reads the
/// history: opening a store does not pay for decoding years of transitions.
struct EventLog: Sendable {
    /// One compact JSON event per element, as read from the snapshot.
    var undecoded: [Data] = []
    /// The line of each undecoded event in the snapshot, to name a damaged one; empty when
    /// the snapshot was not in the line layout.
    var lines: [Int] = []
    /// Events decoded already, or recorded since the snapshot.
    var appended: [ConnectionEvent] = []

    init(undecoded: [Data] = [], lines: [Int] = [], appended: [ConnectionEvent] = []) {
        self.undecoded = undecoded
        self.lines = lines
        self.appended = appended
    }

    var count: Int { undecoded.count + appended.count }

    /// The last `count` events, oldest first, decoding only those.
    func last(_ count: Int) throws -> [ConnectionEvent] {
        guard count <= self.count else { return [] }
        let fromAppended = min(count, appended.count)
        let decoder = StoreCoding.decoder()
        return try undecoded.suffix(count - fromAppended).map { try decoder.decode(ConnectionEvent.self, from: $0) }
            + appended.suffix(fromAppended)
    }

    /// Every event, oldest first.
    ///
    /// - Throws: `SnapshotContentError` naming the first event that cannot be read by its line.
    func all() throws -> [ConnectionEvent] {
        let decoder = StoreCoding.decoder()
        var events: [ConnectionEvent] = []
        events.reserveCapacity(count)
        for index in undecoded.indices { events.append(try decode(at: index, decoder)) }
        return events + appended
    }

    /// How many of `undecoded` are known to decode.
    private var validatedCount = 0

    /// Checks that every event read from the snapshot decodes, without keeping them; each is
    /// checked once.
    ///
    /// - Throws: `SnapshotContentError` as `all()` does.
    mutating func validate() throws {
        let decoder = StoreCoding.decoder()
        for index in validatedCount..<undecoded.count { _ = try decode(at: index, decoder) }
        validatedCount = undecoded.count
    }

    private func decode(at index: Int, _ decoder: JSONDecoder) throws(SnapshotContentError) -> ConnectionEvent {
        do {
            return try decoder.decode(ConnectionEvent.self, from: undecoded[index])
        } catch {
            let place = index < lines.count ? "line \(lines[index]), events[\(index)]" : "events[\(index)]"
            throw SnapshotContentError(problem: "\(place): \(StoreError.describe(error, data: undecoded[index]))")
        }
    }
}
