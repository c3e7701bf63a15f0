import Foundation
import RelinkCommands
import RelinkCore
import RelinkFixtures
import RelinkStore
import RelinkTestSupport
import Testing

@testable import RelinkCLI

/// Text laid out for the reader's width: at word boundaries, with a hanging indent, never past the
/// width but for a single word longer than a line.
@Suite("Text at 80 and 60 columns")
struct WidthTests {
    @Test(arguments: [80, 60])
    func showAndCheckFitTheWidth(width: Int) throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false))
        try DemoFixture.write(to: store)
        let renderer = TextRenderer(style: Style(colour: false, width: width))
        var text = ""
        for project in try store.projects {
            text += renderer.show(
                SettingsView(project: project, connection: try store.connection(for: project.key)), project: project)
            text += "\n"
        }
        text += renderer.help(nil) + "\n" + renderer.help("connect")
        for line in text.split(separator: "\n") {
            let fits = TerminalText.visibleWidth(line) <= width
            let oneWord = !line.trimmingCharacters(in: .whitespaces).dropFirst(20).contains(" ")
            #expect(fits || oneWord, "\(line)")
        }
        // Words are never cut: the warning's words all survive the wrap.
        let web = try #require(try store.project("WEB"))
        let view = SettingsView(project: web, connection: try store.connection(for: "WEB"))
        let shown = renderer.show(view, project: web).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        .joined(separator: " ")
        for word in (view.warning ?? "").split(separator: " ") { #expect(shown.contains(word)) }
    }
}

@Suite("Tables and lines by display width")
struct DisplayWidthTests {
    @Test("projects aligns its columns by display width: wide characters, emoji and combining marks")
    func projectsColumnsAlignByDisplayWidth() {
        let names = ["東京サポート Grüße 😀", "Cafe\u{301} Support", "Plain"]
        let listings = names.enumerated().map { index, name in
            ProjectListing(
                key: ProjectKey(rawValue: "P\(index)")!, name: name, state: .notConnected, workspace: nil, appUser: nil)
        }
        let lines = TextRenderer(style: Style(colour: false, width: 80)).projects(listings).split(separator: "\n")
        let columns = lines.dropFirst().map { line in
            TerminalText.width(line[..<line.firstIndex(of: "●")!])
        }
        #expect(Set(columns).count == 1, "STATUS starts at one display column: \(columns)")
        #expect(TerminalText.width(lines[0][..<lines[0].range(of: "STATUS")!.lowerBound]) == columns[0])
    }

    @Test("a table too wide for the screen shortens names, wraps its last column, keeps identifiers")
    func tableGivesWayByCell() {
        let table = TextTable(
            headers: ["ID", "NAME", "NOTE"],
            rows: [["tok-0123456789abcdef", String(repeating: "Name ", count: 12), String(repeating: "word ", count: 30)]],
            columns: [.kept, .shortened])
        let lines = table.render(width: 80)
        #expect(lines.allSatisfy { TerminalText.width($0) <= 80 }, "\(lines)")
        #expect(lines[1].hasPrefix("tok-0123456789abcdef  "), "the identifier is whole")
        #expect(lines[1].contains("…"), "the name is shortened")
        #expect(lines.count > 3, "the note wraps under its column")
        let noteColumn = TerminalText.width(lines[0][..<lines[0].range(of: "NOTE")!.lowerBound])
        for line in lines.dropFirst(2) { #expect(line.prefix(noteColumn).allSatisfy { $0 == " " }) }
    }

    @Test("fitted wraps at words; an option keeps its value, a bracket group and old → new stay whole")
    func fittedKeepsUnitsWhole() {
        let usage = "usage: reconnect KEY [--as EMAIL] [--workspace ID] [--allow-workspace-change] [--password PW] [--paste]"
        let lines = TerminalText.fitted(usage, width: 60).split(separator: "\n")
        #expect(lines.count == 2 && lines[1].hasPrefix("       ["), "\(lines)")
        #expect(!lines.contains { $0.hasSuffix("[--password") })
        let example = TerminalText.wrap("mock fault add /me status --status 503 --probability 0.5 --seed 7", width: 58)
        #expect(example.last == "--seed 7", "\(example)")
        let change = TerminalText.wrap("SUP conversationLinking.notificationTriggers.issueAssignmentChanged.enabled: true → false", width: 80)
        #expect(change.last == "true → false", "\(change)")
        // A label's value wraps under itself.
        let labelled = TerminalText.fitted("  redirect-url      " + String(repeating: "long words ", count: 10), width: 60)
        #expect(labelled.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 20)) })
        // A "[" that never closes (a name a person typed) does not glue the rest of the line.
        let unbalanced = TerminalText.wrap("Added EU (Support [EMEA with many more words after it to wrap) on a site", width: 30)
        #expect(unbalanced.count > 2 && unbalanced.allSatisfy { TerminalText.width($0) <= 30 }, "\(unbalanced)")
        // A line that fits keeps its runs of spaces; a word wider than the screen stands alone, whole.
        #expect(TerminalText.fitted("a    b", width: 80) == "a    b")
        let path = "/" + String(repeating: "x", count: 100)
        #expect(TerminalText.fitted("error: \(path) is missing", width: 80).split(separator: "\n").contains { $0.contains(path) })
    }
}

@Suite("Which commands write the store")
struct WritesTheStoreTests {
    @Test("the mock's commands write this store only with the built-in mock; a check always does")
    func mockCommandsWriteOnlyTheBuiltInMocksStore() throws {
        for line in ["break SUP password-changed", "mock reset", "mock fault add /me drop", "mock allowlist acme4sup"] {
            let command = try #require(try CommandParser.parse(line))
            #expect(CommandExecutor.writesTheStore(command, builtInMock: true), "\(line)")
            #expect(!CommandExecutor.writesTheStore(command, builtInMock: false), "\(line) against --endpoint URL")
        }
        for line in ["check SUP", "reconnect SUP", "project add HR People", "settings SUP _version 3"] {
            #expect(CommandExecutor.writesTheStore(try #require(try CommandParser.parse(line)), builtInMock: false))
        }
        for line in ["show SUP", "projects", "mock fault list", "settings SUP", "world", "verify", "ui"] {
            #expect(!CommandExecutor.writesTheStore(try #require(try CommandParser.parse(line))), "\(line)")
        }
    }
}
