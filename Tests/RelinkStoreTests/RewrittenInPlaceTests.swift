import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 24: a store file that another program rewrites in place (same inode) between a
/// `refresh()` and a read is input, not a bug: the read throws a `StoreError` naming the file, and
/// the process goes on.
@Suite("A store file rewritten in place after a refresh")
struct RewrittenInPlaceTests: CompactedStoreS {
    let directory: TemporaryDirectory

    init() throws {
        directory = try Self.makeCompactedStoreS()
        // A line in each journal, after the compaction that emptied them.
        try open().update { transaction in
            transaction.put(Project(key: "NEW", name: "New", jiraSite: "acme.atlassian.net"))
            transaction.storeToken("fake-token-rewritten-in-place", id: "tok-rewritten")
        }
    }

    @Test(arguments: ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl"])
    func theReadThrowsAStoreErrorNamingTheFile(name: String) throws {
        let opened = try open()
        try opened.refresh()
        try rewriteInPlace(name)

        // The read right after: a record still in the file is checked against what the open read
        // of it; what the refresh read into memory reads as before. Neither stops the process.
        var caught: StoreError?
        do { try readEverything(opened) } catch { caught = error }
        if name == "state.json" { #expect(caught != nil, "a changed record of state.json read as if whole") }
        // The next command's refresh and read notice what the rewrite did.
        if caught == nil {
            do {
                try opened.refresh()
                try readEverything(opened)
            } catch let error as StoreError { caught = error }
        }
        let error = try #require(caught, "\(name) rewritten in place read as if whole")
        #expect(error.description.hasPrefix(file(name).path + ":"), "\(error)")
    }

    @Test func secretsThatPassTheirChecksumAndDoNotDecodeAreAStoreErrorNotAStop() throws {
        // A checksum written over content that does not read, as a person might by hand: the
        // open checks the checksum and leaves the decoding to the first read of a secret.
        try open().compact()
        let lines = try text("secrets.json").split(separator: "\n", omittingEmptySubsequences: false)
        let plain = ([lines[0]] + lines.dropFirst(2)).joined(separator: "\n")
        let damaged = plain.replacingOccurrences(
            of: #""tok-rewritten" : "fake-token-rewritten-in-place""#, with: #""tok-rewritten" : 7"#)
        #expect(damaged != plain)
        try Data(SecretSeal.seal(Data(damaged.utf8))).write(to: file("secrets.json"))
        try FileManager.default.removeItem(at: file("secrets.jsonl"))

        let opened = try open()
        #expect(try opened.project("OPS") != nil)
        let error = try #require(throws: StoreError.self) { try opened.token(id: "tok-rewritten") }
        #expect(error.description.hasPrefix(file("secrets.json").path + ":"), "\(error)")
        #expect(throws: StoreError.self) { try opened.allSecrets }
    }

    /// Every read of the store's records and secrets.
    func readEverything(_ store: Store) throws(StoreError) {
        for key in store.projectKeys {
            _ = try store.project(key)
            _ = try store.connection(for: key)
        }
        _ = try store.projectListings
        _ = try store.projects
        _ = try store.connections
        _ = try store.allSecrets
        _ = try store.token(id: "tok-rewritten")
        do { _ = try store.events() } catch let error as StoreError { throw error } catch {
            Issue.record("events() threw \(error)")
        }
    }

    /// Changes bytes of `name` through a descriptor opened for writing: the same inode, as an
    /// editor that writes in place or another program would. A snapshot keeps its length (one
    /// letter changes) and gets a modification time apart from the open's; a journal's last
    /// line gets a damaged line after it.
    func rewriteInPlace(_ name: String) throws {
        let url = file(name)
        let original = try Data(contentsOf: url)
        let (bytes, offset): (Data, Int)
        switch name {
        case "state.json":
            let text = String(decoding: original, as: UTF8.self)
            let range = try #require(text.range(of: "\"Operations\""))
            offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 1
            bytes = Data("Z".utf8)
        case "secrets.json":
            let text = String(decoding: original, as: UTF8.self)
            let range = try #require(text.range(of: "\"tokens\""))
            offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 1
            bytes = Data("Q".utf8)
        default:
            offset = original.count - 1
            bytes = Data("\n{\"changes\":[damaged\n".utf8)
        }
        let descriptor = Glibc.open(url.path, O_WRONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        try #require(written == bytes.count)
        if name.hasSuffix(".json") {
            var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
            try #require(futimens(descriptor, &times) == 0)
        }
    }
}
