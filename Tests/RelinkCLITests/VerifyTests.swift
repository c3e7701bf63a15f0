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
}
