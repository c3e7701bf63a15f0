import Foundation
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
