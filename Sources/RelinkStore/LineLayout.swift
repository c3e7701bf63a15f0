import CRelinkChecksum
import Foundation
import JournaledFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of a snapshot in relink's one-record-per-line layout, found without decoding them.
///
/// Found by streaming: `scan(descriptor:…)` reads the file through one reused buffer (a line
/// longer than the buffer grows it) and, line by line as the bytes go past, checks the layout,
/// computes the file's CRC-32C, and keeps of each record its place, line, key and a CRC-32C of its
/// own bytes, nothing more. `init?(_ data:)` does the same over bytes in memory.
@_spi(Benchmarks) public struct LineLayout: Sendable {
    var schemaVersion: Int
    var sequence: UInt64
    /// The checksum the header records; nil when it records none.
    var checksum: UInt32?
    /// The CRC-32C of every byte but the header's checksum field, as streamed.
    var computedChecksum: UInt32 = 0
    /// Where the header's checksum field begins and the header ends (at its newline).
    private var checksumFieldStart = 0
    private var headerEnd = 0
    /// The records of each section (projects, connections, events), in file order.
    var records: [[RawRecord]] = [[], [], []]
    /// The keys of the projects and of the connections, each `RawRecord.keyOffset` into its
    /// section's bytes; valid only while `keysInOrder`.
    var keys: [[UInt8]] = [[], []]
    /// Every project and connection line has a key as relink writes one (upper case ASCII), each
    /// section's keys strictly increase, and every connection's key is a project's: the records
    /// can be found by key without decoding (`RawIndex`). Otherwise the caller decodes everything
    /// and names the record.
    var keysInOrder = true
    /// Set when the layout is relink's but the file does not hold it whole (a truncated file).
    var problem: String?
    /// The file's size, as streamed.
    var byteCount = 0
    /// The largest buffer `scan` read through (its chunk size, unless a line was longer).
    var largestBuffer = 0

    /// What the layout keeps of the file: each record's place and CRC, and the keys.
    var retainedByteCount: Int {
        records.reduce(0) { $0 + $1.capacity * MemoryLayout<RawRecord>.stride } + keys.reduce(0) { $0 + $1.capacity }
    }

    @_spi(Benchmarks) public var recordCount: Int { records.reduce(0) { $0 + $1.count } }

    /// nil when the data is not in this layout (the caller falls back to a general decode).
    @_spi(Benchmarks) public init?(_ data: Data) {
        var scanner = Scanner()
        let complete = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count > 0 else {
                return false
            }
            return scanner.feed(UnsafeBufferPointer(start: base, count: buffer.count), at: 0, final: true)
        }
        guard complete || scanner.stopped, let layout = scanner.finish(byteCount: data.count) else { return nil }
        self = layout
    }

    fileprivate init(schemaVersion: Int, sequence: UInt64) {
        self.schemaVersion = schemaVersion
        self.sequence = sequence
    }

    /// What streaming a snapshot found.
    enum Scan {
        /// Not relink's line layout: decode it whole.
        case notLineLayout
        /// The layout, read to its end or to the first problem (`problem`), or only its header
        /// when it records no checksum.
        case layout(LineLayout)
    }

    /// The buffer `scan` reads through: small enough to stay in the CPU's caches, large enough
    /// that a read costs little. A test makes it tiny, so that records straddle reads.
    static let defaultChunkSize = 1 << 20

    /// Streams the file from its start through one buffer of `chunkSize` bytes (grown only for a
    /// line longer than it). A snapshot recording no checksum is read no further than its header:
    /// it is decoded whole.
    ///
    /// - Throws: `StoreError.io` when it cannot be read.
    static func scan(descriptor: Int32, url: URL, chunkSize: Int = defaultChunkSize) throws(StoreError) -> Scan {
        var capacity = max(chunkSize, 1)
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var scanner = Scanner()
        scanner.stopWithoutChecksum = true
        /// Bytes of the buffer not yet given to the scanner (an incomplete last line), from its start.
        var pending = 0
        /// The file offset of the buffer's first byte.
        var offset = 0
        while true {
            if pending == capacity {
                // One line longer than the buffer: grow it (a record is rarely that long).
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.copyMemory(from: buffer, byteCount: pending)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let n = pread(descriptor, buffer + pending, capacity - pending, off_t(offset + pending))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw StoreError.io(url, "read", errno: errno)
            }
            let filled = pending + n
            let bytes = UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: filled)
            let consumed = scanner.consumeLines(bytes, at: offset, final: n == 0)
            if scanner.stopped || n == 0 { break }
            // Keep the incomplete last line for the next read.
            pending = filled - consumed
            if consumed > 0, pending > 0 { memmove(buffer, buffer + consumed, pending) }
            offset += consumed
        }
        guard var layout = scanner.finish(byteCount: scanner.byteCount) else { return .notLineLayout }
        layout.largestBuffer = capacity
        return .layout(layout)
    }

    /// The line-by-line reading behind `scan` and `init?(_ data:)`.
    private struct Scanner {
        enum Place {
            case header
            case opening(Int)
            case records(Int)
            case trailing
        }

        var place = Place.header
        /// Filled in by the header line; read only after it (`place` is past `.header`).
        var layout = LineLayout(schemaVersion: 0, sequence: 0)
        var notLineLayout = false
        /// Set when nothing more needs reading: not the layout, a problem, or no checksum.
        var stopped = false
        /// Stop after a header that records no checksum (`stoppedAtHeader`).
        var stopWithoutChecksum = false
        var stoppedAtHeader = false
        var line = 1
        var crc: UInt32 = 0
        var byteCount = 0

        /// Feeds the lines of `bytes` (which starts at file offset `offset`) and returns how many
        /// bytes were consumed: every complete line, and when `final` the last incomplete one.
        mutating func consumeLines(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, final: Bool) -> Int {
            guard let base = bytes.baseAddress else {
                if final { byteCount = offset }
                return 0
            }
            var start = 0
            while start < bytes.count, !stopped {
                guard let found = memchr(base + start, 0x0A, bytes.count - start) else { break }
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                take(UnsafeBufferPointer(start: base + start, count: end - start), at: offset + start, newline: true)
                start = end + 1
            }
            if final, !stopped {
                if start < bytes.count {
                    let rest = UnsafeBufferPointer(start: base + start, count: bytes.count - start)
                    take(rest, at: offset + start, newline: false)
                    start = bytes.count
                }
                byteCount = offset + bytes.count
            }
            return start
        }

        /// The whole of `bytes` at once.
        mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, final: Bool) -> Bool {
            let consumed = consumeLines(bytes, at: offset, final: final)
            return consumed == bytes.count
        }

        mutating func finish(byteCount: Int) -> LineLayout? {
            if notLineLayout { return nil }
            if case .header = place { return nil }
            var layout = self.layout
            layout.byteCount = byteCount
            layout.computedChecksum = crc
            if layout.problem == nil, !stoppedAtHeader {
                switch place {
                case .header: return nil
                case .opening(let position):
                    layout.problem =
                        "truncated: the file ends before the \"\(StoreState.sections[position])\" list (\(byteCount) bytes)"
                case .records(let position):
                    layout.problem =
                        "truncated: the \"\(StoreState.sections[position])\" list is not closed (\(byteCount) bytes)"
                case .trailing: break
                }
            }
            if layout.problem == nil, !stoppedAtHeader, layout.keysInOrder {
                layout.keysInOrder = Self.connectionsHaveProjects(layout)
            }
            return layout
        }

        /// One line, without its newline; `newline` when one followed it.
        private mutating func take(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, newline: Bool) {
            defer { line += 1 }
            switch place {
            case .header:
                guard let parsed = Self.header(bytes) else {
                    notLineLayout = true
                    stopped = true
                    return
                }
                var layout = parsed
                layout.headerEnd = bytes.count
                crc = relink_crc32c(0, bytes.baseAddress, layout.checksumFieldStart)
                if newline { crc = relink_crc32c(crc, "\n", 1) }
                self.layout = layout
                place = .opening(0)
                // Without a checksum the file is decoded whole anyway: nothing more to stream.
                if layout.checksum == nil, stopWithoutChecksum { (stopped, stoppedAtHeader) = (true, true) }
                return
            default: break
            }
            crc = relink_crc32c(crc, bytes.baseAddress, bytes.count)
            if newline { crc = relink_crc32c(crc, "\n", 1) }
            switch place {
            case .header: break
            case .opening(let position):
                let name = StoreState.sections[position]
                let opening = "\"\(name)\":["
                guard bytes.count == opening.utf8.count, memcmp(bytes.baseAddress!, opening, bytes.count) == 0 else {
                    return fail("line \(line): expected the \"\(name)\" list")
                }
                place = .records(position)
            case .records(let position):
                let last = position == StoreState.sections.count - 1
                if Self.equals(bytes, last ? "]}" : "],") {
                    place = last ? .trailing : .opening(position + 1)
                    return
                }
                let count = bytes.count > 0 && bytes[bytes.count - 1] == 0x2C ? bytes.count - 1 : bytes.count
                let recordBytes = UnsafeBufferPointer(start: bytes.baseAddress, count: count)
                var record = RawRecord(
                    start: offset, count: Int32(count), line: Int32(line),
                    crc: relink_crc32c(0, recordBytes.baseAddress, count))
                if position < 2, layout.keysInOrder {
                    locateKey(&record, in: recordBytes, section: position)
                }
                layout.records[position].append(record)
            case .trailing:
                // Each line after the end on its own: a blank line first must not hide what follows.
                for byte in bytes where ![0x20, 0x0D, 0x09].contains(byte) {
                    return fail("line \(line): unexpected content after the end of the snapshot")
                }
            }
        }

        private mutating func fail(_ problem: String) {
            layout.problem = problem
            stopped = true
        }

        /// The record's key: the first `"key":"` of a project line and `"project":"` of a
        /// connection line (the encoder writes fields sorted, and no field before these holds an
        /// object), copied to the section's key bytes when it is a key as relink writes one and
        /// follows the section's previous key.
        private mutating func locateKey(_ record: inout RawRecord, in bytes: UnsafeBufferPointer<UInt8>, section: Int) {
            let field: StaticString = section == 0 ? "\"key\":\"" : "\"project\":\""
            guard let start = bytes.baseAddress,
                let found = relink_find(start, bytes.count, field.utf8Start, field.utf8CodeUnitCount)
            else { return layout.keysInOrder = false }
            let keyStart = found.assumingMemoryBound(to: UInt8.self) + field.utf8CodeUnitCount
            let remaining = start + bytes.count - keyStart
            guard remaining > 0, let close = memchr(keyStart, 0x22, remaining) else {
                return layout.keysInOrder = false
            }
            let length = keyStart.distance(to: close.assumingMemoryBound(to: UInt8.self))
            let key = UnsafeBufferPointer(start: keyStart, count: length)
            guard length > 0, length <= 32, Self.isStoredKey(key) else { return layout.keysInOrder = false }
            let inOrder = layout.keys[section].withUnsafeBufferPointer { keys -> Bool in
                guard let previous = layout.records[section].last, let keysBase = keys.baseAddress else { return true }
                let previousKey = UnsafeBufferPointer(
                    start: keysBase + Int(previous.keyOffset), count: Int(previous.keyLength))
                return compareKeys(previousKey, key) < 0
            }
            guard inOrder else { return layout.keysInOrder = false }
            record.keyOffset = Int32(layout.keys[section].count)
            record.keyLength = UInt8(length)
            layout.keys[section].append(contentsOf: key)
        }

        /// Both sections sorted: every connection's key is among the projects' in one merged walk.
        private static func connectionsHaveProjects(_ layout: LineLayout) -> Bool {
            layout.keys[0].withUnsafeBufferPointer { projectKeys in
                layout.keys[1].withUnsafeBufferPointer { connectionKeys in
                    func key(_ record: RawRecord, _ keys: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(
                            start: keys.baseAddress! + Int(record.keyOffset), count: Int(record.keyLength))
                    }
                    let projects = layout.records[0]
                    var projectIndex = 0
                    for connection in layout.records[1] {
                        let wanted = key(connection, connectionKeys)
                        while projectIndex < projects.count,
                            compareKeys(key(projects[projectIndex], projectKeys), wanted) < 0
                        {
                            projectIndex += 1
                        }
                        guard projectIndex < projects.count,
                            compareKeys(key(projects[projectIndex], projectKeys), wanted) == 0
                        else { return false }
                    }
                    return true
                }
            }
        }

        private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
            bytes.count == literal.utf8CodeUnitCount
                && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
        }

        /// `{"schemaVersion":2,"sequence":41,"checksum":"crc32c:5e1f0a9c",` (the checksum optional).
        private static func header(_ bytes: UnsafeBufferPointer<UInt8>) -> LineLayout? {
            guard bytes.count < 200 else { return nil }
            let header = String(decoding: bytes, as: UTF8.self)
            guard header.hasPrefix("{\"schemaVersion\":"), header.hasSuffix(",") else { return nil }
            let fields = header.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3,
                let version = Int(fields[0].dropFirst("\"schemaVersion\":".count)),
                fields[1].hasPrefix("\"sequence\":"),
                let sequence = UInt64(fields[1].dropFirst("\"sequence\":".count))
            else { return nil }
            var layout = LineLayout(schemaVersion: version, sequence: sequence)
            if fields.count == 3 {
                let field = fields[2]
                guard field.hasPrefix("\"checksum\":\""), field.hasSuffix("\""),
                    let checksum = SnapshotChecksum.parse(field.dropFirst("\"checksum\":\"".count).dropLast())
                else { return nil }
                layout.checksum = checksum
                layout.checksumFieldStart = header.utf8.count - field.utf8.count - 1
            }
            return layout
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

    /// The CRC-32C of every byte but the header's checksum field.
    func computeChecksum(_ data: Data) -> UInt32 {
        let base = data.startIndex
        return SnapshotChecksum.compute(
            prefix: data[base..<(base + checksumFieldStart)], rest: data[(base + headerEnd)...])
    }

    /// The projects' and connections' indexes over `bytes`. Only a layout whose `keysInOrder` has
    /// the keys they need: the callers check it first.
    func index(_ bytes: SnapshotBytes) -> (projects: RawIndex, connections: RawIndex) {
        (
            RawIndex(sortedRecords: records[0], keyBytes: keys[0], bytes: bytes),
            RawIndex(sortedRecords: records[1], keyBytes: keys[1], bytes: bytes)
        )
    }
}
