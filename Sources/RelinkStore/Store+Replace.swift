import Foundation
import JournaledFiles
import RelinkCore

/// relink's records and secrets as plain values, in the order they are applied: what a support
/// bundle's import rebuilds before it replaces the store's files with it.
public struct StoreContents: Sendable {
    public var projects: [Project] = []
    public var connections: [Connection] = []
    public var events: [ConnectionEvent] = []
    public var tokens: [(id: String, token: String)] = []
    public var mockPasswords: [(email: String, password: String)] = []
    public var oauthClient: OAuthClientCredentials?

    public init() {}
}

extension Store {
    /// Replaces relink's records and secrets with `contents`, writes `companions` (files of the
    /// store kept by another module, such as the mock's world) and removes `removing`, landing
    /// whole or not at all (`AtomicChange`; the replaced files are kept in `backups/`).
    ///
    /// - Parameter check: runs under the store's lock with the number of projects the store holds
    ///   before anything is written; what it throws stops the replacement.
    /// - Returns: the number of projects the store held before.
    /// - Throws: what `check` throws, or `StoreError` when the files cannot be written (the store
    ///   is then as it was).
    package func replaceAll(
        with contents: StoreContents, companions: [(name: String, data: Data, mode: mode_t)], removing: [String],
        label: String, check: (Int) throws -> Void
    ) throws -> Int {
        var state = StoreState()
        var secrets = SecretState()
        for project in contents.projects { state.apply(.putProject(project: project)) }
        for connection in contents.connections { state.apply(.putConnection(connection: connection)) }
        for event in contents.events { state.apply(.recordEvent(event: event)) }
        for (id, token) in contents.tokens { secrets.apply(.putToken(id: id, token: token)) }
        for (email, password) in contents.mockPasswords {
            secrets.apply(.putMockPassword(email: email, password: password))
        }
        if let client = contents.oauthClient { secrets.apply(.setOAuthClient(client: client)) }
        let stateData = try state.snapshotData(sequence: 0)
        let secretData = try secrets.snapshotData(sequence: 0)
        return try withFileLock(exclusive: true) {
            try secretFile.catchUp()
            try publicFile.catchUp()
            let existing = publicFile.state.projects.count
            try check(existing)
            var change = AtomicChange(directory: directory, label: label)
            change.write(secretData, to: secretFile.snapshotURL.lastPathComponent, mode: secretFile.mode)
            change.write(stateData, to: publicFile.snapshotURL.lastPathComponent, mode: publicFile.mode)
            for companion in companions { change.write(companion.data, to: companion.name, mode: companion.mode) }
            change.remove(secretFile.journalURL.lastPathComponent)
            change.remove(publicFile.journalURL.lastPathComponent)
            for name in removing { change.remove(name) }
            try change.commit()
            try secretFile.load()
            try publicFile.load()
            return existing
        }
    }

    /// The records' keys are unique and every connection has its project; `place` names a
    /// record (`projects[3]`) in the problem.
    ///
    /// - Throws: the problem, naming the record.
    package static func checkRecords(
        _ projects: [Project], _ connections: [Connection], place: (_ section: String, _ index: Int) -> String
    ) throws(SnapshotContentError) {
        _ = try StoreState.checkRecords(projects, connections, place: place)
    }
}
