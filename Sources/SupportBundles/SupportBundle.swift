import Foundation
import IntercomMockStore
import IntercomMockWorld
import JournaledFiles
import RelinkCore
import RelinkStore

/// A support bundle: the store's projects, connections, events and the mock's world as readable
/// JSON in a directory, with every secret redacted, for a colleague reproducing a case.
public enum SupportBundle {
    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        public var projects: Int
        public var events: Int
        public var includesWorld: Bool
    }

    /// Why an export wrote nothing.
    public struct ExportError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Writes the bundle into `directory` (absent or empty). Every file is checked for every
    /// secret the store holds before it is written; a file that would hold one stops the export
    /// and removes what was written.
    ///
    /// - Throws: ``ExportError`` for a directory in the way, a secret found or a write that
    ///   failed; `StoreError` when the store cannot be read.
    public static func export(
        _ store: Store, to directory: URL, relinkVersion: String = RelinkVersion.current, exportedAt now: Date = Date()
    ) throws -> Summary {
        let manager = FileManager.default
        let path = directory.path
        if manager.fileExists(atPath: path), !((try? manager.contentsOfDirectory(atPath: path)) ?? []).isEmpty {
            throw ExportError(description: "\(path) exists and is not empty; export into a new directory")
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExportError(description: "cannot create \(path): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .relinkTimestamp
        let projects = try store.projects
        // Tokens by their public id, the one the world shows (`TokenID`), so import can pair them.
        let connections = try projects.map { project in
            let connection = try store.connection(for: project.key)
            return try connection.state.authorization.map { connection.naming(tokenID: try store.publicTokenID(of: $0)) }
                ?? connection
        }
        let world = try? store.loadWorld()
        var files: [(String, Data)] = [
            ("projects.json", try encoder.encode(projects)),
            ("connections.json", try encoder.encode(connections)),
            ("events.json", try encoder.encode(try store.events())),
        ]
        if let world { files.append(("world.json", try encoder.encode(world.redacted))) }
        files.append(
            (
                "README.txt",
                Data(
                    """
                    relink support bundle, exported \(Timestamp.format(now)).
                    Every secret (tokens, the OAuth client secret, mock passwords) is redacted: token ids name
                    tokens, never their values. Rebuild the case with `relink import PATH` into an empty store
                    (it mints fresh fake secrets), or read the JSON. manifest.json lists every file with its SHA-256.

                    """.utf8)
            ))
        let manifest = Manifest(
            formatVersion: Manifest.currentFormatVersion, relinkVersion: relinkVersion, exportedAt: now,
            files: files.map { Manifest.File(name: $0.0, bytes: $0.1.count, sha256: Secret.sha256Hex(data: $0.1)) },
            changesOnReexport: Manifest.documentedChanges)
        // Last: a bundle whose export stopped half-way has no manifest, and import refuses it.
        files.append((Manifest.fileName, try encoder.encode(manifest)))
        let secrets = SecretScan(try store.allSecrets)
        for (name, data) in files {
            // Defence in depth: the shareable records hold no secret by design; never ship one if they did.
            if secrets.occurs(in: data) {
                try? manager.removeItem(at: directory)
                throw ExportError(description: "export stopped: \(name) would contain a secret; nothing was written")
            }
            // Through the store's file seam (a new regular file, never a link followed), so a test
            // can fail each write as it fails the store's; a bundle is not synced, like any export.
            do throws(StoreError) {
                try AtomicFile.createSynced(data, at: directory.appendingPathComponent(name), mode: 0o644, synced: false)
            } catch {
                let reason = if case .io(_, _, let reason) = error { reason } else { "\(error)" }
                throw ExportError(description: "cannot write \(name) into \(path): \(reason)")
            }
        }
        return Summary(projects: projects.count, events: store.eventCount, includesWorld: world != nil)
    }
}
