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

    @Test("config set region, a setting's true or false, and export's paths complete; a directory takes no space")
    func valuesThatDependOnTheWordsBefore() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }
        let cases = directory.file("customer-cases")
        try FileManager.default.createDirectory(at: cases.appendingPathComponent("acme-2026"), withIntermediateDirectories: true)

        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("config set region e\t")
        // libedit redraws the line's end: the screen gets the completed rest of the word.
        #expect(await repl.expect("u ", after: mark), "\(repl.screen[mark...])")
        repl.type("\r")
        #expect(await repl.expect("region: eu (store)", after: mark), "\(repl.screen[mark...])")

        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("settings SUP conversationLinking.enabled f\t")
        #expect(await repl.expect("alse ", after: mark), "\(repl.screen[mark...])")
        repl.type("\r")
        #expect(await repl.expect("true → false", after: mark), "\(repl.screen[mark...])")

        // The directory completes to its "/", then the name inside it; Enter exports there.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("export \(cases.path.dropLast(3))\t")
        #expect(await repl.expect("ses/", after: mark), "\(repl.screen[mark...])")
        repl.type("acme\t")
        #expect(await repl.expect("-2026/", after: mark), "\(repl.screen[mark...])")
        repl.type("bundle\r")
        #expect(await repl.expect("redacted.", after: mark), "\(repl.screen[mark...])")
        #expect(FileManager.default.fileExists(atPath: cases.path + "/acme-2026/bundle/manifest.json"))
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())
    }
}
