import CRelinkChecksum
import Foundation
import JournaledFiles
import RelinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shareable snapshot, one record per line:
///
/// ```
/// {"schemaVersion":2,"sequence":41,"checksum":"crc32c:5e1f0a9c",
/// "projects":[
/// {"jiraSite":"acme.atlassian.net","key":"BUG","name":"Bug Tracker"},
/// …
/// ],
/// "connections":[
/// …
/// ],
/// "events":[
/// …
/// ]}
/// ```
///
/// It is plain JSON, a diff shows one line per changed record, and it opens without decoding its
/// records: the open streams the file through a small buffer, finds the lines and each record's
/// key, checks the file's CRC-32C (over every byte but the checksum's own field), and leaves each
/// record in the file, to be read and decoded on first use (`SnapshotBytes`, `RecordTable`). A flipped byte, a cut or an unmarked edit anywhere, in a record never read
/// included, fails the checksum and is refused at open. A snapshot without a checksum (written by
/// a person, or pretty-printed; any JSON layout) is decoded whole and checked at open instead.
extension StoreState {
    static let sections = ["projects", "connections", "events"]

    func snapshotData(sequence: UInt64) throws -> Data {
        let encoder = StoreCoding.encoder(pretty: false)
        let prefix = "{\"schemaVersion\":\(Snapshot<StoreState>.currentVersion),\"sequence\":\(sequence),"
        var body = Data("\n".utf8)
        func section(_ name: String, _ lines: [Data], last: Bool) {
            body.append(contentsOf: Array("\"\(name)\":[\n".utf8))
            for (index, line) in lines.enumerated() {
                body.append(line)
                body.append(contentsOf: index == lines.count - 1 ? [0x0A] : [0x2C, 0x0A])
            }
            body.append(contentsOf: Array((last ? "]}\n" : "],\n").utf8))
        }
        section("projects", try projects.snapshotLines { StoreCoding.encoder(pretty: false) }, last: false)
        section("connections", try connections.snapshotLines { StoreCoding.encoder(pretty: false) }, last: false)
        section(
            "events", try events.undecodedLines() + (try events.appended.map { try encoder.encode($0) }), last: true)
        let checksum = SnapshotChecksum.compute(prefix: Data(prefix.utf8), rest: body)
        var data = Data(prefix.utf8)
        data.append(contentsOf: Array("\"checksum\":\"\(SnapshotChecksum.format(checksum))\",".utf8))
        data.append(body)
        return data
    }

    /// Opens the snapshot by streaming it (`LineLayout.scan`): when it is in the line layout with
    /// a checksum that matches and keys in order, nothing of it is kept but each record's place,
    /// key and CRC-32C, and the open file, from which records are read on first use. Anything else
    /// (no checksum, another layout, a mismatch, a truncation, another schema version) is read
    /// whole from the same open file and decoded as `decodeSnapshot` does. nil when absent.
    ///
    /// - Throws: `StoreError` naming the file and what is wrong.
    static func readSnapshot(at url: URL) throws(StoreError) -> SnapshotRead<StoreState>? {
        try readSnapshot(at: url, chunkSize: LineLayout.defaultChunkSize)
    }

    static func readSnapshot(at url: URL, chunkSize: Int) throws(StoreError) -> SnapshotRead<StoreState>? {
        guard let descriptor = try StoreFile.openRegular(url, O_RDONLY, mode: 0) else { return nil }
        var kept = false
        defer { if !kept { close(descriptor) } }
        if case .layout(let layout) = try LineLayout.scan(descriptor: descriptor, url: url, chunkSize: chunkSize),
            layout.schemaVersion == Snapshot<StoreState>.currentVersion, layout.problem == nil,
            let recorded = layout.checksum, recorded == layout.computedChecksum, layout.keysInOrder
        {
            kept = true
            let bytes = SnapshotBytes(descriptor: descriptor, url: url)
            let index = layout.index(bytes)
            var state = StoreState()
            state.projects = RecordTable(section: "projects", raw: index.projects) { $0.key }
            state.connections = RecordTable(section: "connections", raw: index.connections) { $0.projectKey }
            state.events = EventLog(records: layout.records[2], source: bytes, vouchedFor: true)
            return SnapshotRead(state: state, sequence: layout.sequence, byteCount: layout.byteCount, source: bytes)
        }
        guard let data = try StoreFile.read(descriptor: descriptor, url: url, from: 0) else { return nil }
        var read = try decodeSnapshot(data, from: url)
        read.byteCount = data.count
        return read
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> SnapshotRead<StoreState> {
        guard let layout = LineLayout(data) else {
            // Not our one-record-per-line layout: the general decoder reads any JSON layout and
            // names what is wrong.
            do {
                let snapshot = try StoreCoding.decoder().decode(Snapshot<StoreState>.self, from: data)
                var state = snapshot.state
                try checkEvents(&state, url: url)
                let problem = try movedChecksumProblem(data, url: url) {
                    (try? state.snapshotData(sequence: snapshot.sequence)).flatMap { LineLayout($0)?.checksum }
                }
                return SnapshotRead(state: state, sequence: snapshot.sequence, deferredProblem: problem)
            } catch let error as SchemaVersionError {
                throw error.storeError(file: url)
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.damaged(url, decoding: error, data: data)
            }
        }
        guard layout.schemaVersion == Snapshot<StoreState>.currentVersion else {
            throw SchemaVersionError(found: layout.schemaVersion, supported: Snapshot<StoreState>.currentVersion)
                .storeError(file: url)
        }
        if let problem = layout.problem { throw .damaged(file: url.path, problem: problem) }
        let bytes = SnapshotBytes(data: data, url: url)
        let projectRecords = layout.records[0]
        let connectionRecords = layout.records[1]
        let eventRecords = layout.records[2]
        var state = StoreState()
        // Read whole (no checksum, a mismatch, keys out of order): the events stay slices of these
        // bytes, which the snapshot's records keep until they are decoded anyway.
        state.events = EventLog(records: eventRecords, source: bytes)

        var checksumProblem: String?
        if let recorded = layout.checksum {
            let computed = layout.computedChecksum
            if computed == recorded, layout.keysInOrder {
                let index = layout.index(bytes)
                state.projects = RecordTable(section: "projects", raw: index.projects) { $0.key }
                state.connections = RecordTable(section: "connections", raw: index.connections) { $0.projectKey }
                state.events.vouchedFor = true
                return SnapshotRead(state: state, sequence: layout.sequence)
            }
            if computed != recorded {
                // Decoded whole below, so that damage a decode can name is named; if every record
                // reads, the mismatch itself is reported once the journal has been checked too.
                checksumProblem =
                    "line 1: its checksum (\(SnapshotChecksum.format(recorded))) does not match its content "
                    + "(\(SnapshotChecksum.format(computed))): the file was damaged or changed outside relink. If you "
                    + "edited it on purpose, delete \"checksum\":\"\(SnapshotChecksum.format(recorded))\", from its first "
                    + "line: relink then reads and checks every record when it opens the store, and writes a new "
                    + "checksum when it next rewrites the file. (Every record still reads and fits the others, so what "
                    + "changed is a value: a name, a time, a state.)"
            }
        }
        // No checksum (or one that does not match): every record is decoded and checked now.
        let projects: [Project] = try ParallelDecode.decode(projectRecords, from: bytes, section: "projects")
        let connections: [Connection] = try ParallelDecode.decode(
            connectionRecords, from: bytes, section: "connections")
        do {
            let (projectsByKey, connectionsByKey) = try checkRecords(projects, connections) { section, index in
                "line \((section == "projects" ? projectRecords : connectionRecords)[index].line)"
            }
            state.projects = projectTable(projectsByKey)
            state.connections = connectionTable(connectionsByKey)
        } catch {
            throw .damaged(file: url.path, problem: error.problem)
        }
        try checkEvents(&state, url: url)
        return SnapshotRead(state: state, sequence: layout.sequence, deferredProblem: checksumProblem)
    }

    /// A file not in relink's line layout that still records a checksum somewhere (moved out of
    /// the first line): checked all the same, so that moving it does not step around it.
    ///
    /// - Returns: the mismatch, to report once the journal is checked too (as a first line's is).
    /// - Throws: `StoreError.damaged` for a repeated key or a checksum that is not one.
    /// - Parameter canonical: the checksum relink would write for the content as decoded.
    static func movedChecksumProblem(_ data: Data, url: URL, canonical: () -> UInt32?) throws(StoreError) -> String? {
        switch SnapshotChecksum.verdict(data) {
        case .none, .matches: return nil
        case .malformed(let problem):
            throw .damaged(file: url.path, problem: "\(problem): the file was damaged or changed outside relink")
        case .mismatch(let recorded, let computed):
            // Laid out anew (pretty-printed, keys reordered) but holding what relink wrote: the
            // checksum relink would write for the decoded content is the one recorded.
            if canonical() == recorded { return nil }
            return "its checksum (\(SnapshotChecksum.format(recorded))), moved from its first line, does not match its "
                + "content (\(SnapshotChecksum.format(computed))): the file was damaged or changed outside relink. If "
                + "you edited it on purpose, delete its \"checksum\" field: relink then reads and checks every record "
                + "when it opens the store, and writes a new checksum when it next rewrites the file"
        }
    }

    /// Events of a snapshot without a checksum are decoded once at open (and not kept).
    private static func checkEvents(_ state: inout StoreState, url: URL) throws(StoreError) {
        do {
            try state.events.validate()
        } catch let error as SnapshotContentError {
            throw .damaged(file: url.path, problem: error.problem)
        } catch {
            throw .damaged(file: url.path, problem: "\(error)")
        }
    }

    /// Decodes every record of the snapshot and the history (`relink verify`).
    ///
    /// - Throws: `StoreError.damaged` naming the first record that cannot be read, by line.
    func verifyRecords(snapshot url: URL) throws(StoreError) {
        try projects.decodeAll()
        try connections.decodeAll()
        do {
            try events.verify()
        } catch let error as SnapshotContentError {
            throw .damaged(file: url.path, problem: error.problem)
        } catch {
            throw .damaged(file: url.path, problem: "\(error)")
        }
    }
}
