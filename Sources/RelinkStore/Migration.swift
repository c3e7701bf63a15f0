import Foundation
import JournaledFiles
import RelinkCore

/// Moves a store written by an older relink forward, keeping the old files in `backups/`.
///
/// Schema 1 kept everything in one `state.json` that was rewritten whole on every change, with
/// each project's connection (and its token) inside the project and the Jira site under `site`.
/// Schema 2 splits connections out, keeps tokens in the 0600 secrets files and journals changes.
enum Migration {
    /// Migrates the store after `olderFile` was found with schema `version`.
    ///
    /// Only a store that really is schema 1 is touched: `state.json` alone (schema 1 had no other
    /// file), in schema 1's shape. Anything else is a current file whose version was edited or
    /// damaged, and is refused before anything is written.
    ///
    /// - Throws: `StoreError.damaged` naming the file whose version or content is wrong.
    static func migrate(
        directory: URL, olderFile: String, from version: Int, public publicFile: JournaledFile<StoreState>,
        secrets secretFile: JournaledFile<SecretState>
    ) throws(StoreError) {
        let stateURL = publicFile.snapshotURL
        guard olderFile == stateURL.path else {
            throw .damaged(
                file: olderFile,
                problem: "its \"schemaVersion\" is \(version), but before schema 2 relink kept everything in state.json "
                    + "and never wrote this file, so the version was edited or damaged (relink writes "
                    + "\(Snapshot<StoreState>.currentVersion) here); set it back to \(Snapshot<StoreState>.currentVersion)")
        }
        guard version == 1 else {
            throw .damaged(file: stateURL.path, problem: "schema version \(version) is unknown to this relink")
        }
        let schema2Files = [secretFile.snapshotURL, secretFile.journalURL, publicFile.journalURL]
            .filter(StoreFile.exists).map(\.lastPathComponent)
        guard schema2Files.isEmpty else {
            throw .damaged(
                file: stateURL.path,
                problem: "its \"schemaVersion\" is 1, but the store also holds \(schema2Files.joined(separator: " and ")), "
                    + "which only schema 2 writes, so the version was edited or damaged; set it back to "
                    + "\(Snapshot<StoreState>.currentVersion)")
        }
        guard let data = try StoreFile.read(stateURL) else {
            throw .missing(file: stateURL.path, problem: "so there is nothing to migrate")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let projects = root["projects"] as? [[String: Any]]
        else {
            throw .damaged(file: stateURL.path, problem: "schema 1 file without a \"projects\" list")
        }
        let schema2Keys = ["sequence", "connections", "events"].filter { root[$0] != nil }
        guard schema2Keys.isEmpty else {
            throw .damaged(
                file: stateURL.path,
                problem: "its \"schemaVersion\" is 1, but it has \(schema2Keys.map { "\"\($0)\"" }.joined(separator: ", ")), "
                    + "which only schema 2 writes, so the version was edited or damaged; set it back to "
                    + "\(Snapshot<StoreState>.currentVersion)")
        }
        var migratedProjects: [[String: Any]] = []
        var connections: [[String: Any]] = []
        var secrets = SecretState()
        for (index, var project) in projects.enumerated() {
            guard let key = project["key"] as? String else {
                throw .damaged(file: stateURL.path, problem: "missing field \"key\" in projects[\(index)]")
            }
            if let site = project.removeValue(forKey: "site") { project["jiraSite"] = site }
            if var connection = project.removeValue(forKey: "connection") as? [String: Any] {
                connection["project"] = key
                if let token = connection.removeValue(forKey: "token") as? String,
                    var authorization = connection["authorization"] as? [String: Any]
                {
                    let tokenID = (authorization["tokenID"] as? String) ?? "migrated-\(key.lowercased())"
                    authorization["tokenID"] = tokenID
                    connection["authorization"] = authorization
                    secrets.apply(.putToken(id: tokenID, token: token))
                }
                connections.append(connection)
            }
            migratedProjects.append(project)
        }
        let migrated: [String: Any] = [
            "schemaVersion": Snapshot<StoreState>.currentVersion, "sequence": 0,
            "projects": migratedProjects, "connections": connections, "events": [],
        ]
        let state: StoreState
        do {
            let json = try JSONSerialization.data(withJSONObject: migrated)
            state = try StoreCoding.decoder().decode(Snapshot<StoreState>.self, from: json).state
        } catch {
            throw .damaged(file: stateURL.path, problem: "schema 1 content cannot be migrated (\(StoreError.describe(error, data: data)))")
        }

        let secretData: Data
        let stateData: Data
        do {
            secretData = try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: 0, state: secrets))
            stateData = try state.snapshotData(sequence: 0)
        } catch {
            throw .io(file: stateURL.path, operation: "encode the migrated store", reason: "\(error)")
        }
        // Both files land together, after state.json is kept in backups/ (mode 0600: schema 1
        // kept tokens in it).
        var change = AtomicChange(directory: directory, label: "v\(version)")
        change.write(secretData, to: secretFile.snapshotURL.lastPathComponent, mode: secretFile.mode)
        change.write(stateData, to: stateURL.lastPathComponent, mode: publicFile.mode)
        try change.commit()
    }
}
