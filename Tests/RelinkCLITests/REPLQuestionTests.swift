import Foundation
import RelinkStore
import RelinkTestSupport
import Testing

/// What the REPL asks before it replaces or removes what a person cannot get back from relink.
extension REPLTests {
    @Test func theREPLAsksBeforeRemovingAConnectedProjectOrReplacingAStore() async throws {
        let (directory, store, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        let bundle = directory.file("bundle").path
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("project remove SUP\r")
        #expect(await repl.expect("remove it and forget its token (the app stays installed)? [y/N] ", after: mark))
        repl.type("n\r")
        #expect(await repl.expect("SUP kept: nothing was removed.", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(!repl.screen[mark...].contains("error:"), "an answer is not an error: \(repl.screen[mark...])")

        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("export \(bundle)\r")
        #expect(await repl.expect("relink> ", after: mark))
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("project remove SUP\r")
        #expect(await repl.expect("[y/N] ", after: mark))
        repl.type("y\r")
        #expect(await repl.expect("Removed SUP", after: mark), "\(repl.screen[mark...])")

        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("import \(bundle)\r")
        #expect(await repl.expect("holds 3 project(s). Replace everything in it with the bundle", after: mark))
        #expect(await repl.expect("[y/N] ", after: mark))
        repl.type("yes\r")
        #expect(await repl.expect("replacing the store's 3 projects", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expect("relink> ", after: mark))
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput(), "\(repl.screen[mark...])")
        #expect(try Store(directory: URL(fileURLWithPath: store)).project("SUP") != nil, "SUP is back from the bundle")
    }
}
