import Foundation
import IntercomMockWorld
import JournaledFiles
import RelinkStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The mock's activity in the store, shared by every process that runs a mock over it:
///
/// ```
/// mock-faults.json      installed faults, their generators' state and hit counts
/// mock-journal.jsonl    the request journal, one entry (or reset mark) per line, appended only
/// mock-journal.1.jsonl  the segment before, kept when the journal passes `segmentLimit`
/// .mock.lock            taken for every decision, by every process
/// ```
///
/// Every decision runs under `.mock.lock` (not the store's `.lock`, so a mock answering requests
/// never waits on a commit of relink's records): it first reads what other processes appended
/// since this instance last looked, and whether the faults or the world changed, then saves what
/// the decision changed. A request costs one `flock`, three `stat`s and one `write` of its
/// journal line; the faults file is rewritten only when a fault drew. The journal is never
/// rewritten: rate-limit counts are rebuilt from its lines, so nothing is written per request
/// but the line itself.
///
/// Neither file needs `fsync`: they are the mock's test apparatus, not records, and a rename
/// still keeps a crash from tearing the faults file. A journal line torn by a crash mid-write is
/// skipped when read.
package final class MockActivityFiles: MockActivityPersistence, @unchecked Sendable {
    // @unchecked: the mutable members are touched only inside `exclusively` and
    // `journalEntries`, which hold `mutex` (in-process) and `.mock.lock` (across processes).
    private let mutex = NSLock()
    let lockURL: URL
    let faultsURL: URL
    let journalURL: URL
    let previousJournalURL: URL
    let worldURL: URL
    /// The journal is cut into a new segment past this size, so it never grows without bound.
    let segmentLimit: Int

    private var lockDescriptor: Int32 = -1
    /// The journal segment this instance has read up to `readOffset`; -1 before the first look.
    private var journalDescriptor: Int32 = -1
    /// Device and inode of that segment, to notice that another process started a new one.
    private var journalIdentity: (device: UInt64, inode: UInt64)?
    private var readOffset = 0
    /// The followed segment's size when it was last read, under the lock still held: what the
    /// append after it needs, without asking the kernel again.
    private var followedSize = 0
    private var faultsLookedAt = false
    private var faultsStamp: FileIdentity?
    private var worldStamp: FileIdentity?

    static let journalFileName = "mock-journal.jsonl"
    package static let fileNames = ["mock-faults.json", journalFileName, "mock-journal.1.jsonl"]

    package init(directory: URL, segmentLimit: Int = 4 << 20) {
        lockURL = directory.appendingPathComponent(".mock.lock")
        faultsURL = directory.appendingPathComponent("mock-faults.json")
        journalURL = directory.appendingPathComponent(Self.journalFileName)
        previousJournalURL = directory.appendingPathComponent("mock-journal.1.jsonl")
        worldURL = directory.appendingPathComponent("world.json")
        self.segmentLimit = max(segmentLimit, 1)
        // The mock loads the world after making this view: only a change after now is news.
        worldStamp = FileIdentity(of: worldURL)
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
        if journalDescriptor >= 0 { close(journalDescriptor) }
    }

    package func exclusively<T>(
        lookingBackTo since: Date, _ decide: (MockActivityChanges) throws -> (T, MockActivityWrites)
    ) throws -> T {
        try mutex.withLock {
            do {
                return try decideUnderLock(lookingBackTo: since, decide)
            } catch {
                // What was read may not have been taken in: the next look starts over.
                forgetJournalPosition()
                faultsLookedAt = false
                throw error
            }
        }
    }

    private func decideUnderLock<T>(
        lookingBackTo since: Date, _ decide: (MockActivityChanges) throws -> (T, MockActivityWrites)
    ) throws -> T {
        try withFileLock {
            var changes = MockActivityChanges()
            (changes.lines, changes.startOver) = try journalChangesSinceLastLook(lookingBackTo: since)
            let faults = FileIdentity(of: faultsURL)
            if !faultsLookedAt || faults != faultsStamp {
                changes.faults = try loadFaults()
                faultsStamp = faults
                faultsLookedAt = true
            }
            let world = FileIdentity(of: worldURL)
            changes.worldChanged = world != worldStamp
            worldStamp = world
            let (result, writes) = try decide(changes)
            if let saved = writes.worldSaved?.value as? FileIdentity { worldStamp = saved }
            if let book = writes.faults { try saveFaults(book) }
            if !writes.lines.isEmpty { try append(writes.lines) }
            return result
        }
    }

    package func noteWorldSaved(_ stamp: WorldFileStamp) {
        guard let saved = stamp.value as? FileIdentity else { return }
        mutex.withLock { worldStamp = saved }
    }

    private func forgetJournalPosition() {
        if journalDescriptor >= 0 { close(journalDescriptor) }
        journalDescriptor = -1
        journalIdentity = nil
        readOffset = 0
    }

    package func journalEntries(limit: Int?) throws -> [JournalEntry] {
        let wanted = min(limit ?? Self.defaultEntryLimit, Self.defaultEntryLimit)
        guard wanted > 0 else { return [] }
        return try mutex.withLock {
            try withFileLock {
                var entries: [JournalEntry] = []
                for url in [journalURL, previousJournalURL] {
                    guard let data = try StoreFile.read(url) else { continue }
                    var reachedReset = false
                    Self.linesBackward(in: data) { line in
                        switch line {
                        case .mark(.reset): reachedReset = true
                        case .mark(.rateLimitsChanged): return true
                        case .entry(let entry): entries.append(entry)
                        }
                        return !reachedReset && entries.count < wanted
                    }
                    if reachedReset || entries.count >= wanted { break }
                }
                return entries.reversed()
            }
        }
    }

    /// `mock journal` without a limit shows at most this many: as many as the in-memory ring holds.
    static let defaultEntryLimit = 10_000

    // MARK: The lock

    private func withFileLock<T>(_ body: () throws -> T) throws -> T {
        if lockDescriptor < 0 {
            guard let fd = try StoreFile.openRegular(lockURL, O_RDWR | O_CREAT, mode: 0o644) else {
                throw StoreError.io(lockURL, "open the lock file", errno: ENOENT)
            }
            lockDescriptor = fd
        }
        while flock(lockDescriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.io(lockURL, "lock") }
        }
        defer { flock(lockDescriptor, LOCK_UN) }
        return try body()
    }

    // MARK: Faults

    /// Reads the saved faults, for `verify`.
    ///
    /// - Throws: `StoreError.damaged` naming `mock-faults.json` when it is not the mock's faults.
    package func verifyFaults() throws(StoreError) {
        _ = try loadFaults()
    }

    private func loadFaults() throws(StoreError) -> FaultBook {
        try ReadableJSONFile.load(FaultBook.self, from: faultsURL, what: "the mock's faults") ?? FaultBook()
    }

    private func saveFaults(_ book: FaultBook) throws(StoreError) {
        try ReadableJSONFile.save(book, to: faultsURL, what: "the faults", synced: false)
        faultsStamp = FileIdentity(of: faultsURL)
    }

    // MARK: The journal

    /// What other processes appended since the last look, following the journal into a new
    /// segment when one was started. On the first look, or when more than one segment was started
    /// since (this process idled while others filled a whole segment), the recent lines instead:
    /// back to `since` or the last mark, and `startOver` is set.
    private func journalChangesSinceLastLook(lookingBackTo since: Date) throws -> (lines: [JournalLine], startOver: Bool) {
        guard journalDescriptor >= 0, let followed = journalIdentity else {
            try openJournal()
            return (try lookBack(to: since), true)
        }
        let current = FileIdentity(of: journalURL)
        if let current, current.device == followed.device && current.inode == followed.inode {
            // The path's size is the followed file's: no need to ask its descriptor too.
            return (try readTail(knownSize: current.size), false)
        }
        // Another process started a new segment (or the file was removed). What this process had
        // not read of the segment it followed is still there through its descriptor; when that
        // segment is the previous one, the rest is the new segment from its start.
        let previous = FileIdentity(of: previousJournalURL)
        guard previous?.device == followed.device && previous?.inode == followed.inode else {
            try openJournal()
            return (try lookBack(to: since), true)
        }
        var lines = try readTail()
        try openJournal()
        readOffset = 0
        lines += try readTail()
        return (lines, false)
    }

    /// The lines of the journal, newest back to one older than `since` or to a mark (included),
    /// across the current segment and the previous one; this instance then follows from the end.
    private func lookBack(to since: Date) throws(StoreError) -> [JournalLine] {
        var info = stat()
        guard fstat(journalDescriptor, &info) == 0 else { throw StoreError.io(journalURL, "inspect") }
        let current = try readBytes(from: 0, upTo: Int(info.st_size))
        followedSize = current.count
        readOffset = Self.endOfLastCompleteLine(current)
        var recent: [JournalLine] = []
        var reachedEnd = false
        let visit = { (line: JournalLine) -> Bool in
            recent.append(line)
            switch line {
            case .mark: reachedEnd = true
            case .entry(let entry): reachedEnd = entry.time < since
            }
            return !reachedEnd
        }
        Self.linesBackward(in: current.prefix(readOffset), visit)
        if !reachedEnd, let older = try StoreFile.read(previousJournalURL) {
            Self.linesBackward(in: older, visit)
        }
        return recent.reversed()
    }

    private func openJournal() throws(StoreError) {
        if journalDescriptor >= 0 { close(journalDescriptor) }
        journalDescriptor = -1
        guard let fd = try StoreFile.openRegular(journalURL, O_RDWR | O_APPEND | O_CREAT, mode: 0o644) else {
            throw StoreError.io(journalURL, "open", errno: ENOENT)
        }
        journalDescriptor = fd
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(journalURL, "inspect") }
        journalIdentity = (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// The complete lines past `readOffset` in the segment this instance follows.
    private func readTail(knownSize: Int? = nil) throws(StoreError) -> [JournalLine] {
        var size = knownSize ?? 0
        if knownSize == nil {
            var info = stat()
            guard fstat(journalDescriptor, &info) == 0 else { throw StoreError.io(journalURL, "inspect") }
            size = Int(info.st_size)
        }
        followedSize = size
        guard size > readOffset else {
            // Shorter than read: cut by hand; follow it from its new end.
            readOffset = min(readOffset, size)
            return []
        }
        let data = try readBytes(from: readOffset, upTo: size)
        let complete = Self.endOfLastCompleteLine(data)
        readOffset += complete
        var lines: [JournalLine] = []
        for line in data.prefix(complete).split(separator: UInt8(ascii: "\n")) {
            if let decoded = JournalLineCoding.decode(line) { lines.append(decoded) }
        }
        return lines
    }

    private func readBytes(from offset: Int, upTo end: Int) throws(StoreError) -> Data {
        guard end > offset else { return Data() }
        var data = Data(count: end - offset)
        let count = data.withUnsafeMutableBytes { pread(journalDescriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard count >= 0 else { throw StoreError.io(journalURL, "read") }
        return data.prefix(count)
    }

    private func append(_ lines: [JournalLine]) throws(StoreError) {
        var bytes = Data()
        if followedSize > readOffset {
            // Under the lock every writer writes whole lines: a part after the last one was torn
            // by a crash. It stays, as its own (skipped) line, not glued to this one.
            bytes.append(UInt8(ascii: "\n"))
        }
        for line in lines {
            bytes.append(try JournalLineCoding.encode(line))
            bytes.append(UInt8(ascii: "\n"))
        }
        let written = bytes.withUnsafeBytes { StoreFile.writeAtEnd(journalDescriptor, $0) }
        guard written else { throw StoreError.io(journalURL, "append") }
        // Under the lock nobody else wrote since the tail was read: this instance has read it all.
        readOffset = followedSize + bytes.count
        followedSize = readOffset
        if readOffset >= segmentLimit { try startNewSegment() }
    }

    /// Keeps the full segment as `mock-journal.1.jsonl` (replacing the one before) and starts an
    /// empty one; every other process follows on its next look.
    private func startNewSegment() throws(StoreError) {
        try StoreFile.requireRegularOrAbsent(previousJournalURL)
        guard FileSystemCalls.rename(journalURL.path, previousJournalURL.path) == 0 else { throw StoreError.io(journalURL, "rotate") }
        try openJournal()
        readOffset = 0
    }

    // MARK: Lines

    static func endOfLastCompleteLine(_ data: Data) -> Int {
        guard let last = data.lastIndex(of: UInt8(ascii: "\n")) else { return 0 }
        return data.distance(from: data.startIndex, to: last) + 1
    }

    /// Hands the decodable lines of `data` to `visit`, newest first, while it returns true.
    static func linesBackward(in data: Data, _ visit: (JournalLine) -> Bool) {
        var end = data.endIndex
        while end > data.startIndex {
            let start = data[data.startIndex..<end].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
            if start < end, let line = JournalLineCoding.decode(data[start..<end]), !visit(line) { return }
            end = start > data.startIndex ? start - 1 : data.startIndex
        }
    }
}

/// A journal line as the file holds it: an entry as the control API shows it (ISO 8601 times), or
/// `{"mark":"reset"}`.
enum JournalLineCoding {
    private struct Mark: Codable {
        var mark: JournalMark
    }

    private static let markPrefix = Array(#"{"mark":"#.utf8)

    /// One encoder for every line (JSONEncoder is Sendable): a request pays only the encoding.
    /// One decoder for every line read (up to 10,000 for `mock journal`), not one per line.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func encode(_ line: JournalLine) throws(StoreError) -> Data {
        do {
            switch line {
            case .entry(let entry): return try fastEncoding(entry).map { Data($0) } ?? encoder.encode(entry)
            case .mark(let mark): return try encoder.encode(Mark(mark: mark))
            }
        } catch {
            throw .io(file: MockActivityFiles.journalFileName, operation: "encode a journal line", reason: "\(error)")
        }
    }

    /// The entry as `encoder` writes it (the same keys in the same order, the same values), written
    /// by hand: every request writes one, and Foundation's encoder cost the mock a third of its
    /// throughput (BENCHMARKS.md §2b). `nil` for a time `encoder` would write otherwise (a year
    /// outside 1–9999), which is then left to it.
    static func fastEncoding(_ entry: JournalEntry) -> [UInt8]? {
        guard let time = iso8601(entry.time) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(320)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        if let counted = entry.countedAs {
            key("counted_as")
            out.append(contentsOf: Array(#"{"client_id":"#.utf8))
            string(counted.clientID, into: &out)
            out.append(contentsOf: Array(#","workspace_id":"#.utf8))
            string(counted.workspaceID, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        if let fault = entry.fault {
            key("fault")
            string(fault, into: &out)
        }
        if let version = entry.intercomVersion {
            key("intercom_version")
            string(version, into: &out)
        }
        key("method")
        string(entry.method, into: &out)
        key("path")
        string(entry.path, into: &out)
        key("request_id")
        string(entry.requestID, into: &out)
        key("sequence")
        out.append(contentsOf: Array(String(entry.sequence).utf8))
        if let status = entry.status {
            key("status")
            out.append(contentsOf: Array(String(status).utf8))
        }
        key("time")
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: time)
        out.append(UInt8(ascii: "\""))
        if let token = entry.token {
            key("token")
            string(token, into: &out)
        }
        if let alive = entry.tokenAlive {
            key("token_alive")
            out.append(contentsOf: Array((alive ? "true" : "false").utf8))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `2026-12-06T03:15:55Z`: whole seconds (rounded down, as the encoder's ISO 8601 is), UTC.
    private static func iso8601(_ date: Date) -> [UInt8]? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e14 else { return nil }
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return nil }
        let year = Int(parts.tm_year) + 1900
        guard (1...9999).contains(year) else { return nil }
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(width - text.count, 0)) + text
        }
        let text =
            digits(Int32(year), 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2) + "T"
            + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2) + "Z"
        return Array(text.utf8)
    }

    /// `nil` for a line that is neither (torn by a crash, or edited by hand).
    static func decode(_ bytes: some Collection<UInt8>) -> JournalLine? {
        let data = Data(bytes)
        if data.starts(with: markPrefix) {
            return (try? decoder.decode(Mark.self, from: data)).map { .mark($0.mark) }
        }
        return (try? decoder.decode(JournalEntry.self, from: data)).map { .entry($0) }
    }
}
