import Foundation
import IntercomMock
import RelinkCore
import RelinkStore

extension Session {
    /// `export PATH`: a support bundle — projects, connections, events and the mock world — with
    /// every secret redacted. The bundle is checked for every secret the store holds before it is
    /// reported as written.
    func export(to path: String) throws -> String {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        if FileManager.default.fileExists(atPath: directory.path),
            !((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).isEmpty
        {
            throw CommandFailure("\(path) exists and is not empty; export into a new directory")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create \(path): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .relinkTimestamp
        let projects = store.projects
        let connections = projects.map { store.connection(for: $0.key) }
        let world = try? FileWorldPersistence(fileURL: store.worldFile).loadWorld()
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
                    relink support bundle, exported \(Timestamp.format(Date())).
                    Every secret (tokens, the OAuth client secret, mock passwords) is redacted: token ids name
                    tokens, never their values. Open it with `relink --store` after importing, or read the JSON.

                    """.utf8)
            ))
        let secrets = store.allSecrets.filter { !$0.isEmpty }
        for (name, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            // Defence in depth: the shareable records hold no secret by design; never ship one if they did.
            if secrets.contains(where: { text.contains($0) }) {
                try? FileManager.default.removeItem(at: directory)
                throw CommandFailure("export stopped: \(name) would contain a secret; nothing was written")
            }
            try data.write(to: directory.appendingPathComponent(name))
        }
        let summary = "Exported \(projects.count) projects, \(store.eventCount) events"
            + (world == nil ? "" : " and the mock world") + " to \(path), every secret redacted."
        return json ? Documents.render(Documents.Message(message: summary)) : summary
    }
}
