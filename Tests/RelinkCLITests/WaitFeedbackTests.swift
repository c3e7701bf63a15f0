import Foundation
import RelinkTestSupport
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
