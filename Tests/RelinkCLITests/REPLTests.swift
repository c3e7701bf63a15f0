import Foundation
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drives the REPL as a person would, through a pseudo-terminal: libedit editing, tab
/// completion, Ctrl-R, Ctrl-C, history kept with mode 0600 and without secrets.
@Suite("The REPL on a terminal")
struct REPLTests {
    /// A copy of the demo fixture and the environment of a plain terminal, without colour.
    func demoTerminal() throws -> (TemporaryDirectory, String, [String: String]) {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["NO_COLOR"] = "1"
        environment["HOME"] = directory.url.path
        return (directory, store, environment)
    }

    @Test func completionHistoryReverseSearchAndInterrupt() throws {
        let (directory, store, environment) = try demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        // relink runs under a shell that prints its exit status on the terminal: other tests spawn
        // processes too, and a reaper of theirs may collect relink before this test could.
        let shell = URL(fileURLWithPath: "/bin/sh")
        let script = #"trap '' INT; "$0" "$@"; echo "relink exit status $?""#
        let repl = try PseudoTerminalSession(
            shell, ["-c", script, try relinkExecutable().path, "--store", store], environment: environment)
        #expect(repl.expect("relink> "), "no prompt: \(repl.screen)")

        // Tab completes the command, then the project key: "sh⇥SU⇥⏎" runs `show SUP`. (libedit
        // echoes only what completion adds, so the effect is what is checked.)
        var mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("sh\t")
        #expect(repl.expect("ow ", after: mark))
        #expect(repl.expectEditing())
        repl.type("SU\t")
        #expect(repl.expect("P", after: mark))
        #expect(repl.expectEditing())
        repl.type("\r")
        #expect(repl.expect("Customer Support", after: mark), "\(repl.screen)")
        #expect(!repl.screen[mark...].contains("unknown command"))
        // Type only at a prompt: between prompts the terminal is in cooked mode, where the line
        // discipline itself would take Ctrl-R and Ctrl-C.
        #expect(repl.expect("relink> ", after: mark))

        // A line with a password runs but is never written to history.
        mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("connect OPS --as bob@acme.test --password fake-password-bob\r")
        #expect(repl.expect("Connected to Acme Support", after: mark), "\(repl.screen)")
        #expect(repl.expect("relink> ", after: mark))

        // Ctrl-R finds the earlier `show SUP`.
        mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("\u{12}")
        #expect(repl.expect("bck:", after: mark), "libedit's reverse-search prompt")
        #expect(repl.expectEditing())
        repl.type("show S")
        #expect(repl.expect("show SUP", after: mark))
        #expect(repl.expectEditing())
        repl.type("\r")
        #expect(repl.expect("Customer Support", after: mark), "\(repl.screen)")
        #expect(repl.expect("relink> ", after: mark))

        // Ctrl-C abandons the line: it is not run, and a new prompt follows.
        mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("revoke SUP")
        #expect(repl.expectEditing())
        repl.type("\u{3}")
        #expect(repl.expect("relink> ", after: mark))
        let abandoned = mark
        mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("show SUP\r")
        #expect(repl.expect("Actions", after: mark))
        #expect(repl.expect("relink> ", after: mark))
        #expect(!repl.screen[abandoned...].contains("Not connected to Intercom"), "the abandoned revoke ran")

        // Ctrl-D on an empty line leaves, with exit status 0.
        mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("\u{4}")
        #expect(repl.expect("relink exit status 0", after: mark), "\(repl.screen[mark...])")

        let history = URL(fileURLWithPath: store).appendingPathComponent("history")
        let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["show SUP", "show SUP", "show SUP"])
        #expect(!lines.joined().contains("fake-password-bob"))
        let mode = try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// SIGTERM at the prompt ends relink with the terminal back in line mode, not left raw.
    @Test func theTerminalIsRestoredWhenRelinkIsTerminated() throws {
        let (directory, store, environment) = try demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        let repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
        #expect(repl.expect("relink> "), "no prompt: \(repl.screen)")
        #expect(repl.expectEditing())
        repl.type("show SU")
        #expect(repl.expect("show SU"))
        #expect(repl.expectEditing(), "libedit edits in raw mode")
        kill(repl.pid, SIGTERM)
        #expect(repl.expectEndOfOutput(), "relink did not end on SIGTERM")
        #expect(repl.isCanonical, "the terminal was left in raw mode")
    }

    /// `check --all` on a terminal draws a progress bar on standard error, then clears it.
    @Test func checkAllShowsProgressOnATerminal() throws {
        let (directory, store, environment) = try demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        let repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
        #expect(repl.expect("relink> "))
        let mark = repl.mark
        #expect(repl.expectEditing())
        repl.type("check --all\r")
        #expect(repl.expect("Checked 3:", after: mark), "\(repl.screen[mark...])")
        #expect(repl.screen[mark...].contains("3/3 checked"))
        #expect(repl.screen[mark...].contains("\r\u{1B}[K"), "the bar is cleared before the results")
        #expect(repl.expect("relink> ", after: mark))
        #expect(repl.expectEditing())
        repl.type("quit\r")
        #expect(repl.expectEndOfOutput())
    }
}
