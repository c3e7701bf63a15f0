import Foundation
import RelinkCore
import RelinkStore

/// Runs commands against one store and renders their results, as text or as JSON documents.
/// The REPL, `-c`, `--script` and standard input all go through `execute`.
final class Session {
    let store: Store
    let json: Bool
    let style: Style
    var renderer: TextRenderer { TextRenderer(style: style) }

    init(store: Store, json: Bool, style: Style) {
        self.store = store
        self.json = json
        self.style = style
    }

    /// Runs one command and returns what to print.
    ///
    /// - Throws: `UsageError` (exit 2) or `CommandFailure` (exit 1).
    func execute(_ command: Command) async throws -> String {
        try store.refresh()
        switch command {
        case .projects:
            let views = store.projects.map { SettingsView(project: $0, connection: store.connection(for: $0.key)) }
            return json ? Documents.render(Documents.ProjectList(projects: views.map(Documents.ProjectSummary.init))) : renderer.projects(views)
        case .show(let key):
            let project = try requireProject(key)
            let view = SettingsView(project: project, connection: store.connection(for: key))
            return json ? Documents.render(Documents.Show(view: view, project: project)) : renderer.show(view, project: project)
        case .log(let key, let limit):
            if let key { _ = try requireProject(key) }
            let events = store.events(for: key, limit: limit)
            return json ? Documents.render(Documents.EventList(events: events)) : renderer.events(events)
        case .help(let topic):
            if json {
                let specs = topic.flatMap(CommandSpec.named).map { [$0] } ?? CommandSpec.all
                return Documents.render(
                    Documents.Help(commands: specs.map { .init(name: $0.name, synopsis: $0.synopsis, summary: $0.summary, details: $0.details) }))
            }
            return renderer.help(topic)
        case .quit:
            return ""
        default:
            throw CommandFailure("this command needs the connection service, which is not built yet")
        }
    }

    /// The project, or a failure that names the closest key.
    func requireProject(_ key: ProjectKey) throws(CommandFailure) -> Project {
        if let project = store.project(key) { return project }
        let suggestion = Suggestion.closest(to: key.rawValue, in: store.projectKeys.map(\.rawValue))
        throw CommandFailure("no project \(key)" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (projects lists them)")
    }
}
