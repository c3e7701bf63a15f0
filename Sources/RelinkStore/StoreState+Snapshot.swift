import CRelinkChecksum
import Foundation
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
/// records: the open finds the lines and each record's key, checks the file's CRC-32C (over every
/// byte but the checksum's own field), and leaves each record to be decoded on first use
/// (`RecordTable`). A flipped byte, a cut or an unmarked edit anywhere, in a record never read
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
        section("projects", try projects.snapshotLines(encoder), last: false)
        section("connections", try connections.snapshotLines(encoder), last: false)
        section("events", events.undecoded + (try events.appended.map { try encoder.encode($0) }), last: true)
        let checksum = SnapshotChecksum.compute(prefix: Data(prefix.utf8), rest: body)
        var data = Data(prefix.utf8)
        data.append(contentsOf: Array("\"checksum\":\"\(SnapshotChecksum.format(checksum))\",".utf8))
        data.append(body)
        return data
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> SnapshotRead<StoreState> {
        guard let layout = LineLayout(data) else {
            // Not our one-record-per-line layout: the general decoder reads any JSON layout and
            // names what is wrong.
            do {
                let snapshot = try StoreCoding.decoder().decode(Snapshot<StoreState>.self, from: data)
                var state = snapshot.state
                try checkEvents(&state, url: url)
                return SnapshotRead(state: state, sequence: snapshot.sequence)
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
        // The events' lines, as slices of the file's bytes: not copied, since the records that
        // no command decodes all at once (`projects` lists without decoding) keep the bytes anyway.
        if !eventRecords.isEmpty {
            let base = data.startIndex
            state.events = EventLog(
                undecoded: eventRecords.map { data[(base + $0.start)..<(base + $0.start + Int($0.count))] },
                lines: eventRecords.map { Int($0.line) })
        }

        var checksumProblem: String?
        if let recorded = layout.checksum {
            let computed = layout.computeChecksum(data)
            if computed == recorded, let index = layout.index(bytes) {
                state.projects = RecordTable(section: "projects", raw: index.projects) { $0.key }
                state.connections = RecordTable(section: "connections", raw: index.connections) { $0.projectKey }
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
        var events = self.events
        do {
            try events.validate()
        } catch let error as SnapshotContentError {
            throw .damaged(file: url.path, problem: error.problem)
        } catch {
            throw .damaged(file: url.path, problem: "\(error)")
        }
    }
}

/// What reading a snapshot gives: its state and sequence, and damage to report only once the
/// journal has been read too (so that damage the journal shows is named first, more precisely).
struct SnapshotRead<State> {
    var state: State
    var sequence: UInt64
    var deferredProblem: String?
}

/// CRC-32C, through the CPU's instruction (SSE4.2) where there is one: about 10 GB/s on one core,
/// so checking 82 MB costs a few milliseconds. It finds every change of up to 32 adjacent bits and
/// all but one in 4 billion others; it guards against accidents (a disk, a careless edit), not
/// against someone forging a file, which the store's threat model leaves to file permissions.
@_spi(Benchmarks) public enum SnapshotChecksum {
    @_spi(Benchmarks) public static func update(_ crc: UInt32, _ data: Data) -> UInt32 {
        data.withUnsafeBytes { relink_crc32c(crc, $0.baseAddress, $0.count) }
    }

    static func compute(prefix: Data, rest: Data) -> UInt32 { update(update(0, prefix), rest) }

    static func format(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "crc32c:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    static func parse(_ text: Substring) -> UInt32? {
        guard text.hasPrefix("crc32c:"), text.count == 15 else { return nil }
        return UInt32(text.dropFirst(7), radix: 16)
    }

    @_spi(Benchmarks) public static var isHardware: Bool { relink_crc32c_is_hardware() != 0 }
}

/// The lines of a snapshot in relink's one-record-per-line layout, found without decoding them.
@_spi(Benchmarks) public struct LineLayout: Sendable {
    var schemaVersion: Int
    var sequence: UInt64
    /// The checksum the header records; nil when it records none.
    var checksum: UInt32?
    /// Where the header's checksum field begins and the header ends (at its newline).
    private var checksumFieldStart = 0
    private var headerEnd = 0
    /// The records of each section (projects, connections, events), in file order.
    var records: [[RawRecord]] = [[], [], []]
    /// Set when the layout is relink's but the file does not hold it whole (a truncated file).
    var problem: String?

    @_spi(Benchmarks) public var recordCount: Int { records.reduce(0) { $0 + $1.count } }

    /// nil when the data is not in this layout (the caller falls back to a general decode).
    @_spi(Benchmarks) public init?(_ data: Data) {
        guard
            let parsed = data.withUnsafeBytes({ buffer in
                Self.parse(
                    UnsafeBufferPointer(
                        start: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: buffer.count))
            })
        else { return nil }
        self = parsed
    }

    private init(schemaVersion: Int, sequence: UInt64) {
        self.schemaVersion = schemaVersion
        self.sequence = sequence
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LineLayout? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        let count = bytes.count
        /// The end of the line starting at `start` (the index of its newline, or `count`).
        func lineEnd(_ start: Int) -> Int {
            guard start < count, let found = memchr(base + start, 0x0A, count - start) else { return count }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        func equals(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
            end - start == literal.utf8CodeUnitCount && memcmp(base + start, literal.utf8Start, end - start) == 0
        }

        let headerEnd = lineEnd(0)
        guard headerEnd < 200 else { return nil }
        let header = String(decoding: UnsafeBufferPointer(start: base, count: headerEnd), as: UTF8.self)
        guard header.hasPrefix("{\"schemaVersion\":"), header.hasSuffix(",") else { return nil }
        let fields = header.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3,
            let version = Int(fields[0].dropFirst("\"schemaVersion\":".count)),
            fields[1].hasPrefix("\"sequence\":"), let sequence = UInt64(fields[1].dropFirst("\"sequence\":".count))
        else { return nil }
        var layout = LineLayout(schemaVersion: version, sequence: sequence)
        layout.headerEnd = headerEnd
        if fields.count == 3 {
            let field = fields[2]
            guard field.hasPrefix("\"checksum\":\""), field.hasSuffix("\""),
                let checksum = SnapshotChecksum.parse(field.dropFirst("\"checksum\":\"".count).dropLast())
            else { return nil }
            layout.checksum = checksum
            layout.checksumFieldStart = header.utf8.count - field.utf8.count - 1
        }

        var start = headerEnd + 1
        var line = 2
        for (position, name) in StoreState.sections.enumerated() {
            guard start < count else {
                layout.problem = "truncated: the file ends before the \"\(name)\" list (\(count) bytes)"
                return layout
            }
            var end = lineEnd(start)
            let opening = "\"\(name)\":["
            guard end - start == opening.utf8.count, memcmp(base + start, opening, end - start) == 0 else {
                layout.problem = "line \(line): expected the \"\(name)\" list"
                return layout
            }
            start = end + 1
            line += 1
            var records: [RawRecord] = []
            let last = position == StoreState.sections.count - 1
            while start < count {
                end = lineEnd(start)
                if last ? equals(start, end, "]}") : equals(start, end, "],") { break }
                let recordEnd = end > start && base[end - 1] == 0x2C ? end - 1 : end
                records.append(RawRecord(start: start, count: Int32(recordEnd - start), line: Int32(line)))
                start = end + 1
                line += 1
            }
            guard start < count else {
                layout.problem = "truncated: the \"\(name)\" list is not closed (\(count) bytes)"
                return layout
            }
            layout.records[position] = records
            start = end + 1
            line += 1
        }
        // Each line after the end on its own: a blank line first must not hide what follows it.
        while start < count {
            let end = lineEnd(start)
            for index in start..<end where ![0x20, 0x0D, 0x09].contains(base[index]) {
                layout.problem = "line \(line): unexpected content after the end of the snapshot"
                return layout
            }
            start = end + 1
            line += 1
        }
        return layout
    }

    /// The CRC-32C of every byte but the header's checksum field.
    func computeChecksum(_ data: Data) -> UInt32 {
        let base = data.startIndex
        return SnapshotChecksum.compute(
            prefix: data[base..<(base + checksumFieldStart)], rest: data[(base + headerEnd)...])
    }

    /// Each project's and connection's key, found in its line without decoding it: the first
    /// `"key":"` of a project line and `"project":"` of a connection line (the encoder writes
    /// fields sorted, and no field before these holds an object). A record decoded later is checked
    /// to carry the key it was found under. nil when a key cannot be found or is not a key as
    /// relink writes it (upper case ASCII), the keys of a section are not strictly increasing (a
    /// duplicate, or lines out of order), or a connection has no project: the caller decodes
    /// everything then, and names the record.
    func index(_ bytes: SnapshotBytes) -> (projects: RawIndex, connections: RawIndex)? {
        bytes.data.withUnsafeBytes { buffer -> (projects: RawIndex, connections: RawIndex)? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                return records[0].isEmpty && records[1].isEmpty ? (RawIndex(), RawIndex()) : nil
            }
            func keyBytes(_ record: RawRecord) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: base + record.start + Int(record.keyOffset), count: Int(record.keyLength))
            }
            func located(_ records: [RawRecord], field: StaticString) -> [RawRecord]? {
                var located = records
                var previous: RawRecord?
                for index in located.indices {
                    let record = located[index]
                    let start = base + record.start
                    guard let found = relink_find(start, Int(record.count), field.utf8Start, field.utf8CodeUnitCount)
                    else { return nil }
                    let keyStart = found.assumingMemoryBound(to: UInt8.self) + field.utf8CodeUnitCount
                    let remaining = start + Int(record.count) - keyStart
                    guard let close = memchr(keyStart, 0x22, remaining) else { return nil }
                    let length = keyStart.distance(to: close.assumingMemoryBound(to: UInt8.self))
                    guard length > 0, length <= 32,
                        Self.isStoredKey(UnsafeBufferPointer(start: keyStart, count: length))
                    else { return nil }
                    located[index].keyOffset = Int32(start.distance(to: keyStart))
                    located[index].keyLength = UInt8(length)
                    if let previous {
                        let key = keyBytes(located[index])
                        guard compareKeys(keyBytes(previous), key) < 0 else {
                            return nil
                        }
                    }
                    previous = located[index]
                }
                return located
            }
            guard let projects = located(records[0], field: "\"key\":\""),
                let connections = located(records[1], field: "\"project\":\"")
            else { return nil }
            // Both sorted: every connection's key is among the projects' in one merged walk.
            var projectIndex = 0
            for connection in connections {
                let key = keyBytes(connection)
                while projectIndex < projects.count, compareKeys(keyBytes(projects[projectIndex]), key) < 0 {
                    projectIndex += 1
                }
                guard projectIndex < projects.count, compareKeys(keyBytes(projects[projectIndex]), key) == 0
                else { return nil }
            }
            return (RawIndex(sortedRecords: projects, bytes: bytes), RawIndex(sortedRecords: connections, bytes: bytes))
        }
    }

    /// A key as relink writes one (`ProjectKey` in upper case): `[A-Z][A-Z0-9_]*`.
    private static func isStoredKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for (position, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): if position == 0 { return false }
            default: return false
            }
        }
        return true
    }
}
