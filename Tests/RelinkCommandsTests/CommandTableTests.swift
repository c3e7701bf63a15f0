import Foundation
import RelinkCore
import Testing

@testable import RelinkCommands

@Suite("The command table")
struct CommandTableTests {
    @Test("Every command's examples parse to that command, and together they use every option")
    func examplesParse() throws {
        for spec in CommandTable.all {
            #expect(!spec.examples.isEmpty, "\(spec.name) has no example")
            var used: Set<String> = []
            for example in spec.examples {
                let words = try Words.split(example)
                #expect(try CommandTable.spec(for: words).0.name == spec.name, "\(example)")
                #expect(try CommandParser.parse(example) != nil, "\(example)")
                used.formUnion(words.filter { $0.hasPrefix("--") })
            }
            for option in spec.options {
                #expect(used.contains(option.name), "no example of \(spec.name) uses \(option.name)")
            }
        }
    }

    @Test("Every usage line names the command's positionals and options, and help renders it")
    func usageAndHelp() {
        for spec in CommandTable.all {
            let synopsis = spec.synopsis
            #expect(synopsis.hasPrefix(spec.name))
            for positional in spec.positionals { #expect(synopsis.contains(positional.placeholder)) }
            for option in spec.options { #expect(synopsis.contains(option.name)) }
            let help = HelpFormatter(width: 80).topic(spec.name)
            #expect(help.contains(spec.summary.split(separator: " ").prefix(3).joined(separator: " ")))
            #expect(help.contains("usage: \(spec.name)"))
        }
    }

    @Test("Help fits the width it is given", arguments: [80, 60])
    func helpFitsTheWidth(width: Int) {
        let formatter = HelpFormatter(width: width)
        let texts = [formatter.overview()] + CommandTable.all.map { formatter.topic($0.name) }
        for line in texts.joined(separator: "\n").split(separator: "\n") {
            // A single word longer than the width (a long example) is the only excuse.
            #expect(line.count <= width || !line.trimmingCharacters(in: .whitespaces).contains(" "), "\(line)")
        }
    }

    /// `help` and every `help COMMAND` at 80 columns, as a person reads them. Re-record on purpose
    /// with RELINK_RECORD=1 and review the diff.
    @Test("Help at 80 columns matches its golden file")
    func goldenHelp() throws {
        let formatter = HelpFormatter(width: 80)
        let text =
            ([formatter.overview()] + CommandTable.all.map { formatter.topic($0.name) })
            .joined(separator: "\n\n----\n\n") + "\n"
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Golden/help-80.txt")
        if ProcessInfo.processInfo.environment["RELINK_RECORD"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        let differing = zip(
            text.split(separator: "\n", omittingEmptySubsequences: false),
            expected.split(separator: "\n", omittingEmptySubsequences: false)
        ).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(
            text == expected,
            "first difference at line \((differing?.offset ?? 0) + 1): \(differing.map { "\"\($0.element.0)\" ≠ \"\($0.element.1)\"" } ?? "length")"
        )
    }

    @Test("help names every command; help of a group names each of its commands")
    func helpCommand() throws {
        #expect(try CommandParser.parse("help mock") == .help("mock"))
        #expect(try CommandParser.parse("help mock fault add") == .help("mock fault add"))
        let group = HelpFormatter().topic("mock")
        for name in ["world", "mock fault add", "mock fault list", "mock fault clear", "mock journal", "mock reset"] {
            #expect(group.contains("  \(name)  "), "\(name)")
        }
        #expect(group.contains("relink mock serve"), "help mock says where the standalone mock's help is")
        let detail = HelpFormatter().topic("mock fault")
        for name in ["mock fault add", "mock fault list", "mock fault clear"] {
            #expect(detail.contains("usage: \(name)"))
        }
    }

    @Test("help fits a 24-row, 80-column screen, groups every command once, and says where the rest is")
    func helpOverviewFitsAScreen() throws {
        let overview = HelpFormatter(width: 80).overview()
        let lines = overview.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 23, "one row is the prompt's")
        #expect(lines.allSatisfy { TerminalText.width($0) <= 80 })
        let grouped = CommandTable.groups.flatMap(\.commands).map(\.name)
        #expect(grouped == CommandTable.all.map(\.name), "every command is in exactly one group, in order")
        for group in CommandTable.groups {
            #expect(lines.contains { $0.hasPrefix("  \(group.keyword)  ") })
            #expect(try CommandParser.parse("help \(group.keyword)") == .help(group.keyword))
            let listing = HelpFormatter(width: 80).topic(group.keyword)
            for command in group.commands { #expect(listing.contains("  \(command.name)  "), "\(command.name)") }
        }
        for pointer in ["help GROUP", "help COMMAND", "help all", "relink --help", "relink mock serve --help"] {
            #expect(overview.replacingOccurrences(of: "\n", with: " ").contains(pointer), "\(pointer)")
        }
        let all = HelpFormatter(width: 80).topic("all")
        for command in CommandTable.all { #expect(all.contains("  \(command.name)  "), "\(command.name)") }
        #expect(throws: UsageError.self) { try CommandParser.parse("help groups-of-nothing") }
    }

    @Test("A group without its next word says which words may follow")
    func groups() {
        #expect(throws: UsageError.self) { try CommandParser.parse("mock") }
        do {
            _ = try CommandParser.parse("mock fault explode")
        } catch {
            #expect(error.message == #"mock fault: expected add, list or clear, not "explode""#)
        }
    }

    @Test("Completion offers a value that depends on the words before it, and paths from its source")
    func completionInContext() {
        let completion = Completion(values: { _ in [] }, paths: { word in ["\(word)a/", "\(word)b.json"] })
        #expect(completion.candidates(line: "config set region ", word: "") == ["au", "eu", "us"])
        #expect(completion.candidates(line: "config set REGION e", word: "e") == ["eu"])
        #expect(completion.candidates(line: "config set client-id ", word: "").isEmpty)
        #expect(completion.candidates(line: "settings SUP conversationLinking.enabled ", word: "") == ["false", "true"])
        #expect(completion.candidates(line: "settings SUP _version ", word: "").isEmpty)
        #expect(completion.candidates(line: "export /tmp/x", word: "/tmp/x") == ["/tmp/xa/", "/tmp/xb.json"])
        #expect(completion.candidates(line: "import ", word: "").contains("a/"))
    }

    @Test("Completion offers commands, then each word's values from the table")
    func completion() {
        let completion = Completion { kind in
            switch kind {
            case .projectKey: ["BUG", "SUP"]
            case .email: ["alice@acme.test", "bob@acme.test"]
            case .workspace: ["acme4sup", "acmeeu01"]
            default: []
            }
        }
        #expect(completion.candidates(line: "sh", word: "sh") == ["show"])
        #expect(completion.candidates(line: "show ", word: "") == ["BUG", "SUP"])
        #expect(completion.candidates(line: "break SUP ", word: "") == BreakCause.allCases.map(\.rawValue).sorted())
        #expect(completion.candidates(line: "connect OPS --as ", word: "") == ["alice@acme.test", "bob@acme.test"])
        #expect(completion.candidates(line: "connect OPS --workspace a", word: "a") == ["acme4sup", "acmeeu01"])
        #expect(
            completion.candidates(line: "mock ", word: "") == [
                "allowlist", "conversation", "fault", "journal", "reset",
            ])
        #expect(completion.candidates(line: "mock fault ", word: "") == ["add", "clear", "list"])
        #expect(completion.candidates(line: "mock fault add /me ", word: "").contains("rate_limit"))
        #expect(completion.candidates(line: "reconnect SUP --allow", word: "--allow") == ["--allow-workspace-change"])
        #expect(completion.candidates(line: "check SUP ", word: "").contains("BUG"))
    }
}
