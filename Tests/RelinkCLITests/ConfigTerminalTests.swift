import Foundation
import RelinkTestSupport
import Testing

/// `config set client-secret` at a terminal: the prompt does not echo, and no line that carries
/// the secret reaches the screen's output or the history file.
@Suite("config at a terminal")
struct ConfigTerminalTests {
    static let secret = "fake-typed-secret-Wq3"

    @Test func theSecretIsTypedAtAPromptThatDoesNotEcho() async throws {
        let (directory, store, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        #expect(await repl.expectEditing())

        repl.type("config set client-secret\r")
        #expect(await repl.expect("client-secret (not shown): "), "\(repl.screen)")
        #expect(await repl.expectEchoOff(), "the prompt must turn echo off before the secret is typed")
        let mark = repl.mark
        repl.type(Self.secret + "\r")
        #expect(await repl.expect("client-secret: [redacted] (store).", after: mark), "\(repl.screen)")
        #expect(!repl.screen.contains(Self.secret))

        #expect(await repl.expectEditing())
        repl.type("config set client-secret also-\(Self.secret)\r")
        #expect(await repl.expect("is never given on the command line"), "\(repl.screen)")
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())

        let history = (try? String(contentsOfFile: store + "/history", encoding: .utf8)) ?? ""
        #expect(history.contains("config set client-secret"))
        #expect(!history.contains(Self.secret), "\(history)")
    }
}
