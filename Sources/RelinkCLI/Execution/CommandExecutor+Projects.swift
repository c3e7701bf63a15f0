import Foundation
import RelinkCommands
import RelinkCore
import RelinkService
import RelinkStore

#if canImport(Glibc)
    import Glibc
#endif

/// `project add`, `project remove`, `settings`: shaping a case by hand, each change an event in `log`.
extension CommandExecutor {
    func projectCommand(_ command: Command, actor: String) async throws -> String {
        let catalog = ProjectCatalog(store: store)
        switch command {
        case .projectAdd(let key, let name, let site):
            let added = try catalog.add(key, name: name, site: site, actor: actor)
            let view = SettingsView(project: added.project, connection: added.connection)
            return presenter.report(
                "Added \(key) (\(name)) on \(added.project.jiraSite), not connected.",
                document: Documents.ProjectChange(
                    event: added.event, project: Documents.Show(view: view, project: added.project)))
        case .projectRemove(let key, let force):
            let event: ConnectionEvent
            do throws(ServiceError) {
                event = try catalog.remove(key, force: force, actor: actor)
            } catch {
                guard case .catalog(.holdsConnection(_, let state)) = error, interactive, isatty(STDIN_FILENO) == 1
                else { throw error }
                let question =
                    "\(key) is \(state == .broken ? "broken" : "connected"); remove it and forget its "
                    + "token (the app stays installed)?"
                guard try await TerminalInteraction(feedback: feedback, width: style.width).confirm(question) else {
                    // An answer, not a failure: nothing was asked of relink that it could not do.
                    return presenter.message("\(key) kept: nothing was removed.", summary: "kept")
                }
                event = try catalog.remove(key, force: true, actor: actor)
            }
            return presenter.report(
                "Removed \(key); its events stay in log.", document: Documents.ProjectChange(event: event, project: nil)
            )
        case .settings(let key, let path, let value):
            let project = try store.requireProject(key)
            guard let path else {
                let fields = ConnectionConfiguration.settingFields
                let text = Self.settingsLines(
                    fields.map { ($0.path, project.settings.value(of: $0).description) }, width: style.width
                ).joined(separator: "\n")
                return presenter.report(text, document: Documents.Settings(project: project, fields: fields))
            }
            let field = ConnectionConfiguration.settingField(path)!
            guard let value else {
                let text = "\(path)  \(project.settings.value(of: field))"
                return presenter.report(text, document: Documents.Settings(project: project, fields: [field]))
            }
            let (event, before) = try catalog.set(key, field, path: path, to: value, actor: actor)
            let text = "\(key) \(path): \(before) → \(value)"
            return presenter.report(
                text,
                document: Documents.SettingChange(
                    event: event, path: path, before: Documents.Value(before), after: Documents.Value(value)))
        default:
            preconditionFailure("projectCommand runs only the project commands")
        }
    }

    /// Paths and values in two columns for `width`: a path too long for the first column puts its
    /// value on the next line, under the column; a list value wraps after its commas.
    static func settingsLines(_ rows: [(path: String, value: String)], width: Int) -> [String] {
        let column = min((rows.map(\.path.count).max() ?? 0) + 2, width / 2)
        let margin = String(repeating: " ", count: column)
        var lines: [String] = []
        for (path, value) in rows {
            var pieces = [""]
            for item in value.split(separator: ",", omittingEmptySubsequences: false).enumerated().map({
                $0.offset == 0 ? String($0.element) : "," + $0.element
            }) {
                if !pieces[pieces.count - 1].isEmpty, pieces[pieces.count - 1].count + item.count > width - column {
                    pieces.append(String(item.dropFirst()))
                    pieces[pieces.count - 2] += ","
                } else {
                    pieces[pieces.count - 1] += item
                }
            }
            // A path wider than the screen breaks after a dot, its rest indented: the terminal
            // would otherwise cut it anywhere.
            var path = path
            while path.count > width, let dot = path.prefix(width).lastIndex(of: ".") {
                lines.append(String(path[...dot]))
                path = "  " + path[path.index(after: dot)...]
            }
            if path.count + 2 <= column {
                lines.append(path + String(repeating: " ", count: column - path.count) + pieces[0])
            } else {
                lines.append(path)
                lines.append(margin + pieces[0])
            }
            lines += pieces.dropFirst().map { margin + $0 }
        }
        return lines
    }
}
