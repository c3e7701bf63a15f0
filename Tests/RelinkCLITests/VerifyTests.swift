import Foundation
import RelinkStore
import RelinkTestSupport
import Testing

@Suite("verify")
struct VerifyTests {
    @Test func verifyReportsEveryRecordReadAndNamesABadOneByFileAndLine() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let sound = try await runRelink(["--fixture", "demo", "--store", store, "-c", "verify"])
        #expect(sound.status == 0, "\(sound.stderr)")
        #expect(sound.stdout.contains("Every record reads: "), "\(sound.stdout)")

        // A connection that does not decode, in a snapshot without a checksum (as the fixture's):
        // refused at open, named by file and line, before verify could run.
        let state = directory.file("store").appendingPathComponent("state.json")
        let text = try String(contentsOf: state, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains(#""project":"SUP","state":""#) })
        lines[index] = Substring(lines[index].replacingOccurrences(of: #""state":""#, with: #""state":"x-"#))
        try lines.joined(separator: "\n").write(to: state, atomically: false, encoding: .utf8)
        let damaged = try await runRelink(["--store", store, "-c", "verify"])
        #expect(damaged.status != 0)
        #expect((damaged.stderr + damaged.stdout).contains("\(state.path): line \(index + 1)"), "\(damaged.stderr)")
    }

    @Test func verifyReadsTheMocksWorldAndFaults() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        let added = try await runRelink([
            "--fixture", "demo", "--store", store.path, "-c", "mock fault add /me status --status 503", "-c", "verify",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        for name in ["mock-faults.json", "world.json"] {
            let file = store.appendingPathComponent(name)
            let kept = try Data(contentsOf: file)
            try Data(#"{"faults": [ {"#.utf8).write(to: file)
            let damaged = try await runRelink(["--store", store.path, "-c", "verify"])
            #expect(damaged.status == 1, "\(name): \(damaged.stdout)")
            #expect(damaged.stderr.contains(file.path), "\(damaged.stderr)")
            try kept.write(to: file)
        }
        #expect(try await runRelink(["--store", store.path, "-c", "verify"]).status == 0)
    }
}

/// A journal line's checksum counts wherever it stands (issue 28, finding 3).
@Suite("Checksums that cannot be stepped around")
struct MovedChecksumTests {
    /// The demo after a reconnect, whose new token is the last line of secrets.jsonl.
    func reconnected() async throws -> (TemporaryDirectory, URL) {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        let run = try await runRelink(["--fixture", "demo", "--store", store.path, "-c", "reconnect SUP"])
        #expect(run.status == 0, "\(run.stderr)")
        return (directory, store)
    }

    func lastLine(of file: URL) throws -> (lines: [Substring], index: Int) {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.lastIndex { $0.contains(#""crc32c":""#) })
        return (lines, index)
    }

    @Test("A secrets line with its checksum moved to the front and one character changed is refused")
    func movedAndChanged() async throws {
        let (directory, store) = try await reconnected()
        _ = directory
        let secrets = store.appendingPathComponent("secrets.jsonl")
        var (lines, index) = try lastLine(of: secrets)
        let line = String(lines[index])
        let field = try #require(line.range(of: #","crc32c":"[0-9a-f]{8}""#, options: .regularExpression))
        var moved = line
        let checksum = String(line[field].dropFirst())
        moved.removeSubrange(field)
        moved.insert(contentsOf: checksum + ",", at: moved.index(after: moved.startIndex))
        // Moved but unchanged: still sound.
        lines[index] = Substring(moved)
        try lines.joined(separator: "\n").write(to: secrets, atomically: false, encoding: .utf8)
        let sound = try await runRelink(["--store", store.path, "-c", "verify"])
        #expect(sound.status == 0, "a moved checksum that matches is accepted: \(sound.stderr)")
        // One character of the token changed.
        let token = try #require(moved.range(of: #""token":""#))
        var changed = moved
        let at = changed.index(token.upperBound, offsetBy: 3)
        changed.replaceSubrange(at...at, with: changed[at] == "A" ? "B" : "A")
        lines[index] = Substring(changed)
        try lines.joined(separator: "\n").write(to: secrets, atomically: false, encoding: .utf8)
        let refused = try await runRelink(["--store", store.path, "-c", "verify"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("secrets.jsonl") && refused.stderr.contains("checksum"), "\(refused.stderr)")
    }

    @Test("A key repeated in a journal line is damage, with a checksum or without")
    func repeatedKey() async throws {
        let (directory, store) = try await reconnected()
        _ = directory
        let journal = store.appendingPathComponent("journal.jsonl")
        var (lines, index) = try lastLine(of: journal)
        var line = String(lines[index])
        line.removeSubrange(try #require(line.range(of: #","crc32c":"[0-9a-f]{8}""#, options: .regularExpression)))
        line.insert(contentsOf: #""seq":1,"#, at: line.index(after: line.startIndex))
        lines[index] = Substring(line)
        try lines.joined(separator: "\n").write(to: journal, atomically: false, encoding: .utf8)
        let refused = try await runRelink(["--store", store.path, "-c", "verify"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("journal.jsonl") && refused.stderr.contains("given twice"), "\(refused.stderr)")
    }
}
