import CRelinkChecksum
import Foundation
import JournaledFiles
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

    /// The last event of `kind` for `key`, decoding only the snapshot's lines that name the kind
    /// (a byte search): `project add` asks it of a history of any length.
    ///
    /// - Throws: as `all()` does, for a line that names the kind and cannot be read.
    func last(_ kind: ConnectionEvent.Kind, of key: ProjectKey) throws -> ConnectionEvent? {
        if let event = appended.last(where: { $0.kind == kind && $0.project == key }) { return event }
        var found: ConnectionEvent?
        try decodeEach(naming: Array(kind.rawValue.utf8)) { event in
            if event.kind == kind && event.project == key { found = event }
        }
        return found
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

    /// Decodes the snapshot's events from `first` on, in order; with `needle`, only the lines
    /// that hold those bytes.
    private func decodeEach(
        from first: Int = 0, naming needle: [UInt8]? = nil, _ body: (ConnectionEvent) -> Void
    ) throws {
        guard let source, first < records.count else { return }
        let decoder = StoreCoding.decoder()
        var problem: SnapshotContentError?
        try source.withBytes(of: records[first...]) { offset, bytes in
            if let needle, !Self.contains(bytes, needle) { return true }
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

    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = bytes.baseAddress, !needle.isEmpty else { return needle.isEmpty }
        return needle.withUnsafeBytes { relink_find(base, bytes.count, $0.baseAddress, needle.count) != nil }
    }
}
