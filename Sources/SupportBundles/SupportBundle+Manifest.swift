import Foundation
import IntercomMockStore
import IntercomMockWorld
import JournaledFiles
import RelinkCore
@_spi(Benchmarks) import RelinkStore

extension SupportBundle {
    /// `manifest.json`: what a bundle holds and how to tell it is whole. `import` refuses a bundle
    /// whose files do not match it, and one written in a newer format.
    public struct Manifest: Codable, Equatable, Sendable {
        /// The bundle format this relink writes and reads.
        public static let currentFormatVersion = 1
        public static let fileName = "manifest.json"

        public struct File: Codable, Equatable, Sendable {
            public var name: String
            public var bytes: Int
            /// Hex SHA-256 of the file's bytes.
            public var sha256: String
        }

        public var formatVersion: Int
        public var relinkVersion: String
        public var exportedAt: Date
        public var files: [File]
        /// What differs when a bundle is imported and exported again; for a person comparing two.
        public var changesOnReexport: [String]

        static let documentedChanges = [
            "exportedAt here and the export time in README.txt",
            "token ids (connections.json, world.json): import mints fresh fake tokens, and a token's id is derived from it",
            "the files' sizes and SHA-256 here, which follow from the above",
        ]
    }

    /// Why a bundle is not imported. Nothing was written to the store.
    public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String

        init(_ description: String) { self.description = description }

        static func file(_ url: URL, _ problem: String) -> ImportError {
            ImportError("\(url.path) \(problem); nothing was imported")
        }
    }

    /// A bundle read and checked against its manifest, not yet applied to any store.
    public struct Contents: Sendable {
        public var manifest: Manifest
        public var projects: [Project]
        public var connections: [Connection]
        public var events: [ConnectionEvent]
        public var world: RedactedWorld?
    }

    static let recordFiles = ["projects.json", "connections.json", "events.json"]

    /// Reads the bundle in `directory`, checking every file against the manifest before decoding it.
    ///
    /// - Throws: ``ImportError`` naming the file and what is wrong with it: missing, a size or
    ///   SHA-256 that is not the manifest's (truncated or edited), a newer format, content that
    ///   does not read.
    public static func read(_ directory: URL) throws(ImportError) -> Contents {
        let manifestURL = directory.appendingPathComponent(Manifest.fileName)
        let manifestData: Data
        do { manifestData = try Data(contentsOf: manifestURL) } catch {
            guard FileManager.default.fileExists(atPath: directory.path) else {
                throw ImportError("\(directory.path) does not exist; nothing was imported")
            }
            throw .file(
                manifestURL,
                "cannot be read: a bundle holds a manifest.json (relink export writes one; bundles from before it "
                    + "have none, so export again with this relink)")
        }
        let decoder = StoreCoding.decoder()
        let manifest: Manifest
        do {
            if let version = try? decoder.decode(FormatProbe.self, from: manifestData).formatVersion,
                version > Manifest.currentFormatVersion
            {
                throw ImportError.file(
                    manifestURL,
                    "is format \(version), newer than this relink reads (\(Manifest.currentFormatVersion)); "
                        + "import it with a newer relink")
            }
            manifest = try decoder.decode(Manifest.self, from: manifestData)
        } catch let error as ImportError {
            throw error
        } catch {
            throw .file(manifestURL, "is not a bundle manifest: \(StoreError.describe(error, data: manifestData))")
        }
        guard manifest.formatVersion >= 1 else {
            throw .file(manifestURL, "has format version \(manifest.formatVersion), which no relink writes")
        }
        var verified: [String: Data] = [:]
        for file in manifest.files {
            guard !file.name.contains("/"), !file.name.hasPrefix(".") else {
                throw .file(manifestURL, "names \"\(file.name)\", which is not a file of a bundle")
            }
            let url = directory.appendingPathComponent(file.name)
            guard let data = try? Data(contentsOf: url) else { throw .file(url, "is missing (the manifest lists it)") }
            guard data.count == file.bytes else {
                throw .file(
                    url,
                    "holds \(data.count) bytes where the manifest says \(file.bytes): "
                        + (data.count < file.bytes ? "it was truncated" : "something was added to it"))
            }
            guard Secret.sha256Hex(data: data) == file.sha256 else {
                throw .file(url, "does not match its SHA-256 in the manifest: it was edited after the export")
            }
            verified[file.name] = data
        }
        for name in recordFiles where verified[name] == nil {
            throw .file(manifestURL, "does not list \(name), which every bundle holds")
        }
        func decode<T: Decodable>(_ type: T.Type, _ name: String) throws(ImportError) -> T {
            let data = verified[name]!
            do { return try decoder.decode(type, from: data) } catch {
                throw .file(
                    directory.appendingPathComponent(name),
                    "matches the manifest but does not read: \(StoreError.describe(error, data: data))")
            }
        }
        let contents = Contents(
            manifest: manifest, projects: try decode([Project].self, "projects.json"),
            connections: try decode([Connection].self, "connections.json"),
            events: try decode([ConnectionEvent].self, "events.json"),
            world: verified["world.json"] == nil ? nil : try decode(RedactedWorld.self, "world.json"))
        do {
            try Store.checkRecords(contents.projects, contents.connections) { "\($0)[\($1)]" }
        } catch {
            throw .file(
                directory.appendingPathComponent("connections.json"), "does not fit projects.json: \(error.problem)")
        }
        return contents
    }

    /// Reads only the format version, so a newer manifest is named as newer, not as unreadable.
    private struct FormatProbe: Decodable {
        var formatVersion: Int
    }
}
