import Foundation
@_exported import JournaledFiles
import RelinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// relink's store: one directory of readable JSON that it owns.
///
/// ```
/// state.json       projects, connections, events (snapshot)      shareable
/// journal.jsonl    changes since the snapshot, one per line       shareable
/// secrets.json     tokens, the OAuth client (snapshot)            mode 0600
/// secrets.jsonl    changes to the secrets                         mode 0600
/// world.json       the mock Intercom's world (no plaintext secrets; IntercomMockStore)
/// settings.json    real-API settings of `config` (no secrets)      shareable
/// world-baseline.json  the world `mock reset` returns to (fixture copy, import; IntercomMockStore)
/// mock-faults.json, mock-journal.jsonl, .mock.lock  the mock's faults and journal (IntercomMockStore)
/// history          the REPL's history                             mode 0600
/// .lock            the lock every relink process takes on this store
/// .delivery.lock   held while a process delivers outboxes (Store+Delivery.swift)
/// backups/         files as they were before a migration (or another `AtomicChange`)
/// ```
///
/// Each of these is a regular file: a symbolic link, device, pipe or directory in its place is
/// refused (`StoreError.notARegularFile`), never followed. `StoreFile` opens them that way.
///
/// Reads come from memory; `refresh()` brings in what other processes committed. `update` takes
/// the store's lock, catches up with other processes, runs the change and appends it durably
/// before returning: a change reported as done survives `kill -9` at any instant, and two
/// processes never lose each other's changes.
public final class Store: @unchecked Sendable {
    // @unchecked: every mutable member is reached only while holding `lock` (in-process) and, for
    // the files, the `.lock` file lock (across processes).
    public let directory: URL
    package let lock = NSLock()
    private let fileLock: FileLock
    let publicFile: JournaledFile<StoreState>
    let secretFile: JournaledFile<SecretState>

    public struct Options: Sendable {
        /// `fdatasync` every commit, so a change also survives the machine crashing, not only
        /// the process. On by default; the cost is measured in BENCHMARKS.md.
        public var durable: Bool

        /// The journal size past which a commit folds it into a new snapshot; nil for the default.
        /// Tests make it small to exercise compaction under concurrent writers.
        public var compactionThreshold: Int?

        public init(durable: Bool = true, compactionThreshold: Int? = nil) {
            self.durable = durable
            self.compactionThreshold = compactionThreshold
        }
    }

    var historyURL: URL { directory.appendingPathComponent("history") }
    public var stateFile: URL { publicFile.snapshotURL }
    /// The shareable state as read (for tests: what is decoded yet); the caller holds `lock`.
    var publicFileState: StoreState { publicFile.state }
    /// The secrets as read (for tests: whether they are decoded yet); the caller holds `lock`.
    var secretFileState: SecretState { secretFile.state }

    /// Opens the store in `directory`, creating it when absent and migrating older files forward.
    ///
    /// - Throws: `StoreError.damaged` or `.newerSchema` naming the file, which is left untouched.
    public init(directory: URL, options: Options = Options()) throws {
        self.directory = directory.standardizedFileURL
        let path = self.directory.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.io(file: path, operation: "open as a store", reason: "it is a file, not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    at: self.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.io(
                    file: path, operation: "create the store directory", reason: error.localizedDescription)
            }
        }
        fileLock = try FileLock(url: self.directory.appendingPathComponent(".lock"))
        publicFile = JournaledFile(
            snapshotURL: self.directory.appendingPathComponent("state.json"),
            journalURL: self.directory.appendingPathComponent("journal.jsonl"), mode: 0o644,
            durable: options.durable, compactionFloor: options.compactionThreshold)
        secretFile = JournaledFile(
            snapshotURL: self.directory.appendingPathComponent("secrets.json"),
            journalURL: self.directory.appendingPathComponent("secrets.jsonl"), mode: 0o600,
            durable: options.durable, compactionFloor: options.compactionThreshold)
        try loadMigratingIfNeeded()
    }

    private func loadMigratingIfNeeded() throws {
        if AtomicChange.isPending(in: directory) {
            try withFileLock(exclusive: true) { try AtomicChange.recover(in: directory) }
        }
        if readOnlyReason == nil, !AtomicFile.abandonedTemporaries(in: directory).isEmpty {
            // Under the lock every writer holds while it writes a temporary.
            try withFileLock(exclusive: true) {
                for url in AtomicFile.abandonedTemporaries(in: directory) { _ = FileSystemCalls.unlink(url.path) }
            }
        }
        do {
            try withFileLock(exclusive: false) {
                try secretFile.load()
                try publicFile.load()
            }
        } catch StoreError.olderSchema(let file, let found) {
            try withFileLock(exclusive: true) {
                try Migration.migrate(
                    directory: directory, olderFile: file, from: found, public: publicFile, secrets: secretFile)
            }
            try withFileLock(exclusive: false) {
                try secretFile.load()
                try publicFile.load()
            }
        }
    }

    // MARK: Reading

    /// Brings in what other relink processes committed since the last read.
    public func refresh() throws {
        try withFileLock(exclusive: false) {
            try secretFile.catchUp()
            try publicFile.catchUp()
        }
    }

    // Every read below decodes records on first use. The snapshot's checksum vouched for their
    // bytes at the open, but a program may rewrite the file in place after it (or write a
    // checksum by hand over a record that does not read): such a record is damage, a
    // `StoreError` naming the file and line, never a stop of the process.

    /// Every project, sorted by key (those not decoded yet are decoded on every core).
    ///
    /// - Throws: `StoreError.damaged` naming the file and line of a record that cannot be read.
    public var projects: [Project] {
        get throws(StoreError) {
            try lock.withLock { publicFile.state.projects }.all().values.sorted { $0.key < $1.key }
        }
    }

    /// Every connection record there is, by project (those not decoded yet are decoded on every
    /// core): for the commands that show or check them all. A project never connected has none.
    ///
    /// - Throws: `StoreError.damaged` naming the file and line of a record that cannot be read.
    public var connections: [ProjectKey: Connection] {
        get throws(StoreError) { try lock.withLock { publicFile.state.connections }.all() }
    }

    public var projectKeys: [ProjectKey] {
        lock.withLock { publicFile.state.projects.keys }.sorted()
    }

    /// Decodes every record of the store, to find damage a checksum cannot (a record written by
    /// hand that does not read), then runs `companions` (IntercomMockStore reads the mock's world
    /// and faults there): `relink verify`.
    ///
    /// - Throws: `StoreError.damaged` naming the file and line of the first record that cannot
    ///   be read, or what `companions` throws.
    public func verify(companions: () throws -> Void = {}) throws -> StoreVerification {
        try refresh()
        let state = lock.withLock { publicFile.state }
        try state.verifyRecords(snapshot: publicFile.snapshotURL)
        let secrets = try lock.withLock { secretFile.state }.decoded()
        try companions()
        let (findings, unreferenced) = integrityFindings(
            projects: try projects, connections: try connections, events: try events(),
            tokenIDs: Set(secrets.tokens.keys))
        return StoreVerification(
            projects: state.projects.count, connections: state.connections.count, events: state.events.count,
            tokens: secrets.tokens.count, findings: findings, unreferencedTokens: unreferenced)
    }

    public var projectCount: Int { lock.withLock { publicFile.state.projects.count } }

    /// The project, read from the snapshot on first use.
    ///
    /// - Throws: `StoreError.damaged` naming the file and the line.
    public func project(_ key: ProjectKey) throws(StoreError) -> Project? {
        let table = lock.withLock { publicFile.state.projects }
        return try table.value(forKey: key)
    }

    /// The project's connection record; a project never connected has a "not connected" one.
    ///
    /// - Throws: `StoreError.damaged` naming the file and the line.
    public func connection(for key: ProjectKey) throws(StoreError) -> Connection {
        let table = lock.withLock { publicFile.state.connections }
        return try table.value(forKey: key) ?? Connection(projectKey: key)
    }

    /// Recorded transitions, oldest first: of one project, or of all; the last `limit` of them.
    ///
    /// - Throws: `StoreError.damaged` when a recorded event cannot be read.
    public func events(for key: ProjectKey? = nil, limit: Int? = nil) throws -> [ConnectionEvent] {
        let log = lock.withLock { publicFile.state.events }
        let all: [ConnectionEvent]
        do { all = try log.all() } catch let error as StoreError { throw error } catch {
            throw StoreError.damaged(
                file: publicFile.snapshotURL.path, problem: StoreError.describe(error, data: Data()))
        }
        let matching = key.map { key in all.filter { $0.project == key } } ?? all
        return limit.map { Array(matching.suffix($0)) } ?? matching
    }

    /// The last recorded event of `kind` for `key`, found without decoding the rest of the history.
    ///
    /// - Throws: `StoreError.damaged` when an event of that kind cannot be read.
    public func lastEvent(_ kind: ConnectionEvent.Kind, for key: ProjectKey) throws -> ConnectionEvent? {
        let log = lock.withLock { publicFile.state.events }
        do { return try log.last(kind, of: key) } catch let error as StoreError { throw error } catch {
            throw StoreError.damaged(
                file: publicFile.snapshotURL.path, problem: StoreError.describe(error, data: Data()))
        }
    }

    public var eventCount: Int { lock.withLock { publicFile.state.events.count } }

    // The secrets file is decoded on first use too (see `SecretState`): the reads of secrets
    // throw `StoreError.damaged` naming `secrets.json` when it does not read.

    /// The token an authorization names. Never print it.
    ///
    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public func token(id: String) throws(StoreError) -> String? {
        try lock.withLock { secretFile.state }.tokens[id]
    }

    /// Every secret the store holds, for redacting exports and proving that they are redacted.
    ///
    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public var allSecrets: [String] {
        get throws(StoreError) {
            let secrets = try lock.withLock { secretFile.state }.decoded()
            return Array(secrets.tokens.values) + Array(secrets.mockPasswords.values)
                + (secrets.oauthClient.map { [$0.clientSecret] } ?? []) + (secrets.clientSecret.map { [$0] } ?? [])
        }
    }

    /// The password the store remembers for a mock teammate (fake; never one of the real API).
    ///
    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public func mockPassword(for email: String) throws(StoreError) -> String? {
        try lock.withLock { secretFile.state }.mockPasswords[email.lowercased()]
    }

    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public var oauthClient: OAuthClientCredentials? {
        get throws(StoreError) { try lock.withLock { secretFile.state }.oauthClient }
    }

    // MARK: Writing

    /// Runs `body` on the latest state (other processes' commits included) and makes what it
    /// changed durable before returning. When `body` throws, nothing is written.
    ///
    /// A commit folds the journal into a new snapshot once the journal has grown enough. A caller
    /// that commits many changes in a row (`check --all`, a batch per 64 results) passes
    /// `deferringCompaction: true` for all but its last commit: each compaction rewrites the whole
    /// snapshot, and the run's own journal is bounded by the run.
    ///
    /// - Throws: what `body` throws, or `StoreError` when the change cannot be written.
    @discardableResult
    public func update<T>(deferringCompaction: Bool = false, _ body: (inout StoreTransaction) throws -> T) throws -> T {
        try withFileLock(exclusive: true) { () throws -> T in
            try secretFile.catchUp()
            try publicFile.catchUp()
            var transaction = StoreTransaction(publicFile: publicFile, secretFile: secretFile)
            let result = try body(&transaction)
            // New secrets before the records, forgotten ones after: a crash between the appends
            // leaves an unused token (dropped by the next compaction), never a record naming a
            // token that is not there. A failed write of the records takes the new secrets back.
            let (secretsFirst, secretsAfter) = transaction.secretChangesAroundRecords
            let before = secretFile.mark
            try secretFile.append(secretsFirst)
            do { try publicFile.append(transaction.changes) } catch {
                secretFile.rollBack(to: before)
                throw error
            }
            try secretFile.append(secretsAfter)
            if !deferringCompaction {
                if secretFile.compactionDue { forgetUnreferencedTokens() }
                try secretFile.compactIfNeeded()
                try publicFile.compactIfNeeded()
            }
            return result
        }
    }

    /// Folds the journals into fresh snapshots now (the generator and `export` use it).
    public func compact() throws {
        try withFileLock(exclusive: true) {
            try secretFile.catchUp()
            try publicFile.catchUp()
            try secretFile.writeSnapshot()
            try publicFile.writeSnapshot()
        }
    }

    /// Forgets the tokens no connection names, just before a commit folds the secrets into a new
    /// snapshot (not `compact()`, which folds what is there as it is): a crash or a failed write between a commit's appends leaves such a token (by
    /// design: never a connection without its token), and `verify` reports them until then. It
    /// decodes the secrets and every connection, which a compaction's rewrite dwarfs. Best effort:
    /// a record that does not read or a failed append leaves the tokens for the next compaction.
    /// The caller holds the exclusive lock and has caught up.
    private func forgetUnreferencedTokens() {
        guard let connections = try? publicFile.state.connections.all(),
            let secrets = try? secretFile.state.decoded()
        else { return }
        let referenced = Set(connections.values.compactMap { $0.state.authorization?.tokenID })
        let unused = secrets.tokens.keys.filter { !referenced.contains($0) }.sorted()
        guard !unused.isEmpty else { return }
        try? secretFile.append(unused.map { .forgetToken(id: $0) })
    }

    /// Why this store refuses changes (the user cannot write its directory), or nil.
    public var readOnlyReason: String? { fileLock.readOnlyReason }

    /// Every change takes the exclusive lock: on a read-only store it is refused here, before
    /// anything is written.
    package func withFileLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        if exclusive, let reason = fileLock.readOnlyReason {
            throw StoreError.readOnly(directory: directory.path, reason: reason)
        }
        lock.lock()
        defer { lock.unlock() }
        return try fileLock.withLock(exclusive: exclusive, body)
    }
}

/// What `Store.verify()` read, every record of it decoded.
public struct StoreVerification: Sendable, Equatable {
    public var projects: Int
    public var connections: Int
    public var events: Int
    public var tokens: Int
    /// References between the files that do not hold (`IntegrityFinding`): `verify` fails on any.
    public var findings: [IntegrityFinding] = []
    /// Tokens no connection refers to: reported, not damage.
    public var unreferencedTokens: Int = 0
}

/// The changes of one `Store.update`, and reads that see them.
public struct StoreTransaction {
    private let publicFile: JournaledFile<StoreState>
    let secretFile: JournaledFile<SecretState>
    private var projectOverlay: [ProjectKey: Project?] = [:]
    private var connectionOverlay: [ProjectKey: Connection] = [:]
    private var tokenOverlay: [String: String?] = [:]
    private(set) var changes: [StoreState.Change] = []
    private(set) var secretChanges: [SecretState.Change] = []

    init(publicFile: JournaledFile<StoreState>, secretFile: JournaledFile<SecretState>) {
        self.publicFile = publicFile
        self.secretFile = secretFile
    }

    /// - Throws: `StoreError.damaged` naming the file and the line.
    public func project(_ key: ProjectKey) throws(StoreError) -> Project? {
        if let overlaid = projectOverlay[key] { return overlaid }
        return try publicFile.state.projects.value(forKey: key)
    }

    /// - Throws: `StoreError.damaged` naming the file and the line.
    public func connection(for key: ProjectKey) throws(StoreError) -> Connection {
        if let overlaid = connectionOverlay[key] { return overlaid }
        return try publicFile.state.connections.value(forKey: key) ?? Connection(projectKey: key)
    }

    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public func token(id: String) throws(StoreError) -> String? {
        if let overlaid = tokenOverlay[id] { return overlaid }
        return try secretFile.state.tokens[id]
    }

    public var projectKeys: [ProjectKey] {
        var keys = Set(publicFile.state.projects.keys)
        for (key, project) in projectOverlay {
            if project == nil { keys.remove(key) } else { keys.insert(key) }
        }
        return keys.sorted()
    }

    public mutating func put(_ project: Project) {
        projectOverlay[project.key] = project
        changes.append(.putProject(project: project))
    }

    public mutating func deleteProject(_ key: ProjectKey) {
        projectOverlay[key] = .some(nil)
        connectionOverlay[key] = Connection(projectKey: key)
        changes.append(.deleteProject(key: key))
    }

    public mutating func put(_ connection: Connection) {
        connectionOverlay[connection.projectKey] = connection
        changes.append(.putConnection(connection: connection))
    }

    public mutating func record(_ event: ConnectionEvent) {
        changes.append(.recordEvent(event: event))
    }

    public mutating func storeToken(_ token: String, id: String) {
        tokenOverlay[id] = token
        secretChanges.append(.putToken(id: id, token: token))
    }

    public mutating func forgetToken(id: String) {
        tokenOverlay[id] = .some(nil)
        secretChanges.append(.forgetToken(id: id))
    }

    public mutating func rememberMockPassword(_ password: String, for email: String) {
        secretChanges.append(.putMockPassword(email: email, password: password))
    }

    public mutating func setOAuthClient(_ client: OAuthClientCredentials?) {
        secretChanges.append(.setOAuthClient(client: client))
    }

    /// The secret changes split around the records' append: tokens forgotten (and not put again
    /// by this change) go after it, everything else before it, each part in its order.
    var secretChangesAroundRecords: (before: [SecretState.Change], after: [SecretState.Change]) {
        var putAgain: Set<String> = []
        for change in secretChanges { if case .putToken(let id, _) = change { putAgain.insert(id) } }
        var before: [SecretState.Change] = []
        var after: [SecretState.Change] = []
        for change in secretChanges {
            if case .forgetToken(let id) = change, !putAgain.contains(id) { after.append(change) } else { before.append(change) }
        }
        return (before, after)
    }

    /// Keeps the OAuth app's client secret (`config set client-secret`); `nil` forgets it.
    public mutating func setClientSecret(_ secret: String?) {
        secretChanges.append(.setClientSecret(secret: secret))
    }
}
