import Foundation
import RelinkStore

/// One damaged store file: the first byte picks which of state.json, journal.jsonl, secrets.json
/// and secrets.jsonl is replaced by the rest of the input, in a copy of Fixtures/demo; then the
/// store is opened. Opening never crashes: it opens, or refuses with a StoreError naming a file.
/// A store that opens has every connection's token, or `verify` says which it lacks (issue 28).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let names = ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl"]
    let name = names[Int(data[0]) % names.count]
    let content = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let directory = StoreFuzzing.freshCopy()
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        try content.write(to: directory.appendingPathComponent(name))
        let store = try Store(directory: directory, options: .init(durable: false))
        // What a command reads after opening: every project, its connection, the secrets, the events.
        for project in try store.projects { _ = try store.connection(for: project.key) }
        _ = try store.allSecrets
        _ = try? store.events()
        try checkTokensAreThereOrReported(store)
    } catch is StoreError {
        // A refusal is the right answer to damage.
    } catch {
        fatalError("opening a damaged \(name) failed with something other than a StoreError: \(error)")
    }
    return 0
}

/// The cross-file oracle: a connection whose token the secrets lack is a finding of `verify`
/// naming that project and the secrets, and a connection whose token is there is not.
func checkTokensAreThereOrReported(_ store: Store) throws {
    let verification = try store.verify()
    for (key, connection) in try store.connections {
        guard let id = connection.state.authorization?.tokenID else { continue }
        let reported = verification.findings.contains { $0.project == key && $0.file == "secrets.json" }
        let present = try store.token(id: id) != nil
        if !present, !reported { fatalError("\(key): its connection has no token and verify does not say so") }
        if present, reported { fatalError("\(key): verify says its token is lost, but the store holds it") }
    }
}

enum StoreFuzzing {
    /// Fixtures/demo, found from this file.
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/demo")
    nonisolated(unsafe) static var counter = 0

    /// A new copy of the demo store's four files in a temporary directory.
    static func freshCopy() -> URL {
        counter += 1
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("relink-fuzz-\(getpid())-\(counter)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl"] {
            try? FileManager.default.copyItem(
                at: demo.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        return directory
    }
}
