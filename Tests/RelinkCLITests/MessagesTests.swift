import Foundation
import RelinkTestSupport
import Testing

/// Messages quoted from real runs that misled (issue "The REPL and command line as people use
/// them", item 7), and the edges of `check` (item 8).
@Suite("Messages that say what is true")
struct MessagesTests {
    func demo(_ lines: [String]) async throws -> RunResult {
        try await runRelink(["--fixture", "demo"] + lines.flatMap { ["-c", $0] })
    }

    @Test("Someone the world does not know is not asked for a password")
    func unknownTeammate() async throws {
        let result = try await demo(["connect OPS --as nobody@acme.test"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nobody@acme.test is not a teammate"))
        #expect(!result.stderr.contains("--password"))
    }

    @Test("A removed teammate's refusal says it once, for the connection's workspace")
    func removedTeammate() async throws {
        let result = try await demo([
            "connect OPS --as alice@acme.test", "break OPS user-removed", "app-user SUP --as alice@acme.test",
        ])
        #expect(result.status == 1)
        let error = result.stderr.split(separator: "\n").first { $0.hasPrefix("error:") } ?? ""
        #expect(error.components(separatedBy: "cannot authorize").count == 2, "\(error)")
        #expect(error.contains("acme4sup"))
    }

    @Test("The app user as the new app user is refused, and nothing is minted or logged")
    func sameAppUser() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let before = try await runRelink(["--store", store, "-c", "log SUP"]).stdout
        let result = try await runRelink(["--store", store, "-c", "app-user SUP --as jira-bot@acme.test"])
        #expect(result.status == 1 && result.stderr.contains("already SUP's app user"))
        #expect(try await runRelink(["--store", store, "-c", "log SUP"]).stdout == before)
    }

    @Test("Breaking a token that is already dead says nothing changed")
    func alreadyDead() async throws {
        let result = try await demo(["break WEB token-revoked"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("no live token was affected") && !result.stdout.contains("0 token(s)"))
    }

    @Test("An unknown cause is one clear sentence")
    func unknownCause() async throws {
        let result = try await demo(["break SUP password-changd"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(#"did you mean "password-changed"? Causes:"#))
        #expect(!result.stderr.contains("?;"))
    }

    @Test("The demo's broken WEB shows the check that found it")
    func websLastCheck() async throws {
        let result = try await demo(["show WEB"])
        #expect(!result.stdout.contains("Last check      never"))
        #expect(result.stdout.contains("token_revoked"))
    }

    @Test("check reports every key given, checks each once, and fails when one could not be checked")
    func checkEveryKey() async throws {
        let partial = try await demo(["check OPS SUP"])
        #expect(partial.status == 1)
        #expect(partial.stdout.contains("SUP") && partial.stdout.contains("healthy"))
        #expect(partial.stdout.contains("OPS   not checked: OPS is not connected"))
        let twice = try await demo(["check SUP SUP"])
        #expect(twice.status == 0)
        #expect(twice.stdout.split(separator: "\n").filter { $0.hasPrefix("SUP") }.count == 1, "\(twice.stdout)")
        let json = try await runRelink(["--fixture", "demo", "--json", "-c", "check OPS SUP"])
        #expect(json.status == 1)
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one document for the command")
        #expect(lines.first?.contains(#""notChecked":[{"key":"OPS""#) == true)
    }
}

/// An error that quotes what the person typed fits the screen (issue 28, finding 4).
@Suite("Errors that fit the screen")
struct LongWordTests {
    @Test(
        "A 20,000-character word comes back shortened to about 40 columns",
        arguments: ["show ", "connect OPS --as ", "check --bogus", "frobnicate ", "settings SUP features.x "])
    func longWords(prefix: String) async throws {
        let word = String(repeating: "Q", count: 20_000)
        let result = try await runRelink(["--fixture", "demo", "-c", prefix + word])
        #expect(result.status != 0)
        // Bools, not the output: a failing expectation would print all 20,000 characters.
        let echoedWhole = result.stderr.contains(String(repeating: "Q", count: 41))
        #expect(!echoedWhole, "\(result.stderr.prefix(200))…")
        let longest = result.stderr.split(separator: "\n").map(\.count).max() ?? 0
        #expect(longest < 300, "a line of \(longest) characters")
    }
}
