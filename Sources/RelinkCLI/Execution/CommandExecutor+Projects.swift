import Foundation
import RelinkCommands
import RelinkCore
import RelinkStore

#if canImport(Glibc)
    import Glibc
#endif

/// `project add`, `project remove`, `settings`: shaping a case by hand, each change an event in `log`.
extension CommandExecutor {
    func projectCommand(_ command: Command, actor: String) async throws -> String {
        let now = Timestamp.rounded(Date())
        switch command {
        case .projectAdd(let key, let name, let site):
            // Every project is read only when no site was given.
            let sites = site == nil ? Set(try store.projects.map(\.jiraSite)) : []
            guard let site = site ?? (sites.count == 1 ? sites.first : nil) else {
                throw CommandFailure(
                    "which Jira site? the store's projects \(sites.isEmpty ? "name none" : "are on several"); "
                        + "add --site SITE")
            }
            var project = Project(key: key, name: name, jiraSite: site)
            // Added again after a removal: its outbox serials go on where the removed project's
            // stopped, so a note posted before (its marker `[relink KEY.N]` still in the
            // conversation) is never taken for a new item's by a delivery looking for its own.
            let removed = try store.lastEvent(.projectRemoved, for: key)
            if let serial = removed?.outboxSerial {
                guard (0...Project.maximumOutboxSerial).contains(serial) else {
                    throw CommandFailure(
                        "the log's last removal of \(key) records outbox serial \(serial), out of range (0 to "
                            + "\(Project.maximumOutboxSerial)); was the store edited by hand? nothing was added")
                }
                project.outboxSerial = serial
            }
            let event = ConnectionEvent(
                at: now, project: key, kind: .projectAdded, from: .notConnected, to: .notConnected,
                actor: actor,
                detail: "\"\(name)\" on \(site)"
                    + (project.outboxSerial > 0 ? "; outbox serials go on after \(key).\(project.outboxSerial)" : ""))
            try store.update { transaction in
                guard try transaction.project(key) == nil else { throw CommandFailure("project \(key) exists already") }
                transaction.put(project)
                transaction.record(event)
            }
            let view = SettingsView(project: project, connection: try store.connection(for: key))
            return presenter.report(
                "Added \(key) (\(name)) on \(site), not connected.",
                document: Documents.ProjectChange(event: event, project: Documents.Show(view: view, project: project)))
        case .projectRemove(let key, let force):
            _ = try requireProject(key)
            let connection = try store.connection(for: key)
            var force = force
            if connection.state.authorization != nil, !force {
                let question =
                    "\(key) is \(connection.state.name == .broken ? "broken" : "connected"); remove it and forget its "
                    + "token (the app stays installed)?"
                guard interactive, isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure(
                        "\(key) holds a connection; revoke \(key) first, or add --force to remove it anyway")
                }
                guard TerminalInteraction().confirm(question) else { throw CommandFailure("\(key) kept") }
                force = true
            }
            let event = try store.update { transaction in
                let current = try transaction.connection(for: key)
                let serial = try transaction.project(key)?.outboxSerial ?? 0
                if let tokenID = current.state.authorization?.tokenID { transaction.forgetToken(id: tokenID) }
                transaction.deleteProject(key)
                let event = ConnectionEvent(
                    at: now, project: key, kind: .projectRemoved, from: current.state.name, to: .notConnected,
                    workspace: current.state.authorization?.workspace,
                    appUser: current.state.authorization?.appUser,
                    actor: actor, detail: current.state.authorization == nil ? nil : "its token forgotten",
                    outboxSerial: serial == 0 ? nil : serial)
                transaction.record(event)
                return event
            }
            return presenter.report(
                "Removed \(key); its events stay in log.", document: Documents.ProjectChange(event: event, project: nil))
        case .settings(let key, let path, let value):
            let project = try requireProject(key)
            guard let path else {
                let fields = ConnectionConfiguration.settingFields
                let width = fields.map(\.path.count).max() ?? 0
                let text = fields.map { field in
                    field.path + String(repeating: " ", count: width - field.path.count + 2)
                        + project.settings.value(of: field).description
                }.joined(separator: "\n")
                return presenter.report(text, document: Documents.Settings(project: project, fields: fields))
            }
            let field = ConnectionConfiguration.settingField(path)!
            guard let value else {
                let text = "\(path)  \(project.settings.value(of: field))"
                return presenter.report(text, document: Documents.Settings(project: project, fields: [field]))
            }
            let before = project.settings.value(of: field)
            let state = try store.connection(for: key).state.name
            let event = ConnectionEvent(
                at: now, project: key, kind: .settingsChanged, from: state, to: state, actor: actor,
                detail: "\(path): \(before) → \(value)")
            try store.update { transaction in
                guard var current = try transaction.project(key) else { throw CommandFailure("no project \(key)") }
                current.settings.set(field, to: value)
                transaction.put(current)
                transaction.record(event)
            }
            let text = "\(key) \(path): \(before) → \(value)"
            return presenter.report(
                text,
                document: Documents.SettingChange(
                    event: event, path: path, before: Documents.Value(before), after: Documents.Value(value)))
        default:
            throw CommandFailure("not a project command")
        }
    }
}
