import Foundation
import Testing

/// The support scenarios of `Fixtures/scenarios`: each script runs as support staff run it,
/// `relink --fixture demo --keep-going --echo --script NAME.relink`, and what it prints must match its
/// golden transcript `NAME.transcript`. `RELINK_RECORD=1` rewrites the transcripts on purpose.
@Suite("Scenarios and their golden transcripts")
struct ScenarioTests {
    static let directory = fixturesDirectory.appendingPathComponent("scenarios")

    /// The scenario names (file names without `.relink`), sorted.
    static let names: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".relink") }.map { String($0.dropLast(".relink".count)) }.sorted()

    static var recording: Bool { ProcessInfo.processInfo.environment["RELINK_RECORD"] == "1" }

    @Test func everyDocumentedFlowHasAScenario() {
        // Also guards the parameterised test below: an empty list would run no case and pass.
        let flows = [
            "connect", "password-changed", "token-revoked", "user-removed", "revoke-and-connect-again",
            "change-app-user", "transient-outage", "workspace-change", "outbox-while-broken",
            "notification-triggers", "outbox-workspace-change", "outbox-transient", "missing-scope", "ip-allowlist",
        ]
        for flow in flows { #expect(Self.names.contains(flow), "Fixtures/scenarios/\(flow).relink is missing") }
    }

    @Test(arguments: names) func scenarioPrintsItsTranscript(_ name: String) async throws {
        let script = Self.directory.appendingPathComponent(name + ".relink")
        let header = try Scenario.header(of: script)
        let expectedStatus = try #require(
            Scenario.expectedStatus(in: header), "\(name).relink: its header must say \"# Expected exit status: N\"")

        let started = Date()
        let result = try await runRelink(["--fixture", "demo", "--keep-going", "--echo", "--script", script.path])
        let finished = Date()
        #expect(result.status == expectedStatus, "\(name): exit status \(result.status)\n\(result.stderr)")

        let transcript = Transcript(result, scriptDirectory: Self.directory, runBetween: started, and: finished).text
        let file = Self.directory.appendingPathComponent(name + ".transcript")
        if Self.recording {
            try transcript.write(to: file, atomically: true, encoding: .utf8)
            print("RELINK_RECORD=1: recorded \(file.path)")
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            let record = "RELINK_RECORD=1 swift test --filter ScenarioTests"
            Issue.record("\(name) has no transcript (\(file.path)). Record it on purpose and review it: \(record)")
            return
        }
        if transcript != golden {
            // Not #expect(==): it would print both transcripts whole; the first differing line says more.
            let difference = Transcript.firstDifference(transcript, golden)
            let rerecord = "re-record with RELINK_RECORD=1 swift test --filter ScenarioTests and review the diff"
            Issue.record("\(name).transcript differs at \(difference)\nIf the change is intended, \(rerecord).")
        }
    }

    @Test func theNormaliserMakesUnstablePartsStable() {
        let started = Date(timeIntervalSince1970: 1_795_938_312)  // 2026-11-29 07:45:12 UTC
        let output = """
            2026-11-18 11:06:40 UTC  SUP  connected by fixture
            2026-11-29 07:45:12 UTC  SUP  broken (request 00000001k3x9q2mz7w4b)
            2026-11-29 07:45:12 UTC  BUG  broken (request 50bfb604-2a8c-d32e-0000-000000000001)
            "at":"2026-11-29T07:45:13Z" "since":"2026-11-29T07:45:13.250Z" token tok-3f2a9c1e-7b4d
            mock on http://127.0.0.1:49321/me, store \(FileManager.default.temporaryDirectory.path)/relink-demo-1A2B3C4D
            """
        let text = Transcript(
            RunResult(status: 0, stdout: output, stderr: ""), scriptDirectory: ScenarioTests.directory,
            runBetween: started, and: started.addingTimeInterval(1)
        ).text
        #expect(
            text == """
                2026-11-18 11:06:40 UTC  SUP  connected by fixture
                <now>  SUP  broken (request <request-id>)
                <now>  BUG  broken (request <request-id>)
                "at":"<now>" "since":"<now>" token tok-<id>
                mock on http://127.0.0.1:<port>/me, store <tmp>/relink-demo-<id>
                --- stderr ---
                --- exit status 0 ---

                """)
    }
}

/// What a scenario script's header says about it.
enum Scenario {
    /// The leading `#` lines of a script.
    static func header(of script: URL) throws -> [String] {
        try String(contentsOf: script, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("#") }.map(String.init)
    }

    /// N of a `# Expected exit status: N` header line.
    static func expectedStatus(in header: [String]) -> Int32? {
        let prefix = "# Expected exit status: "
        return header.first { $0.hasPrefix(prefix) }
            .flatMap { Int32($0.dropFirst(prefix.count).prefix { $0.isNumber }) }
    }
}

/// A run's output with its unstable parts made stable: the times of the run, request ids, token
/// ids, ports and temporary paths. Times outside the run (the fixture's own) are kept as they are.
struct Transcript {
    let text: String

    init(_ result: RunResult, scriptDirectory: URL, runBetween started: Date, and finished: Date) {
        func lines(_ output: String) -> String { output.isEmpty || output.hasSuffix("\n") ? output : output + "\n" }
        var text = lines(result.stdout) + "--- stderr ---\n" + lines(result.stderr)
        text += "--- exit status \(result.status) ---\n"
        // Seconds are rounded either way, so allow a little slack around the run.
        let window = started.addingTimeInterval(-2)...finished.addingTimeInterval(2)
        text = Self.replaceTimes(in: text, within: window)
        text = text.replacingOccurrences(of: scriptDirectory.path, with: "Fixtures/scenarios")
        text = text.replacingOccurrences(of: FileManager.default.temporaryDirectory.path, with: "<tmp>")
        let uuid = #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#
        text = Self.replace(uuid, in: text, with: "<request-id>")
        // The mock's ids are Intercom-shaped: 20 lowercase base-36 characters, at least one a digit.
        text = Self.replace(#"\b(?=[0-9a-z]{0,19}[0-9])[0-9a-z]{20}\b"#, in: text, with: "<request-id>")
        text = Self.replace(#"tok-[0-9a-f]{8}-[0-9a-f]{4}\b"#, in: text, with: "tok-<id>")
        text = Self.replace(#"(127\.0\.0\.1|localhost|\[::1\]):[0-9]{2,5}"#, in: text, with: "$1:<port>")
        text = Self.replace(#"relink-demo-[0-9A-Fa-f]{8}"#, in: text, with: "relink-demo-<id>")
        self.text = text
    }

    private static func replace(_ pattern: String, in text: String, with template: String) -> String {
        // The patterns are literals above: a bad one is a programming error caught by the tests.
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// `2026-11-29 07:45:12 UTC` and ISO 8601 times that fall within the run become `<now>`.
    private static func replaceTimes(in text: String, within window: ClosedRange<Date>) -> String {
        let expression = try! NSRegularExpression(
            pattern: #"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2} UTC|T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))"#)
        let plain = DateFormatter()
        plain.locale = Locale(identifier: "en_US_POSIX")
        plain.timeZone = TimeZone(identifier: "UTC")
        plain.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        let iso = ISO8601DateFormatter()
        let isoFractional = ISO8601DateFormatter()
        isoFractional.formatOptions.insert(.withFractionalSeconds)
        var result = ""
        var last = text.startIndex
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            let found = String(text[range])
            let date = plain.date(from: found) ?? iso.date(from: found) ?? isoFractional.date(from: found)
            result += text[last..<range.lowerBound]
            result += date.map { window.contains($0) } == true ? "<now>" : found
            last = range.upperBound
        }
        return result + text[last...]
    }

    /// Where two transcripts first differ, by line, for a failure message a person can act on.
    static func firstDifference(_ actual: String, _ golden: String) -> String {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, goldenLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "(end of output)"
            let want = index < goldenLines.count ? String(goldenLines[index]) : "(end of transcript)"
            if got != want { return "line \(index + 1)\n  expected: \(want)\n  actual:   \(got)" }
        }
        return "no line differs"
    }
}
