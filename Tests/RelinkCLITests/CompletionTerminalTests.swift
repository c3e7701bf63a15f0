import Foundation
import RelinkTestSupport
import Testing

/// Tab completes the values of options, not only their names: the teammate after --as, the
/// workspace after --workspace (read from the table's value kinds and the store's world).
@Suite("Tab completion of option values on a terminal")
struct CompletionTerminalTests {
    @Test func emailsAndWorkspacesComplete() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends

        // "--as al⇥" completes alice@acme.test: the connect then runs as alice.
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("connect OPS --as al\t")
        #expect(await repl.expect("ice@acme.test", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expectEditing())
        repl.type("\r")
        #expect(await repl.expect("Connected to Acme Support", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expect("relink> ", after: mark))

        // "--workspace acme4⇥" completes the workspace id, not "--".
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("reconnect OPS --workspace acme4\t")
        #expect(await repl.expect("sup", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expectEditing())
        repl.type("\r")
        #expect(await repl.expect("reconnected", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())
    }
}
