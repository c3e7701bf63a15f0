import Foundation
import RelinkFixtures
import RelinkStore

/// `--fixture NAME`: a copy of `Fixtures/NAME` to work on, leaving the fixture untouched. The demo
/// is also built in: a relink copied away from its checkout, as an installed one is, writes the same
/// store from `DemoFixture` when no `Fixtures/demo` is found.
enum Fixtures {
    /// The fixtures relink can write without their files.
    static let builtIn: [String: @Sendable (Store) throws -> Void] = ["demo": DemoFixture.write(to:)]

    struct NotFound: Error, CustomStringConvertible {
        var name: String
        var searched: [String]
        var description: String {
            "no fixture \"\(name)\" (looked in \(searched.joined(separator: ", ")); built in: "
                + Fixtures.builtIn.keys.sorted().joined(separator: ", ")
                + "); set RELINK_FIXTURES to the Fixtures directory"
        }
    }

    /// Why a fixture could not be copied, in words.
    struct CopyFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The first of `roots` that holds the fixture.
    static func directory(named name: String, in roots: [URL]) throws -> URL {
        let candidates = roots
        for root in candidates {
            let fixture = root.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: fixture.appendingPathComponent("state.json").path) {
                return fixture
            }
        }
        var searched: [String] = []
        for path in candidates.map(\.standardizedFileURL.path) where !searched.contains(path) { searched.append(path) }
        throw NotFound(name: name, searched: searched)
    }

    /// Copies the fixture into `destination` (which must be absent or empty), or a new temporary
    /// directory, and returns where it went. Secret files keep mode 0600.
    static func copy(_ name: String, from roots: [URL], to destination: URL?) throws -> URL {
        let source: URL?
        do {
            source = try directory(named: name, in: roots)
        } catch let notFound as NotFound {
            guard builtIn[name] != nil else { throw notFound }
            source = nil
        }
        let target =
            destination
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "relink-\(name)-\(UUID().uuidString.prefix(8))")
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CopyFailure(
                    description:
                        "\(target.path) is a file, not a directory; --fixture copies into a new or empty store directory"
                )
            }
            guard ((try? manager.contentsOfDirectory(atPath: target.path)) ?? ["?"]).isEmpty else {
                throw CopyFailure(
                    description: "\(target.path) is not empty; --fixture copies into a new or empty store directory")
            }
        }
        do {
            try manager.createDirectory(
                at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard let source else {
                // Written and closed here; relink opens the store afresh like any other.
                try builtIn[name]!(try Store(directory: target))
                return target
            }
            for file in try manager.contentsOfDirectory(atPath: source.path)
            where !file.hasPrefix(".") && file != "history" {
                let to = target.appendingPathComponent(file)
                try manager.copyItem(at: source.appendingPathComponent(file), to: to)
                if file.hasPrefix("secrets") {
                    try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: to.path)
                }
            }
        } catch {
            throw CopyFailure(description: "cannot copy Fixtures/\(name) into \(target.path): \(describe(error))")
        }
        return target
    }
}
