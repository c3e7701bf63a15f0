import Foundation
import RelinkCommands
import RelinkCore
import Testing

/// Every screen relink draws on an 80-column terminal fits it: tables wrap or shorten by cell,
/// lines wrap at words, and the terminal never breaks a word.
@Suite("Every command's screen at 80 columns")
struct ScreenWidthTests {
    /// A name as long as a person might give, with wide characters, an emoji and combining marks.
    static let longName = "東京サポート Grüße 😀 Customer Support for the Asia-Pacific Region and Everyone Else"

    /// One line per command of the table (and each `help` topic), on the demo, then on a project
    /// with a long name; every command's words appear, so a new command must be added here.
    static let script: [String] = [
        "help", "help all", "help connections", "help mock", "help work", "help cases", "help real-api",
        "help repl",
    ] + CommandTable.all.map { "help \($0.name)" } + [
        "projects", "show SUP", "show WEB", "show OPS", "log", "world", "mock journal",
        "mock fault add /me latency --latency-ms 1 --times 1", "mock fault list", "check SUP --deep",
        "mock fault clear", "break BUG password-changed", "check --all", "check", "reconnect BUG",
        "app-user SUP --as alice@acme.test", "revoke WEB", "connect WEB --as bob@acme.test", "links",
        "link SUP-12 1003", "unlink SUP-12 1003",
        "comment SUP-12 The fix ships on Friday, after the release train that leaves at noon has gone",
        "assign SUP-40 alice@acme.test", "transition SUP-40 Done", "mock allowlist acme4sup",
        "comment SUP-12 A second note that waits in the outbox while the allowlist refuses this machine",
        "outbox", "outbox deliver", "mock allowlist acme4sup --off", "outbox deliver", "outbox discard SUP",
        "mock conversation 1001", "settings SUP", "settings SUP conversationLinking.enabled false",
        "settings SUP conversationLinking.notificationTriggers.issueCommented.filterEnabled true",
        "verify", "config", "config set region eu", "config unset region",
        "project add LONG \(longName)", "connect LONG --as bob@acme.test --workspace acmeeu01",
        "link LONG-1 1001", "comment LONG-1 Ein Kommentar mit Umlauten: äöü, und 中文字符 im Text",
        "projects", "show LONG", "break LONG user-removed", "check LONG", "show LONG", "log LONG", "world",
        "outbox LONG", "project remove LONG --force", "project remove OPS", "export EXPORT", "mock reset",
        "show zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        "reconnect SUP --as alice@acme.test --passwrd x", "mock fault add /me latency --latency-ms x",
        "nonsense command", "ui --read-only", "import IMPORT",
    ]

    @Test("every command, on the demo and with long names, prints no line wider than 80 columns")
    func everyScreenFits() async throws {
        let (directory, store, environment) = try await demoTerminal()
        let exportDirectory = directory.file("export with a long name for the bundle of the case").path
        let lines = Self.script.map {
            $0.replacingOccurrences(of: "EXPORT", with: "\"\(exportDirectory)\"")
                .replacingOccurrences(of: "IMPORT", with: "\"\(exportDirectory)\" --replace")
        }
        let scriptFile = directory.file("every-command.relink")
        try lines.joined(separator: "\n").write(to: scriptFile, atomically: true, encoding: .utf8)
        // The table's every command is in the script, by its words.
        for spec in CommandTable.all where spec.name != "quit" && spec.name != "help" {
            #expect(Self.script.contains { $0.hasPrefix(spec.name + " ") || $0 == spec.name }, "\(spec.name)")
        }
        let session = try PseudoTerminalSession(
            try relinkExecutable(), ["--store", store, "--keep-going", "--script", scriptFile.path],
            environment: environment, columns: 80)
        let status = await session.waitForExit(within: 120)
        #expect(status != nil, "relink did not finish: \(session.screen.suffix(2000))")
        let screen = session.screen
        // Each command ran: the long name's screens and the last error are there.
        #expect(screen.contains("東京サポート"))
        #expect(screen.contains("unknown command"))
        var checked = 0
        for line in screen.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            // The waiting counter redraws itself with \r; the screen keeps what was drawn last.
            let shown = line.split(separator: "\r", omittingEmptySubsequences: false).last ?? line
            #expect(TerminalText.visibleWidth(shown) <= 80, "\(TerminalText.visibleWidth(shown)) columns: \(shown)")
            checked += 1
        }
        #expect(checked > 500, "the script printed its screens")
    }

    @Test("a confirmation at 80 columns keeps [y/N] whole, and n keeps the project")
    func confirmationFits() async throws {
        // The directory is held to the end: it is deleted with its last reference.
        let (directory, store, environment) = try await demoTerminal()
        defer { withExtendedLifetime(directory) {} }
        let added = try await runRelink([
            "--store", store, "-c", "project add LONG \(Self.longName)", "-c", "connect LONG --as alice@acme.test",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let repl = try PseudoTerminalSession(try relinkExecutable(), ["--store", store], environment: environment, columns: 80)
        #expect(await repl.expect("relink> "))
        repl.type("project remove LONG\r")
        #expect(await repl.expect("[y/N] "), "\(repl.screen)")
        repl.type("n\r")
        #expect(await repl.expect("nothing was removed"), "\(repl.screen)")
        for line in repl.screen.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            #expect(TerminalText.visibleWidth(line) <= 80, "\(line)")
        }
        repl.type("quit\r")
        #expect(await repl.waitForExit() == 0)
    }
}
