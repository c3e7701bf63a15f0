import Foundation
import RelinkTestSupport
import RelinkCore
import RelinkService
import Testing

/// On a terminal, a wait of more than a second says what relink waits for; off a terminal and
/// with --json it stays quiet.
@Suite("Feedback while waiting for Intercom")
struct WaitFeedbackTests {
    func environment(_ directory: TemporaryDirectory) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["NO_COLOR"] = "1"
        environment["HOME"] = directory.url.path
        environment["RELINK_FIXTURES"] = fixturesDirectory.path
        return environment
    }

    @Test("A slow answer says 'waiting for Intercom…' with the seconds so far, then clears the line")
    func slowAnswer() async throws {
        let directory = try TemporaryDirectory()
        let relink = try PseudoTerminalSession(
            try relinkExecutable(),
            ["--fixture", "demo", "-c", "mock fault add /me latency --latency-ms 2500 --times 1", "-c", "check SUP"],
            environment: environment(directory))
        #expect(await relink.expect("waiting for Intercom… 1 s"), "\(relink.screen)")
        #expect(await relink.expect("healthy"), "\(relink.screen)")
    }

    @Test("check --all waits as check KEY does: the bar counts the seconds, and Ctrl-C stops it, summarised")
    func slowAnswerDuringCheckAll() async throws {
        let directory = try TemporaryDirectory()
        let relink = try PseudoTerminalSession(
            try relinkExecutable(),
            ["--fixture", "demo", "-c", "mock fault add /me latency --latency-ms 20000", "-c", "check --all"],
            environment: environment(directory))
        #expect(await relink.expect("waiting for Intercom… 1 s"), "\(relink.screen)")
        relink.type("\u{3}")
        #expect(await relink.expect("interrupted: checked 0 of 3"), "\(relink.screen)")
        #expect(await relink.waitForExit() == 130, "\(relink.screen)")
    }

    @Test("An interrupted check of many projects names the first few it left, and how many more")
    func interruptedCheckIsSummarised() {
        let keys = (1...670).map { ProjectKey(rawValue: "P\($0)")! }
        let message = ServiceError.checkInterrupted(done: [], notChecked: keys).description
        #expect(message.hasSuffix("670 projects, P1, P2, P3, P4, P5 and 665 more"), "\(message)")
        let few = ServiceError.checkInterrupted(done: [], notChecked: Array(keys.prefix(3))).description
        #expect(few.hasSuffix("P1, P2, P3"))
    }

    @Test("A retry after a 5xx says why and how long it waits")
    func retryAfterServerError() async throws {
        let directory = try TemporaryDirectory()
        // Two 503s: the second retry waits 1 s, which is worth saying.
        let relink = try PseudoTerminalSession(
            try relinkExecutable(),
            ["--fixture", "demo", "-c", "mock fault add /me status --status 503 --times 2", "-c", "check SUP"],
            environment: environment(directory))
        #expect(await relink.expect("Intercom answered 503; retrying in 1 s"), "\(relink.screen)")
        #expect(await relink.expect("healthy"), "\(relink.screen)")
    }

    @Test("Off a terminal nothing is said")
    func quietOffATerminal() async throws {
        let result = try await runRelink([
            "--fixture", "demo", "-c", "mock fault add /me latency --latency-ms 1500 --times 1", "-c", "check SUP",
        ])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("waiting for Intercom"))
    }
}
