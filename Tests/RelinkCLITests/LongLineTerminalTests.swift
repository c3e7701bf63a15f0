import Foundation
import RelinkTestSupport
import Testing

/// Issue 28's finding that held: input lines of 1,000 to 20,000 characters typed at the REPL on a
/// terminal are answered, with the word shortened in the error, and the REPL stays up. No timing
/// is asserted; every wait is bounded.
@Suite("Long lines at the REPL")
struct LongLineTerminalTests {
    @Test func linesOfOneThousandToTwentyThousandCharactersAreAnswered() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }
        for length in [1_000, 5_000, 20_000] {
            let mark = repl.mark
            #expect(await repl.expectEditing())
            let line = Array("show " + String(repeating: "Q", count: length))
            // In pieces smaller than the terminal's input queue, reading what libedit echoes in
            // between, so that neither side of the terminal fills and blocks the other.
            for start in stride(from: 0, to: line.count, by: 2048) {
                repl.type(String(line[start..<min(start + 2048, line.count)]))
                _ = await repl.expect("\u{0}", after: mark, within: 0.05)
            }
            repl.type("\r")
            #expect(await repl.expect("error", after: mark), "no answer to a \(length)-character line")
            let answer = try #require(repl.screen[mark...].range(of: "error")).lowerBound
            #expect(await repl.expect("relink> ", after: answer), "no prompt after a \(length)-character line")
            // Everything between the error and the next prompt: on a terminal the message is fitted
            // to the width, so a word quoted whole would stand on lines of its own after the first.
            let prompt = repl.screen[answer...].range(of: "relink> ")?.lowerBound ?? repl.screen.endIndex
            let message = repl.screen[answer..<prompt].replacingOccurrences(of: "\r\n", with: "")
                .replacingOccurrences(of: "\n", with: "")
            #expect(!message.contains(String(repeating: "Q", count: 41)), "the error quotes the word whole")
            #expect(message.contains("Q…"), "the word is quoted, shortened: \(message.prefix(300))")
        }
    }
}
