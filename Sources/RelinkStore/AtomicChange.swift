import Foundation
import JournaledFiles
import RelinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Several of the store's files replaced or removed as one change: after a crash at any instant
/// the store holds all of the old files or all of the new ones, and every file the change
/// replaces or removes is kept in `backups/` before anything is touched.
///
/// ```
/// var change = AtomicChange(directory: store, label: "v1")
/// change.write(stateData, to: "state.json", mode: 0o644)
/// change.write(secretData, to: "secrets.json", mode: 0o600)
/// change.remove("journal.jsonl")
/// let backups = try change.commit()
/// ```
///
/// `commit` copies each existing target to `backups/NAME.LABEL.TIME.EXT` (mode 0600: targets may
/// hold secrets), writes each new content to `.NAME.change` beside its target, syncs them, then
/// writes the record `.change.json` naming every file: that write decides the change. It then
/// renames the temporaries over their targets, removes what is to be removed, and deletes the
/// record. `recover` (run when a store opens) completes a change whose record is there, and
/// clears temporaries of a change that died before its record was written.
///
/// The migration uses it; so will `import`. The caller holds the store's exclusive lock and
/// reloads the store's files afterwards.
struct AtomicChange {
    enum Action {
        case write(Data, mode: mode_t)
        case remove
    }

    let directory: URL
    /// Names the backups, so a person can tell what made them (`v1` for the migration).
    let label: String
    private(set) var actions: [(name: String, action: Action)] = []

    init(directory: URL, label: String) {
        self.directory = directory
        self.label = label
    }

    /// Replaces (or creates) the file `name` of the store with `data`.
    mutating func write(_ data: Data, to name: String, mode: mode_t) {
        actions.append((name, .write(data, mode: mode)))
    }

    /// Removes the file `name` of the store (absent is fine).
    mutating func remove(_ name: String) {
        actions.append((name, .remove))
    }

    /// Lands every write and removal together.
    ///
    /// - Returns: the backups made, one per existing file replaced or removed.
    /// - Throws: `StoreError.notARegularFile` when a target is not a regular file, `.io` when a
    ///   step fails. Before the record is written a failure leaves every target as it was;
    ///   after it, the next open completes the change.
    @discardableResult
    func commit() throws(StoreError) -> [URL] {
        for (name, _) in actions {
            guard Self.isPlainName(name) else {
                throw .io(
                    file: directory.appendingPathComponent(name).path, operation: "change",
                    reason: "not a file of the store")
            }
            try StoreFile.requireRegularOrAbsent(directory.appendingPathComponent(name))
        }
        try Self.finishOrClear(in: directory)

        var backups: [URL] = []
        for (name, _) in actions {
            guard let data = try StoreFile.read(directory.appendingPathComponent(name)) else { continue }
            backups.append(try backUp(data, of: name))
        }
        var record = Record(label: label, files: [])
        for (name, action) in actions {
            switch action {
            case .write(let data, let mode):
                let temporary = Self.temporaryName(of: name)
                try AtomicFile.createSynced(data, at: directory.appendingPathComponent(temporary), mode: mode)
                record.files.append(.init(name: name, temporary: temporary, bytes: data.count))
            case .remove:
                record.files.append(.init(name: name, temporary: nil, bytes: nil))
            }
        }
        let recordData: Data
        do { recordData = try StoreCoding.encoder(pretty: true).encode(record) } catch {
            throw .io(file: Self.recordURL(in: directory).path, operation: "encode", reason: "\(error)")
        }
        try AtomicFile.write(recordData, to: Self.recordURL(in: directory), mode: 0o600)
        try Self.land(record, in: directory)
        return backups
    }

    /// Completes a change whose record is there, or clears what a change that died before its
    /// record left behind. Call it only when `isPending` says so.
    ///
    /// - Throws: `StoreError.damaged` naming `.change.json` when the record cannot be read or a
    ///   file it names is not as written; the files are left as they are for inspection.
    static func recover(in directory: URL) throws(StoreError) {
        try finishOrClear(in: directory)
    }

    /// Whether a change was interrupted (its record, or temporaries, are there): one `lstat`
    /// and a listing of the store's directory, which holds a handful of names.
    static func isPending(in directory: URL) -> Bool {
        if StoreFile.exists(recordURL(in: directory)) { return true }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.contains { $0.hasPrefix(".") && $0.hasSuffix(".change") }
    }

    // MARK: Steps

    struct Record: Codable {
        struct File: Codable {
            var name: String
            /// The temporary that replaces the file; nil when the file is removed.
            var temporary: String?
            var bytes: Int?
        }

        var label: String
        var files: [File]
    }

    static func recordURL(in directory: URL) -> URL { directory.appendingPathComponent(".change.json") }

    private static func temporaryName(of name: String) -> String { ".\(name).change" }

    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".." && !name.hasPrefix(".")
    }

    private static func finishOrClear(in directory: URL) throws(StoreError) {
        let recordURL = recordURL(in: directory)
        if let data = try StoreFile.read(recordURL) {
            let record: Record
            do { record = try StoreCoding.decoder().decode(Record.self, from: data) } catch {
                throw .damaged(
                    file: recordURL.path,
                    problem:
                        "the record of an interrupted change cannot be read (\(StoreError.describe(error, data: data))); "
                        + "backups/ holds the files as they were before it")
            }
            try land(record, in: directory)
            return
        }
        // No record: a change died before it was decided, and its temporaries are all it left.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".change") {
            let url = directory.appendingPathComponent(name)
            if StoreFile.nonRegularKind(url) == nil { _ = FileSystemCalls.unlink(url.path) }
        }
    }

    /// Renames and removes as the record says, then deletes it. Safe to repeat after a crash.
    private static func land(_ record: Record, in directory: URL) throws(StoreError) {
        let recordURL = recordURL(in: directory)
        for file in record.files {
            guard isPlainName(file.name), file.temporary.map({ $0 == temporaryName(of: file.name) }) ?? true else {
                throw .damaged(
                    file: recordURL.path, problem: "it names \"\(file.name)\", which is not a file of the store")
            }
            let target = directory.appendingPathComponent(file.name)
            try StoreFile.requireRegularOrAbsent(target)
            guard let temporaryName = file.temporary else {
                if FileSystemCalls.unlink(target.path) != 0, errno != ENOENT { throw StoreError.io(target, "remove") }
                continue
            }
            let temporary = directory.appendingPathComponent(temporaryName)
            if let found = StoreFile.nonRegularKind(temporary) {
                throw .notARegularFile(file: temporary.path, found: found)
            }
            var info = stat()
            if lstat(temporary.path, &info) == 0 {
                guard Int(info.st_size) == file.bytes else {
                    throw .damaged(
                        file: temporary.path,
                        problem: "it holds \(info.st_size) bytes where \(file.bytes ?? 0) were written; "
                            + "backups/ holds the files as they were before the change")
                }
                guard FileSystemCalls.rename(temporary.path, target.path) == 0 else { throw StoreError.io(target, "replace") }
            } else {
                // Renamed already by the run that died; its target must be what was written.
                guard lstat(target.path, &info) == 0, Int(info.st_size) == file.bytes else {
                    throw .damaged(
                        file: recordURL.path,
                        problem: "\(file.name) is not what the interrupted change wrote; backups/ holds the files "
                            + "as they were before it")
                }
            }
        }
        try AtomicFile.syncDirectory(directory)
        guard FileSystemCalls.unlink(recordURL.path) == 0 || errno == ENOENT else {
            throw StoreError.io(recordURL, "remove")
        }
        try AtomicFile.syncDirectory(directory)
    }

    private func backUp(_ data: Data, of name: String) throws(StoreError) -> URL {
        let backups = directory.appendingPathComponent("backups")
        var info = stat()
        if lstat(backups.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw .notARegularFile(file: backups.path, found: "not a directory (backups/ must be one)")
            }
        } else if FileSystemCalls.mkdir(backups.path, 0o700) != 0, errno != EEXIST {
            throw StoreError.io(backups, "create")
        }
        let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
        let dot = name.lastIndex(of: ".")
        let stem = dot.map { String(name[..<$0]) } ?? name
        let ext = dot.map { String(name[$0...]) } ?? ""
        var attempt = 0
        while true {
            let suffix = attempt == 0 ? "" : "-\(attempt)"
            let url = backups.appendingPathComponent("\(stem).\(label).\(stamp)\(suffix)\(ext)")
            if !StoreFile.exists(url) {
                try AtomicFile.write(data, to: url, mode: 0o600)
                return url
            }
            attempt += 1
        }
    }
}
