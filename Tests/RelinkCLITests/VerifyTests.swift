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

    func lastLine(of file: URL, containing text: String? = nil) throws -> (lines: [Substring], index: Int) {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.lastIndex { $0.contains(#""crc32c":""#) && text.map($0.contains) ?? true })
        return (lines, index)
    }

    @Test("A secrets line with its checksum moved to the front and one character changed is refused")
    func movedAndChanged() async throws {
        let (directory, store) = try await reconnected()
        _ = directory
        let secrets = store.appendingPathComponent("secrets.jsonl")
        // The line that stores the new token (the old one is forgotten on a line after the records').
        var (lines, index) = try lastLine(of: secrets, containing: #""token":""#)
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

/// `verify` checks every reference between the store's files (issue 28, finding 2), in stores
/// damaged by hand in the ways a disk, a tool or a person damages them.
@Suite("References between the store's files")
struct IntegrityTests {
    /// One way to damage a fresh copy of the demo, and what verify must name.
    struct Damage: Sendable, CustomTestStringConvertible {
        var name: String
        var commands: [String] = []
        var file: String
        var replace: (String, String)?
        var empty = false
        /// Only the last occurrence of `replace`'s text is changed (an event, not the record).
        var lastOnly = false
        var names: [String]
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(
            name: "secrets.jsonl emptied after a reconnect (a lost last write)", commands: ["reconnect SUP"],
            file: "secrets.jsonl", empty: true, names: ["SUP:", "secrets.json", "token"]),
        Damage(
            name: "a token removed from secrets.json", file: "secrets.json",
            replace: (#""tok-demo-bug" : "fake-demo-token-bug","#, ""), names: ["BUG:", "token", "secrets.json"]),
        Damage(
            name: "a connection pointing at a token id nobody has", file: "state.json",
            replace: (#""tokenID":"tok-demo-web""#, #""tokenID":"tok-nobody""#), names: ["WEB:", "secrets.json"]),
        Damage(
            name: "a link to another project's issue", file: "state.json",
            replace: (#""issueKey":"BUG-7""#, #""issueKey":"SUP-7""#), names: ["BUG:", "SUP-7", "state.json"]),
        Damage(
            name: "a link to an issue of no project", file: "state.json",
            replace: (#""issueKey":"SUP-40""#, #""issueKey":"OPS-40""#), names: ["SUP:", "OPS-40"]),
        Damage(
            name: "events of a project that neither exists nor was removed", file: "state.json",
            replace: (#""project":"WEB""#, #""project":"ZED""#), lastOnly: true, names: ["ZED:", "state.json"]),
    ]

    @Test("verify names each broken reference by project and file, and exits non-zero", arguments: damages)
    func damaged(damage: Damage) async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        let made = try await runRelink(
            ["--fixture", "demo", "--store", store.path] + damage.commands.flatMap { ["-c", $0] } + ["-c", "verify"])
        #expect(made.status == 0, "\(made.stderr)")
        let file = store.appendingPathComponent(damage.file)
        if damage.empty {
            try Data().write(to: file)
        } else if let (old, new) = damage.replace {
            var text = try String(contentsOf: file, encoding: .utf8)
            let found = try #require(text.range(of: old, options: damage.lastOnly ? .backwards : []), "\(damage.name)")
            if damage.lastOnly {
                text.replaceSubrange(found, with: new)
            } else {
                text = text.replacingOccurrences(of: old, with: new)
            }
            try text.write(to: file, atomically: false, encoding: .utf8)
        }
        let verified = try await runRelink(["--store", store.path, "-c", "verify"])
        #expect(verified.status == 1, "\(damage.name): \(verified.stdout) \(verified.stderr)")
        for name in damage.names {
            #expect(verified.stderr.contains(name), "\(damage.name): \(verified.stderr)")
        }
        let json = try await runRelink(["--store", store.path, "--json", "-c", "verify"])
        #expect(json.stdout.contains(#""code":"broken_references""#) || json.stderr.contains("broken_references"))
    }

    @Test("The demo as shipped, and after a day of work, has no broken reference")
    func sound() async throws {
        let directory = try TemporaryDirectory()
        let result = try await runRelink([
            "--fixture", "demo", "--store", directory.file("store").path, "-c", "reconnect SUP", "-c", "revoke BUG",
            "-c", "project add NEW \"New project\"", "-c", "comment SUP-12 hello", "-c", "verify",
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("A connection whose token the store lost is not green: show says so, check gives a verdict, reconnect repairs it")
    func lostTokenAtRunTime() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        let made = try await runRelink(["--fixture", "demo", "--store", store.path, "-c", "reconnect SUP"])
        #expect(made.status == 0, "\(made.stderr)")
        try Data().write(to: store.appendingPathComponent("secrets.jsonl"))

        let shown = try await runRelink(["--store", store.path, "--json", "-c", "show SUP"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains(#""indicator":"yellow""#), "\(shown.stdout)")
        #expect(shown.stdout.contains("lost the app user's token"), "\(shown.stdout)")

        let checked = try await runRelink(["--store", store.path, "-c", "check SUP"])
        #expect(!checked.stdout.contains("transient"), "a lost token is a verdict: \(checked.stdout)")
        #expect(checked.stdout.contains("lost the app user's token") || checked.stdout.contains("broken"), "\(checked.stdout)")
        let after = try await runRelink(["--store", store.path, "--json", "-c", "show SUP"])
        #expect(after.stdout.contains(#""state":"broken""#), "the verdict is recorded: \(after.stdout)")

        let repaired = try await runRelink(["--store", store.path, "-c", "reconnect SUP", "-c", "verify"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        let green = try await runRelink(["--store", store.path, "--json", "-c", "show SUP"])
        #expect(green.stdout.contains(#""indicator":"green""#), "\(green.stdout)")
    }
}
