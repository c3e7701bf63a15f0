import Foundation
import JournaledFiles

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
/// The journal's lines number consecutively. Lines at or below the snapshot's sequence are
/// skipped only as that crash leaves them: a run that ends at the snapshot's sequence exactly.
/// Anything else (a gap, a reorder, a snapshot claiming more than the journal holds) is damage.
///
/// A line is acknowledged only once it is completely written, and a writer holds the store's
/// exclusive lock while it writes. Every reader holds at least the shared lock, so what it sees
/// after the last newline is not being written: when it decodes whole with the next sequence
/// number it is a complete change whose newline was lost (applied; the next commit writes the
/// newline first), and when it is the beginning of an entry it is the torn write of a process
/// that died (ignored, and cut off before the next append). A reader holding no lock could not
/// tell a complete line from one being written and would have to treat it as not yet written;
/// relink has no such reader.
///
/// Not thread-safe: `Store` serialises access and holds the file lock around every call.
final class JournaledFile<State: JournaledState> {
    struct Entry: Codable {
        var seq: UInt64
        var changes: [State.Change]
    }

    /// The highest sequence number a file may hold: past 2^53 other JSON readers lose
    /// precision, and long before it a number means damage rather than commits.
    static var maximumSequence: UInt64 { 1 << 53 }

    let snapshotURL: URL
    let journalURL: URL
    let mode: mode_t
    let durable: Bool
    private(set) var state = State()
    private(set) var sequence: UInt64 = 0

    private var snapshotIdentity: FileIdentity?
    /// The snapshot file held open, when records are read from it on first use.
    private var snapshotSource: SnapshotBytes?
    private var snapshotBytes = 0
    private var snapshotSequence: UInt64 = 0
    /// Bytes of the journal applied so far: at the end of a complete line, or of a last line
    /// whose newline is missing (`missingNewline`).
    private var journalOffset = 0
    /// Lines of the journal read so far, to name a damaged line by its number.
    private var journalLines = 0
    /// The sequence of the journal's last line read, applied or skipped.
    private var lastLineSequence: UInt64?
    /// The last line read was applied without its newline; the next append writes it first.
    private var missingNewline = false
    /// Changes of lines skipped as already in the snapshot, checked against it before the
    /// first line past it is applied.
    private var skipped: [State.Change] = []
    /// A compaction found a damaged record in the snapshot; not tried again until a reload.
    private var compactionRefused = false
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
        snapshotSequence = 0
        // Both are checked before either is read: a link or device in place of the journal is
        // refused even when the snapshot is damaged too.
        try StoreFile.requireRegularOrAbsent(snapshotURL)
        try StoreFile.requireRegularOrAbsent(journalURL)
        var deferredProblem: String?
        snapshotSource = nil
        if let read = try State.readSnapshot(at: snapshotURL) {
            (state, sequence, deferredProblem) = (read.state, read.sequence, read.deferredProblem)
            snapshotSource = read.source
            guard sequence <= Self.maximumSequence else {
                throw .damaged(
                    file: snapshotURL.path,
                    problem: "\"sequence\" is \(sequence), out of range (at most \(Self.maximumSequence))")
            }
            snapshotBytes = read.byteCount
            snapshotSequence = sequence
            snapshotIdentity = FileIdentity(of: snapshotURL)
        }
        journalOffset = 0
        journalLines = 0
        lastLineSequence = nil
        missingNewline = false
        skipped = []
        compactionRefused = false
        try readJournalTail()
        if let deferredProblem { throw .damaged(file: snapshotURL.path, problem: deferredProblem) }
    }

    /// Applies what other processes committed since the last read; a new snapshot (another
    /// process compacted) means reading everything anew.
    func catchUp() throws(StoreError) {
        // A program that rewrote the snapshot in place (not relink, which renames a new one over
        // it) changed the records not read yet: read it anew, which checks it whole.
        if snapshotSource?.changedInPlace == true { return try load() }
        guard FileIdentity(of: snapshotURL) == snapshotIdentity else { return try load() }
        guard let journal = FileIdentity(of: journalURL) else {
            if journalOffset > 0 { try load() }
            return
        }
        if !journal.isRegular || journal.size < journalOffset { return try load() }
        if journal.size > journalOffset { try readJournalTail() }
    }

    private func readJournalTail() throws(StoreError) {
        guard var data = try StoreFile.read(journalURL, from: journalOffset) else { return }
        if missingNewline, !data.isEmpty {
            // The newline a commit writes before its own line, after a line that had lost it.
            guard data.first == UInt8(ascii: "\n") else { return try load() }
            data = data.dropFirst()
            journalOffset += 1
            missingNewline = false
        }
        var lineStart = data.startIndex
        while let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = data[lineStart..<newline]
            journalLines += 1
            if let entry = try decodeLine(line) {
                try applyEntry(entry)
                try checkLineChecksum(line)
            }
            journalOffset += line.count + 1
            lineStart = data.index(after: newline)
        }
        let tail = data[lineStart...]
        if !tail.isEmpty { try readLastLineWithoutNewline(tail) }
        try checkJournalReachesSnapshot()
    }

    /// What follows the journal's last newline (see the type's comment).
    private func readLastLineWithoutNewline(_ tail: Data) throws(StoreError) {
        if let entry = try? decoder.decode(Entry.self, from: tail) {
            journalLines += 1
            try applyEntry(entry)
            try checkLineChecksum(tail)
            journalOffset += tail.count
            missingNewline = true
            return
        }
        // A torn write is a beginning of what the encoder writes: `{"changes":[…` (sorted keys).
        let opening = Data(#"{"changes":["#.utf8)
        let isBeginning = tail.count <= opening.count ? opening.starts(with: tail) : tail.starts(with: opening)
        let endsAnEntry =
            tail.lastIndex(of: UInt8(ascii: "}")).map { close in
                (try? decoder.decode(Entry.self, from: tail[...close])) != nil
            } ?? false
        guard isBeginning, !endsAnEntry else {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines + 1), the last, "
                    + (endsAnEntry ? "is a journal entry followed by stray bytes" : "is not a journal entry"))
        }
    }

    private func decodeLine(_ line: Data) throws(StoreError) -> Entry? {
        if line.isEmpty { return nil }
        do {
            return try decoder.decode(Entry.self, from: line)
        } catch {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines) is a damaged journal entry (\(StoreError.describe(error, data: line)))")
        }
    }

    /// A line relink wrote ends with its CRC-32C: `…,"seq":7,"crc32c":"5e1f0a9c"}`, of the line
    /// without that field. Checked after the line's sequence and content, so that damage those
    /// name is named as such. A line that names `crc32c` anywhere is checked wherever the field
    /// stands, and a key repeated in one of its objects is damage (`JournalLineChecksum.verdict`);
    /// only a line without any `crc32c` (written by hand, or by an older relink) is accepted on its
    /// decode and checks alone.
    private func checkLineChecksum(_ line: Data) throws(StoreError) {
        switch JournalLineChecksum.verdict(line) {
        case .none, .matches:
            return
        case .mismatch(let recorded, let computed):
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines): its checksum (\(JournalLineChecksum.format(recorded))) does not match its "
                    + "content (\(JournalLineChecksum.format(computed))): the line was damaged or changed outside relink. If "
                    + "you edited it on purpose, delete its \"crc32c\" field")
        case .malformed(let problem):
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines): \(problem): the line was damaged or changed outside relink")
        }
    }

    private func applyEntry(_ entry: Entry) throws(StoreError) {
        guard entry.seq >= 1, entry.seq <= Self.maximumSequence else {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines) has sequence \(entry.seq), out of range (1 to \(Self.maximumSequence))")
        }
        if let previous = lastLineSequence, entry.seq != previous + 1 {
            throw .damaged(
                file: journalURL.path,
                problem: "line \(journalLines) has sequence \(entry.seq) where \(previous + 1) was expected "
                    + (entry.seq > previous + 1 ? "(lines are missing)" : "(lines are repeated or out of order)"))
        }
        if lastLineSequence == nil, entry.seq > sequence + 1 {
            if snapshotIdentity == nil {
                throw .missing(
                    file: snapshotURL.path,
                    problem: "but \(journalURL.lastPathComponent) continues from sequence \(entry.seq), so changes "
                        + "1 to \(entry.seq - 1) were folded into it")
            }
            throw .damaged(
                file: journalURL.path,
                problem:
                    "line \(journalLines) has sequence \(entry.seq) where \(sequence + 1) was expected (lines are missing)"
            )
        }
        lastLineSequence = entry.seq
        if entry.seq <= sequence {  // already in the snapshot: a crash came before the journal was emptied
            skipped += entry.changes
            return
        }
        try checkSkippedAreInSnapshot()
        for change in entry.changes { state.apply(change) }
        if let problem = state.damage(after: entry.changes) {
            throw .damaged(file: journalURL.path, problem: "line \(journalLines): \(problem)")
        }
        sequence = entry.seq
    }

    /// Lines skipped as already in the snapshot must reach its sequence: a snapshot that claims
    /// more than its journal holds has had its sequence raised, and would hide the journal.
    private func checkSkippedAreInSnapshot() throws(StoreError) {
        guard !skipped.isEmpty else { return }
        defer { skipped = [] }
        guard state.holds(skipped) else {
            throw .damaged(
                file: snapshotURL.path,
                problem:
                    "its \"sequence\" is \(snapshotSequence), but it lacks changes that \(journalURL.lastPathComponent)'s "
                    + "lines up to that sequence make: the journal's changes would be skipped (was the sequence edited?)"
            )
        }
    }

    private func checkJournalReachesSnapshot() throws(StoreError) {
        guard let last = lastLineSequence, last < snapshotSequence else { return try checkSkippedAreInSnapshot() }
        throw .damaged(
            file: snapshotURL.path,
            problem: "its \"sequence\" is \(snapshotSequence), but \(journalURL.lastPathComponent) ends at "
                + "sequence \(last): the snapshot claims changes it was never given, and the journal's would be "
                + "skipped (was the sequence edited?)")
    }

    // MARK: Writing (the caller holds the exclusive lock and has caught up)

    /// Appends one entry and applies it. What is applied in memory is what was written, read
    /// back, so the state in memory never differs from what a reopen would see.
    func append(_ changes: [State.Change]) throws(StoreError) {
        guard !changes.isEmpty else { return }
        guard sequence < Self.maximumSequence else {
            throw .damaged(file: snapshotURL.path, problem: "the sequence \(sequence) cannot grow further")
        }
        let entry = Entry(seq: sequence + 1, changes: changes)
        var line: Data
        let written: Entry
        do {
            line = try lineEncoder.encode(entry)
            written = try decoder.decode(Entry.self, from: line)
        } catch {
            throw .io(file: journalURL.path, operation: "encode a change", reason: "\(error)")
        }
        JournalLineChecksum.seal(&line)
        line.append(UInt8(ascii: "\n"))
        if missingNewline { line.insert(UInt8(ascii: "\n"), at: line.startIndex) }

        guard let fd = try StoreFile.openRegular(journalURL, O_WRONLY | O_CREAT, mode: mode) else {
            throw StoreError.io(journalURL, "open", errno: ENOENT)
        }
        defer { close(fd) }
        fchmod(fd, mode)
        // Cut a torn tail left by a writer that died, then write at the end of the last good line.
        guard FileSystemCalls.retryingInterrupts({ FileSystemCalls.ftruncate(fd, off_t(journalOffset)) }) == 0 else {
            throw StoreError.io(journalURL, "truncate a torn tail")
        }
        let ok = line.withUnsafeBytes { buffer in
            writeAll(fd, buffer, at: off_t(journalOffset))
                && (!durable || FileSystemCalls.retryingInterrupts { FileSystemCalls.fdatasync(fd) } == 0)
        }
        guard ok else {
            let error = StoreError.io(journalURL, "append")
            // What was written is not acknowledged: cut it, so a reopen cannot apply it either.
            _ = FileSystemCalls.retryingInterrupts { FileSystemCalls.ftruncate(fd, off_t(journalOffset)) }
            throw error
        }
        for change in written.changes { state.apply(change) }
        sequence = written.seq
        lastLineSequence = written.seq
        journalOffset += line.count
        journalLines += 1
        missingNewline = false
    }

    /// Where the journal stands, for `rollBack(to:)`.
    struct Mark {
        fileprivate var state: State
        fileprivate var sequence: UInt64
        fileprivate var journalOffset: Int
        fileprivate var journalLines: Int
        fileprivate var lastLineSequence: UInt64?
        fileprivate var missingNewline: Bool
    }

    var mark: Mark {
        Mark(
            state: state, sequence: sequence, journalOffset: journalOffset, journalLines: journalLines,
            lastLineSequence: lastLineSequence, missingNewline: missingNewline)
    }

    /// Takes back what was appended since `mark`, when a change that spans both journals failed
    /// in the other one: an I/O error then leaves the store exactly as it was. Should the cut
    /// itself fail, the lines stay and the next `catchUp` reads them, as a crash would leave them.
    func rollBack(to mark: Mark) {
        guard journalOffset != mark.journalOffset || sequence != mark.sequence else { return }
        if let fd = try? StoreFile.openRegular(journalURL, O_WRONLY, mode: mode) {
            _ =
                FileSystemCalls.retryingInterrupts({ FileSystemCalls.ftruncate(fd, off_t(mark.journalOffset)) }) == 0
                && FileSystemCalls.retryingInterrupts({ FileSystemCalls.fdatasync(fd) }) == 0
            close(fd)
        }
        state = mark.state
        sequence = mark.sequence
        journalOffset = mark.journalOffset
        journalLines = mark.journalLines
        lastLineSequence = mark.lastLineSequence
        missingNewline = mark.missingNewline
    }

    /// Whether the journal has grown past the threshold at which `compactIfNeeded` folds it.
    var compactionDue: Bool { !compactionRefused && journalOffset >= max(compactionFloor, snapshotBytes / 4) }

    /// Folds the journal into a new snapshot when it has grown past the threshold.
    ///
    /// A snapshot holding a damaged record is not rewritten (the damage would be copied into a
    /// file that looks sound): the journal keeps growing instead, and `compact()` names the
    /// damage. The commit that got here is durable either way, so it does not fail for it.
    func compactIfNeeded() throws(StoreError) {
        guard compactionDue else { return }
        do {
            try writeSnapshot()
        } catch StoreError.damaged(let file, _) where file == snapshotURL.path {
            compactionRefused = true
        }
    }

    /// Writes the whole state as a new snapshot, then empties the journal.
    func writeSnapshot() throws(StoreError) {
        let data: Data
        do {
            try state.validateBeforeSnapshot()
            data = try state.snapshotData(sequence: sequence)
        } catch let error as SnapshotContentError {
            throw .damaged(file: snapshotURL.path, problem: error.problem)
        } catch {
            throw .io(file: snapshotURL.path, operation: "encode the snapshot", reason: "\(error)")
        }
        try StoreFile.requireRegularOrAbsent(journalURL)
        try AtomicFile.write(data, to: snapshotURL, mode: mode)
        snapshotIdentity = FileIdentity(of: snapshotURL)
        snapshotBytes = data.count
        snapshotSequence = sequence
        guard let fd = try StoreFile.openRegular(journalURL, O_WRONLY | O_CREAT, mode: mode) else {
            throw StoreError.io(journalURL, "open", errno: ENOENT)
        }
        defer { close(fd) }
        guard FileSystemCalls.retryingInterrupts({ FileSystemCalls.ftruncate(fd, 0) }) == 0,
            FileSystemCalls.retryingInterrupts({ FileSystemCalls.fsync(fd) }) == 0
        else { throw StoreError.io(journalURL, "empty after compaction") }
        journalOffset = 0
        journalLines = 0
        lastLineSequence = nil
        missingNewline = false
    }
}
