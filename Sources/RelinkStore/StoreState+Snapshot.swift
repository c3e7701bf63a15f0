import Foundation
import RelinkCore

/// The shareable snapshot, one record per line:
///
/// ```
/// {"schemaVersion":2,"sequence":41,
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
/// It is plain JSON, a diff shows one line per changed record, and it opens quickly: records are
/// decoded line by line on every core, and events not at all until the history is read. A file
/// in any other JSON layout (a person pretty-printed it, say) is read by the general decoder.
extension StoreState {
    static let sections = ["projects", "connections", "events"]

    func snapshotData(sequence: UInt64) throws -> Data {
        let encoder = StoreCoding.encoder(pretty: false)
        var data = Data("{\"schemaVersion\":\(Snapshot<StoreState>.currentVersion),\"sequence\":\(sequence),\n".utf8)
        func section(_ name: String, _ lines: [Data], last: Bool) {
            data.append(contentsOf: Array("\"\(name)\":[\n".utf8))
            for (index, line) in lines.enumerated() {
                data.append(line)
                data.append(contentsOf: index == lines.count - 1 ? [0x0A] : [0x2C, 0x0A])
            }
            data.append(contentsOf: Array((last ? "]}\n" : "],\n").utf8))
        }
        section("projects", try projects.values.sorted { $0.key < $1.key }.map { try encoder.encode($0) }, last: false)
        section(
            "connections",
            try connections.values.sorted { $0.projectKey < $1.projectKey }.map { try encoder.encode($0) },
            last: false)
        section("events", events.undecoded + (try events.appended.map { try encoder.encode($0) }), last: true)
        return data
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> (state: StoreState, sequence: UInt64)
    {
        guard let layout = LineLayout(data) else {
            // Not our one-record-per-line layout: the general decoder reads any JSON layout and
            // names what is wrong.
            do {
                let snapshot = try StoreCoding.decoder().decode(Snapshot<StoreState>.self, from: data)
                return (snapshot.state, snapshot.sequence)
            } catch let error as SchemaVersionError {
                throw error.storeError(file: url)
            } catch {
                throw StoreError.damaged(url, decoding: error, data: data)
            }
        }
        guard layout.schemaVersion == Snapshot<StoreState>.currentVersion else {
            throw SchemaVersionError(found: layout.schemaVersion, supported: Snapshot<StoreState>.currentVersion)
                .storeError(file: url)
        }
        if let problem = layout.problem { throw .damaged(file: url.path, problem: problem) }
        var state = StoreState()
        let projectRecords = layout.records["projects"] ?? []
        let connectionRecords = layout.records["connections"] ?? []
        let projects: [Project] = try decodeInParallel(projectRecords, section: "projects", url: url)
        let connections: [Connection] = try decodeInParallel(connectionRecords, section: "connections", url: url)
        do {
            (state.projects, state.connections) = try checkRecords(projects, connections) { section, index in
                "line \((section == "projects" ? projectRecords : connectionRecords)[index].line)"
            }
        } catch {
            throw .damaged(file: url.path, problem: error.problem)
        }
        // Copies, so that the file's bytes are freed once the records are decoded.
        let eventRecords = layout.records["events"] ?? []
        state.events = EventLog(undecoded: eventRecords.map { Data($0.bytes) }, lines: eventRecords.map(\.line))
        return (state, layout.sequence)
    }

    /// Decodes records on every core; a bad record is named by its line and field.
    private static func decodeInParallel<T: Decodable & Sendable>(
        _ records: [LineLayout.Record], section: String, url: URL
    ) throws(StoreError) -> [T] {
        let chunkCount = records.count < 2000 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 8
        let chunkSize = (records.count + chunkCount - 1) / max(chunkCount, 1)
        let results = ChunkResults<T>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let decoder = StoreCoding.decoder()
            let range = (chunk * chunkSize)..<min(records.count, (chunk + 1) * chunkSize)
            guard !range.isEmpty else { return }
            // One decode per chunk, of the chunk's lines as one JSON array: a decoder call has a
            // fixed cost that thousands of one-line calls would pay thousands of times.
            var array = Data("[".utf8)
            array.reserveCapacity(range.reduce(2) { $0 + records[$1].bytes.count + 1 })
            for index in range {
                if index > range.lowerBound { array.append(0x2C) }
                array.append(records[index].bytes)
            }
            array.append(0x5D)
            if let decoded = try? decoder.decode([T].self, from: array) {
                results.set(chunk, decoded)
                return
            }
            // Something in this chunk is bad: find the record, to name its line.
            for index in range {
                do {
                    _ = try decoder.decode(T.self, from: records[index].bytes)
                } catch {
                    let problem = StoreError.describe(error, data: records[index].bytes)
                    results.fail(chunk, "line \(records[index].line), \(section)[\(index)]: \(problem)")
                    return
                }
            }
            results.fail(
                chunk,
                "lines \(records[range.lowerBound].line)–\(records[range.upperBound - 1].line) of \(section) cannot be read together"
            )
        }
        if let problem = results.firstProblem { throw .damaged(file: url.path, problem: problem) }
        return results.joined
    }
}

/// Results of a parallel decode, one slot per chunk.
private final class ChunkResults<T>: @unchecked Sendable {
    // @unchecked: each chunk writes only its own slot, under `lock`; reads come after
    // concurrentPerform has returned.
    private let lock = NSLock()
    private var values: [[T]]
    private var problems: [String?]

    init(count: Int) {
        values = Array(repeating: [], count: count)
        problems = Array(repeating: nil, count: count)
    }

    func set(_ chunk: Int, _ decoded: [T]) { lock.withLock { values[chunk] = decoded } }
    func fail(_ chunk: Int, _ problem: String) { lock.withLock { problems[chunk] = problem } }
    var firstProblem: String? { problems.compactMap { $0 }.first }
    var joined: [T] { values.flatMap { $0 } }
}

/// The lines of a snapshot in relink's one-record-per-line layout, found without decoding them.
@_spi(Benchmarks) public struct LineLayout: Sendable {
    @_spi(Benchmarks) public struct Record: Sendable {
        @_spi(Benchmarks) public var bytes: Data
        var line: Int
    }

    var schemaVersion: Int
    var sequence: UInt64
    @_spi(Benchmarks) public var records: [String: [Record]] = [:]
    /// Set when the layout is relink's but the file does not hold it whole (a truncated file).
    var problem: String?

    /// nil when the data is not in this layout (the caller falls back to a general decode).
    @_spi(Benchmarks) public init?(_ data: Data) {
        // Line boundaries as offsets, found in one pass over the bytes: slicing Data line by
        // line costs more than decoding the records.
        let lines: [Range<Int>] = data.withUnsafeBytes { buffer in
            var lines: [Range<Int>] = []
            lines.reserveCapacity(data.count / 64)
            var start = 0
            for index in 0..<buffer.count where buffer[index] == 0x0A {
                lines.append(start..<index)
                start = index + 1
            }
            if start < buffer.count { lines.append(start..<buffer.count) }
            return lines
        }
        let base = data.startIndex
        func text(_ line: Int) -> Data { data[(base + lines[line].lowerBound)..<(base + lines[line].upperBound)] }
        func equals(_ line: Int, _ literal: String) -> Bool {
            lines[line].count == literal.utf8.count && text(line).elementsEqual(literal.utf8)
        }
        guard let first = lines.first, first.count < 200 else { return nil }
        let header = String(decoding: text(0), as: UTF8.self)
        guard header.hasPrefix("{\"schemaVersion\":"), header.hasSuffix(",") else { return nil }
        let fields = header.dropFirst().dropLast().split(separator: ",")
        guard fields.count == 2, let version = Int(fields[0].dropFirst("\"schemaVersion\":".count)),
            fields[1].hasPrefix("\"sequence\":"), let sequence = UInt64(fields[1].dropFirst("\"sequence\":".count))
        else { return nil }
        schemaVersion = version
        self.sequence = sequence

        var index = 1
        for (position, name) in StoreState.sections.enumerated() {
            guard index < lines.count else {
                problem = "truncated: the file ends before the \"\(name)\" list (\(data.count) bytes)"
                return
            }
            guard equals(index, "\"\(name)\":[") else {
                problem = "line \(index + 1): expected the \"\(name)\" list"
                return
            }
            index += 1
            var records: [Record] = []
            let closing = position == StoreState.sections.count - 1 ? "]}" : "],"
            while index < lines.count, !equals(index, closing) {
                var range = lines[index]
                if range.count > 0, data[base + range.upperBound - 1] == 0x2C {
                    range = range.lowerBound..<(range.upperBound - 1)
                }
                records.append(
                    Record(bytes: data[(base + range.lowerBound)..<(base + range.upperBound)], line: index + 1))
                index += 1
            }
            guard index < lines.count else {
                problem = "truncated: the \"\(name)\" list is not closed (\(data.count) bytes)"
                return
            }
            self.records[name] = records
            index += 1
        }
        // Each line after the end on its own: a blank line first must not hide what follows it.
        if index < lines.count,
            let extra = lines[index...].firstIndex(where: { range in
                !data[(base + range.lowerBound)..<(base + range.upperBound)].allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }
            })
        {
            problem = "line \(extra + 1): unexpected content after the end of the snapshot"
        }
    }
}
