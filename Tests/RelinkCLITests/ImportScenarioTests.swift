import Foundation
import RelinkTestSupport
import Testing

/// The issue's whole story as support lives it, in two stores: the customer's case breaks and is
/// exported (`customer.relink` on the demo fixture), support imports the bundle into a fresh store,
/// `check --all` shows what the customer saw, and the repair is tried (`support.relink`). One
/// golden transcript holds both runs; `RELINK_RECORD=1` rewrites it on purpose.
@Suite("The import scenario and its golden transcript")
struct ImportScenarioTests {
    static let directory = fixturesDirectory.appendingPathComponent("scenarios/import-a-case")

    @Test func breakExportImportCheckAndRepair() async throws {
        let work = try TemporaryDirectory()
        let started = Date()
        // Both scripts name the bundle `case-bundle`, relative to the directory they run in.
        let customer = try await runRelink(
            [
                "--fixture", "demo", "--store", work.file("customer").path, "--echo", "--script",
                Self.directory.appendingPathComponent("customer.relink").path,
            ], workingDirectory: work.url)
        let support = try await runRelink(
            [
                "--store", work.file("support").path, "--echo", "--script",
                Self.directory.appendingPathComponent("support.relink").path,
            ],
            workingDirectory: work.url)
        let finished = Date()
        #expect(customer.status == 0, "\(customer.stderr)")
        #expect(support.status == 0, "\(support.stderr)")

        func transcript(_ result: RunResult) -> String {
            Transcript(result, scriptDirectory: Self.directory, runBetween: started, and: finished).text
                .replacingOccurrences(of: work.url.path, with: "<work>")
                // As wide as the id, so the world's table stays aligned.
                .replacingOccurrences(
                    of: #"tok-[0-9a-f]{16}"#, with: "tok-<minted-id----->", options: .regularExpression)
        }
        let text =
            "=== customer.relink (relink --fixture demo) ===\n" + transcript(customer)
            + "=== support.relink (relink --store <fresh>) ===\n" + transcript(support)
        let file = Self.directory.appendingPathComponent("transcript")
        if ScenarioTests.recording {
            try text.write(to: file, atomically: true, encoding: .utf8)
            print("RELINK_RECORD=1: recorded \(file.path)")
            return
        }
        let golden = try #require(
            try? String(contentsOf: file, encoding: .utf8),
            "no transcript yet: record it with RELINK_RECORD=1 swift test --filter ImportScenarioTests and review it")
        if text != golden {
            let difference = Transcript.firstDifference(text, golden)
            let rerecord = "re-record with RELINK_RECORD=1 swift test --filter ImportScenarioTests and review the diff"
            Issue.record("import-a-case/transcript differs at \(difference); if intended, \(rerecord)")
        }
    }
}
