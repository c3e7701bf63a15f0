import Foundation
import RelinkCore

/// Moves a store written by an older relink forward, keeping the old files in `backups/`.
///
/// Schema 1 kept everything in one `state.json` that was rewritten whole on every change, with
/// each project's connection (and its token) inside the project and the Jira site under `site`.
/// Schema 2 splits connections out, keeps tokens in the 0600 secrets files and journals changes.
enum Migration {
    static func migrate(
        directory: URL, from version: Int, public publicFile: JournaledFile<StoreState>,
        secrets secretFile: JournaledFile<SecretState>
    ) throws(StoreError) {
        let stateURL = publicFile.snapshotURL
        guard version == 1 else {
            throw .damaged(file: stateURL.path, problem: "schema version \(version) is unknown to this relink")
        }
        let data: Data
        do { data = try Data(contentsOf: stateURL) } catch {
            throw .io(file: stateURL.path, operation: "read", reason: error.localizedDescription)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let projects = root["projects"] as? [[String: Any]]
        else {
            throw .damaged(file: stateURL.path, problem: "schema 1 file without a \"projects\" list")
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

        // The backup holds tokens, so it is as private as the secrets file.
        let backups = directory.appendingPathComponent("backups")
        do {
            try FileManager.default.createDirectory(
                at: backups, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(file: backups.path, operation: "create", reason: error.localizedDescription)
        }
        let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
        try AtomicFile.write(data, to: backups.appendingPathComponent("state.v1.\(stamp).json"), mode: 0o600)

        let secretData: Data
        let stateData: Data
        do {
            secretData = try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: 0, state: secrets))
            stateData = try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: 0, state: state))
        } catch {
            throw .io(file: stateURL.path, operation: "encode the migrated store", reason: "\(error)")
        }
        try AtomicFile.write(secretData, to: secretFile.snapshotURL, mode: 0o600)
        try AtomicFile.write(stateData, to: stateURL, mode: 0o644)
    }
}
