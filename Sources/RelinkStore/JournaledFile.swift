import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One state persisted as a snapshot plus an append-only journal of changes.
///
/// A commit appends one line to the journal (and `fdatasync`s it) instead of rewriting the
/// snapshot, so its cost does not grow with the store. Now and then the journal is folded into a
/// new snapshot (written beside it, synced, renamed over the old one), then emptied. Every journal
/// line carries a sequence number and the snapshot records the last one it holds, so a crash
/// between the rename and the emptying replays nothing twice.
///
/// A line is acknowledged only once it is completely written, and a writer holds the store's
/// exclusive lock while it writes, so an incomplete last line seen under the lock is a torn write
/// of a process that died: it is ignored, and cut off before the next append.
///
/// Not thread-safe: `Store` serialises access and holds the file lock around every call.
final class JournaledFile<State: JournaledState> {
    struct Entry: Codable {
        var seq: UInt64
        var changes: [State.Change]
    }

    let snapshotURL: URL
    let journalURL: URL
    let mode: mode_t
    let durable: Bool
    private(set) var state = State()
    private(set) var sequence: UInt64 = 0

    private var snapshotIdentity: FileIdentity?
    private var snapshotBytes = 0
    /// Bytes of the journal applied so far, always at the end of a complete line.
    private var journalOffset = 0
    /// Lines of the journal read so far, to name a damaged line by its number.
    private var journalLines = 0
    private let decoder = StoreCoding.decoder()
    private let lineEncoder = StoreCoding.encoder(pretty: false)

    /// The journal grows to at least this many bytes, and to a quarter of the snapshot, before a
    /// compaction: the amortised cost of a commit stays constant, and so does the replay at open.
    static var defaultCompactionFloor: Int { 512 * 1024 }
    let compactionFloor: Int

    init(snapshotURL: URL, journalURL: URL, mode: mode_t, durable: Bool, compactionFloor: Int? = nil) {
        self.compactionFloor = compactionFloor ?? Self.defaultCompactionFloor
        self.snapshotURL = snapshotURL
        self.journalURL = journalURL
        self.mode = mode
        self.durable = durable
    }

    // MARK: Reading

    /// Reads the snapshot and the whole journal anew.
    func load() throws(StoreError) {
        state = State()
        sequence = 0
        snapshotIdentity = nil
        snapshotBytes = 0
        if let data = try readIfPresent(snapshotURL) {
            (state, sequence) = try State.decodeSnapshot(data, from: snapshotURL)
            snapshotBytes = data.count
            snapshotIdentity = FileIdentity(of: snapshotURL)
        }
        journalOffset = 0
        journalLines = 0
        try readJournalTail()
    }

    /// Applies what other processes committed since the last read; a new snapshot (another
    /// process compacted) means reading everything anew.
    func catchUp() throws(StoreError) {
        guard FileIdentity(of: snapshotURL) == snapshotIdentity else { return try load() }
        let size = FileIdentity(of: journalURL)?.size ?? 0
        if size < journalOffset { return try load() }
        if size > journalOffset { try readJournalTail() }
    }

    private func readJournalTail() throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: journalURL.path) else { return }
        defer { try? handle.close() }
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(journalOffset))
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw .io(file: journalURL.path, operation: "read", reason: "\(error)")
        }
        var lineStart = data.startIndex
        while let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = data[lineStart..<newline]
            journalLines += 1
            try applyLine(line)
            journalOffset += line.count + 1
            lineStart = data.index(after: newline)
        }
        // Whatever follows the last newline is a torn write of a dead process (see the type's comment).
    }

    private func applyLine(_ line: Data) throws(StoreError) {
        if line.isEmpty { return }
        let entry: Entry
        do {
            entry = try decoder.decode(Entry.self, from: line)
        } catch {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines) is a damaged journal entry (\(StoreError.describe(error, data: line)))")
        }
        if entry.seq <= sequence { return }  // already in the snapshot: a crash came before the journal was emptied
        guard entry.seq == sequence + 1 else {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines) has sequence \(entry.seq) where \(sequence + 1) was expected (lines are missing)")
        }
        for change in entry.changes { state.apply(change) }
        sequence = entry.seq
    }

    // MARK: Writing (the caller holds the exclusive lock and has caught up)

    /// Appends one entry and applies it. What is applied in memory is what was written, read
    /// back, so the state in memory never differs from what a reopen would see.
    func append(_ changes: [State.Change]) throws(StoreError) {
        guard !changes.isEmpty else { return }
        let entry = Entry(seq: sequence + 1, changes: changes)
        var line: Data
        let written: Entry
        do {
            line = try lineEncoder.encode(entry)
            written = try decoder.decode(Entry.self, from: line)
        } catch {
            throw .io(file: journalURL.path, operation: "encode a change", reason: "\(error)")
        }
        line.append(UInt8(ascii: "\n"))

        let fd = open(journalURL.path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.io(journalURL, "open") }
        defer { close(fd) }
        fchmod(fd, mode)
        // Cut a torn tail left by a writer that died, then write at the end of the last good line.
        guard ftruncate(fd, off_t(journalOffset)) == 0 else { throw StoreError.io(journalURL, "truncate a torn tail") }
        let ok = line.withUnsafeBytes { buffer in
            writeAll(fd, buffer, at: off_t(journalOffset)) && (!durable || fdatasync(fd) == 0)
        }
        guard ok else {
            let error = StoreError.io(journalURL, "append")
            _ = ftruncate(fd, off_t(journalOffset))
            throw error
        }
        for change in written.changes { state.apply(change) }
        sequence = written.seq
        journalOffset += line.count
        journalLines += 1
    }

    /// Folds the journal into a new snapshot when it has grown past the threshold.
    func compactIfNeeded() throws(StoreError) {
        guard journalOffset >= max(compactionFloor, snapshotBytes / 4) else { return }
        try writeSnapshot()
    }

    /// Writes the whole state as a new snapshot, then empties the journal.
    func writeSnapshot() throws(StoreError) {
        let data: Data
        do {
            data = try state.snapshotData(sequence: sequence)
        } catch {
            throw .io(file: snapshotURL.path, operation: "encode the snapshot", reason: "\(error)")
        }
        try AtomicFile.write(data, to: snapshotURL, mode: mode)
        snapshotIdentity = FileIdentity(of: snapshotURL)
        snapshotBytes = data.count
        let fd = open(journalURL.path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.io(journalURL, "open") }
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw StoreError.io(journalURL, "empty after compaction") }
        journalOffset = 0
        journalLines = 0
    }

    private func readIfPresent(_ url: URL) throws(StoreError) -> Data? {
        do {
            return try Data(contentsOf: url)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            throw .io(file: url.path, operation: "read", reason: "\(error.localizedDescription)")
        }
    }
}

private func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: off_t) -> Bool {
    var done = 0
    while done < buffer.count {
        let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, offset + off_t(done))
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        done += n
    }
    return true
}

/// Which file a path names now, to notice that another process replaced it.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modified: timespec

    init?(of url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modified = info.st_mtim
    }

    static func == (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode && lhs.size == rhs.size
            && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
    }
}

/// Replaces a file whole: a temporary file beside it, synced, renamed over it, the directory synced.
enum AtomicFile {
    static func write(_ data: Data, to url: URL, mode: mode_t) throws(StoreError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.io(temporary, "create") }
        fchmod(fd, mode)
        let ok = data.withUnsafeBytes { writeAll(fd, $0, at: 0) } && fsync(fd) == 0
        close(fd)
        guard ok else {
            let error = StoreError.io(temporary, "write")
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = StoreError.io(url, "replace")
            unlink(temporary.path)
            throw error
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
