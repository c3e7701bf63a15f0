import Foundation
import IntercomMockStore
import IntercomMockWorld
import RelinkStore
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drives the REPL as a person would, through a pseudo-terminal: libedit editing, tab
/// completion, Ctrl-R, Ctrl-C, history kept with mode 0600 and without secrets.
@Suite("The REPL on a terminal")
struct REPLTests {
    @Test func completionHistoryReverseSearchAndInterrupt() async throws {
        let (directory, store, environment) = try await demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        // relink runs under a shell that prints its exit status on the terminal: other tests spawn
        // processes too, and a reaper of theirs may collect relink before this test could.
        let shell = URL(fileURLWithPath: "/bin/sh")
        let script = #"trap '' INT; "$0" "$@"; echo "relink exit status $?""#
        let repl = try PseudoTerminalSession(
            shell, ["-c", script, try relinkExecutable().path, "--store", store], environment: environment)
        #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")

        // Tab completes the command, then the project key: "sh⇥SU⇥⏎" runs `show SUP`. (libedit
        // echoes only what completion adds, so the effect is what is checked.)
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("sh\t")
        #expect(await repl.expect("ow ", after: mark))
        #expect(await repl.expectEditing())
        repl.type("SU\t")
        #expect(await repl.expect("P", after: mark))
        #expect(await repl.expectEditing())
        repl.type("\r")
        #expect(await repl.expect("Customer Support", after: mark), "\(repl.screen)")
        #expect(!repl.screen[mark...].contains("unknown command"))
        // Type only at a prompt: between prompts the terminal is in cooked mode, where the line
        // discipline itself would take Ctrl-R and Ctrl-C.
        #expect(await repl.expect("relink> ", after: mark))

        // A line with a password runs but is never written to history.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("connect OPS --as bob@acme.test --password fake-password-bob\r")
        #expect(await repl.expect("Connected to Acme Support", after: mark), "\(repl.screen)")
        #expect(await repl.expect("relink> ", after: mark))

        // A password after a misspelled option is refused, and neither echoed nor kept (issue 28).
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("reconnect SUP --as alice@acme.test --pasword hunter2-secret-A\r")
        #expect(await repl.expect("did you mean --password?", after: mark), "\(repl.screen)")
        #expect(await repl.expect("relink> ", after: mark))
        // What relink printed: everything after the line as typed.
        let answered = repl.screen[mark...].split(separator: "\n", maxSplits: 1).dropFirst().joined()
        #expect(!answered.contains("secret-A"), "echoed: \(answered)")

        // Ctrl-R finds the earlier `show SUP`.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("\u{12}")
        #expect(await repl.expect("bck:", after: mark), "libedit's reverse-search prompt")
        #expect(await repl.expectEditing())
        repl.type("show S")
        #expect(await repl.expect("show SUP", after: mark))
        #expect(await repl.expectEditing())
        repl.type("\r")
        #expect(await repl.expect("Customer Support", after: mark), "\(repl.screen)")
        #expect(await repl.expect("relink> ", after: mark))

        // A failed search, cancelled (Ctrl-G, then Ctrl-C on the line), leaves Ctrl-R working:
        // the next search finds, without a line entered in between.
        for cancel in ["\u{7}", "\u{3}"] {
            mark = repl.mark
            #expect(await repl.expectEditing())
            repl.type("\u{12}no-such-command-in-history")
            #expect(await repl.expect("bck?", after: mark), "the search fails: \(repl.screen[mark...])")
            repl.type(cancel)
            if cancel == "\u{3}" { #expect(await repl.expect("relink> ", after: mark)) }
            #expect(await repl.expectEditing())
            repl.type("\u{15}")  // Ctrl-U: an empty line, whatever the cancel left
            let search = repl.mark
            repl.type("\u{12}show S")
            #expect(await repl.expect("show SUP", after: search), "\(repl.screen[search...])")
            repl.type("\u{7}\u{15}")
        }

        // Ctrl-C abandons the line: it is not run, and a new prompt follows.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("revoke SUP")
        #expect(await repl.expectEditing())
        repl.type("\u{3}")
        #expect(await repl.expect("relink> ", after: mark))
        let abandoned = mark
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("show SUP\r")
        #expect(await repl.expect("Actions", after: mark))
        #expect(await repl.expect("relink> ", after: mark))
        #expect(!repl.screen[abandoned...].contains("Not connected to Intercom"), "the abandoned revoke ran")

        // Ctrl-D on an empty line leaves, with exit status 0.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("\u{4}")
        #expect(await repl.expect("relink exit status 0", after: mark), "\(repl.screen[mark...])")

        let history = URL(fileURLWithPath: store).appendingPathComponent("history")
        let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["show SUP", "show SUP", "show SUP"])
        #expect(!lines.joined().contains("fake-password-bob"))
        #expect(!lines.joined().contains("hunter2"))
        let mode = try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// Keys typed right after Ctrl-C belong to the next line, and keys typed before it are
    /// abandoned with the line, even when all arrive in one write: Ctrl-C is read in order with
    /// the keys, not raised as a signal that overtakes or trails them.
    @Test func ctrlCAbandonsExactlyTheKeysBeforeIt() async throws {
        let (directory, store, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("revoke SUP\u{3}show SUP\r")
        #expect(await repl.expect("^C", after: mark))
        #expect(await repl.expect("Actions", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(!repl.screen[mark...].contains("Not connected to Intercom"), "the abandoned revoke ran")
        // A second Ctrl-C at an empty prompt does nothing but give a new prompt.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("\u{3}\u{3}quit\r")
        #expect(await repl.expectEndOfOutput(), "\(repl.screen[mark...])")
        let history = URL(fileURLWithPath: store).appendingPathComponent("history")
        let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["show SUP", "quit"])
    }

    /// Ctrl-C while a command waits on Intercom (a 60 s latency fault) cancels it: the prompt is
    /// back within 5 s, the check says it was interrupted and records nothing, and relink goes on.
    @Test func ctrlCStopsARunningCommand() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("mock fault add /me latency --latency-ms 60000\r")
        #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("check SUP\r")
        #expect(await repl.expectCommandRunning())
        let clock = ContinuousClock()
        let pressed = clock.now
        repl.type("\u{3}")
        #expect(await repl.expect("relink> ", after: mark, within: 5), "\(repl.screen[mark...])")
        let elapsed = clock.now - pressed
        print("Ctrl-C to prompt: \(elapsed)")
        #expect(elapsed < .seconds(5))
        #expect(repl.screen[mark...].contains("interrupted: checked 0 of 1; not checked (left as they were): SUP"))
        // A second Ctrl-C at the prompt is harmless, and relink goes on.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("\u{3}")
        #expect(await repl.expect("relink> ", after: mark))
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("log SUP\r")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(!repl.screen[mark...].contains("relink check"), "the interrupted check was recorded")
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput(within: 5), "quitting waited for the mock's sleeping answer")
    }

    /// Non-ASCII typed at the prompt arrives whole (`show SÜP` names SÜP), completes (an email
    /// with accents), goes to history as UTF-8 and comes back from it in the next session; a
    /// malformed byte reads as U+FFFD. Under a UTF-8 locale and under plain C alike.
    @Test(arguments: ["C.UTF-8", "C"])
    func nonASCIIInput(locale: String) async throws {
        var (directory, store, environment) = try await demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        environment["LC_ALL"] = locale
        try Store(directory: URL(fileURLWithPath: store, isDirectory: true)).updateWorld { world in
            world.addTeammate(
                id: "9001", email: "zoë.ünal@acme.test", name: "Zoë Ünal", password: "fake-password-zoë",
                workspaces: [world.workspaces[0].idCode])
        }
        var repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
        #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("show SÜP\r")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(repl.screen[mark...].contains("SÜP"), "\(repl.screen[mark...])")
        #expect(!repl.screen[mark...].contains("no project SP"))
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("show 日本\r")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(repl.screen[mark...].contains("日本"), "\(repl.screen[mark...])")

        // Tab completes the accented email; the command receives it whole.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("app-user SUP --as zo\t")
        #expect(await repl.expect("ë.ünal@acme.test", after: mark), "\(repl.screen[mark...])")
        #expect(await repl.expectEditing())
        repl.type(" --password fake-password-zoë\r")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(repl.screen[mark...].contains("Zoë Ünal"), "\(repl.screen[mark...])")

        // A lone lead byte, then an ASCII key: U+FFFD, and the key is kept.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type(bytes: Array("show ".utf8) + [0xE6] + Array("X\r".utf8))
        #expect(await repl.expect("relink> ", after: mark))
        #expect(repl.screen[mark...].contains("\u{FFFD}X"), "\(repl.screen[mark...])")
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())

        let history = URL(fileURLWithPath: store).appendingPathComponent("history")
        let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["show SÜP", "show 日本", "show \u{FFFD}X", "quit"])

        // The next session recalls the non-ASCII lines from history: Up twice, then Enter.
        repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
        #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("\u{1B}[A\u{1B}[A\u{1B}[A")
        #expect(await repl.expect("日本", after: mark))
        #expect(await repl.expectEditing())
        repl.type("\r")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(repl.screen[mark...].contains("no project 日本") || repl.screen[mark...].contains("日本"))
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())
    }

    /// SIGTERM at the prompt ends relink with the terminal back in line mode, not left raw.
    @Test func theTerminalIsRestoredWhenRelinkIsTerminated() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        #expect(await repl.expectEditing())
        repl.type("show SU")
        #expect(await repl.expect("show SU"))
        #expect(await repl.expectEditing(), "libedit edits in raw mode")
        kill(repl.pid, SIGTERM)
        #expect(await repl.expectEndOfOutput(), "relink did not end on SIGTERM")
        #expect(repl.isCanonical, "the terminal was left in raw mode")
    }

    /// `check --all` on a terminal draws a progress bar on standard error, then clears it.
    @Test func checkAllShowsProgressOnATerminal() async throws {
        let (directory, store, environment) = try await demoTerminal()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        let repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment)
        #expect(await repl.expect("relink> "))
        let mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("check --all\r")
        #expect(await repl.expect("Checked 3:", after: mark), "\(repl.screen[mark...])")
        #expect(repl.screen[mark...].contains("3/3 checked"))
        #expect(repl.screen[mark...].contains("\r\u{1B}[K"), "the bar is cleared before the results")
        #expect(await repl.expect("relink> ", after: mark))
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput())
    }
}
