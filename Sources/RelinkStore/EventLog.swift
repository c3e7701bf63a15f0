import Foundation
import RelinkCore

/// The event history. Events from the snapshot stay in the file until someone reads the history:
/// opening a store does not pay for decoding, or even holding, years of transitions.
struct EventLog: Sendable {
    /// Where each event read from the snapshot lies, in file order.
    private var records: [RawRecord] = []
    private var source: SnapshotBytes?
    /// Events decoded already, or recorded since the snapshot.
    var appended: [ConnectionEvent] = []

    init(appended: [ConnectionEvent] = []) {
        self.appended = appended
    }

    /// The snapshot's events, read from `source` when used. `vouchedFor`: the snapshot's checksum
    /// matched, so their bytes are relink's own (and each is checked against its CRC-32C when read).
    init(records: [RawRecord], source: SnapshotBytes, vouchedFor: Bool = false) {
        self.records = records
        self.source = records.isEmpty ? nil : source
        self.vouchedFor = vouchedFor
    }

    /// Events the snapshot's checksum vouched for are copied into a new snapshot as they are,
    /// like the records never decoded: one that does not decode was written so by relink itself
    /// (a bug, which `relink verify` names), not damaged since. Decoding the whole history before
    /// every compaction only to check it made a compaction's cost grow with the years of history.
    var vouchedFor = false

    var count: Int { records.count + appended.count }

    /// The snapshot's events as their lines, for a new snapshot to copy.
    ///
    /// - Throws: `StoreError` when their bytes cannot be read as the open found them.
    func undecodedLines() throws(StoreError) -> [Data] {
        guard let source else { return [] }
        return try source.lines(of: records)
    }

    /// The last `count` events, oldest first, decoding only those.
    func last(_ count: Int) throws -> [ConnectionEvent] {
        guard count <= self.count else { return [] }
        let fromAppended = min(count, appended.count)
        let decoder = StoreCoding.decoder()
        let lines = try source?.lines(of: records.suffix(count - fromAppended)) ?? []
        return try lines.map { try decoder.decode(ConnectionEvent.self, from: $0) } + appended.suffix(fromAppended)
    }

    /// Every event, oldest first.
    ///
    /// - Throws: `SnapshotContentError` naming the first event that cannot be read by its line;
    ///   `StoreError` when its bytes changed since the open.
    func all() throws -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        events.reserveCapacity(count)
        try decodeEach { events.append($0) }
        return events + appended
    }

    /// How many of the snapshot's events are known to decode.
    private var validatedCount = 0

    /// Checks that every event read from the snapshot decodes, without keeping them; each is
    /// checked once, and none that the snapshot's checksum vouched for (see `vouchedFor`).
    ///
    /// - Throws: as `all()` does.
    mutating func validate() throws {
        if !vouchedFor { try decodeEach(from: validatedCount) { _ in } }
        validatedCount = records.count
    }

    /// Decodes every event read from the snapshot, vouched for or not (`relink verify`).
    ///
    /// - Throws: as `all()` does.
    func verify() throws {
        try decodeEach { _ in }
    }

    private func decodeEach(from first: Int = 0, _ body: (ConnectionEvent) -> Void) throws {
        guard let source, first < records.count else { return }
        let decoder = StoreCoding.decoder()
        var problem: SnapshotContentError?
        try source.withBytes(of: records[first...]) { offset, bytes in
            let index = first + offset
            let data = Data(bytes)
            do {
                body(try decoder.decode(ConnectionEvent.self, from: data))
                return true
            } catch {
                problem = SnapshotContentError(
                    problem: "line \(records[index].line), events[\(index)]: \(StoreError.describe(error, data: data))")
                return false
            }
        }
        if let problem { throw problem }
    }
}
