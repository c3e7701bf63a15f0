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
