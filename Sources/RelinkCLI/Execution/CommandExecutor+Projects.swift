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
        let now = Timestamp.rounded(Date())
        switch command {
        case .projectAdd(let key, let name, let site):
            // Every project is read only when no site was given.
            let sites = site == nil ? Set(store.projects.map(\.jiraSite)) : []
            guard let site = site ?? (sites.count == 1 ? sites.first : nil) else {
                throw CommandFailure.siteNeeded(sitesKnown: !sites.isEmpty)
            }
            var project = Project(key: key, name: name, jiraSite: site)
            // Added again after a removal: its outbox serials go on where the removed project's
            // stopped, so a note posted before (its marker `[relink KEY.N]` still in the
            // conversation) is never taken for a new item's by a delivery looking for its own.
            let removed = try store.lastEvent(.projectRemoved, for: key)
            if let serial = removed?.outboxSerial {
                guard (0...Project.maximumOutboxSerial).contains(serial) else {
                    throw CommandFailure.outboxSerialOutOfRange(key, serial: serial)
                }
                project.outboxSerial = serial
            }
            let event = ConnectionEvent(
                at: now, project: key, kind: .projectAdded, from: .notConnected, to: .notConnected,
                actor: actor,
                detail: "\"\(name)\" on \(site)"
                    + (project.outboxSerial > 0 ? "; outbox serials go on after \(key).\(project.outboxSerial)" : ""))
            try store.update { transaction in
                guard transaction.project(key) == nil else { throw CommandFailure.projectExists(key) }
                transaction.put(project)
                transaction.record(event)
            }
            let view = SettingsView(project: project, connection: store.connection(for: key))
            return presenter.report(
                "Added \(key) (\(name)) on \(site), not connected.",
                document: Documents.ProjectChange(event: event, project: Documents.Show(view: view, project: project)))
        case .projectRemove(let key, let force):
            _ = try store.requireProject(key)
            let connection = store.connection(for: key)
            var force = force
            if connection.state.authorization != nil, !force {
                let question =
                    "\(key) is \(connection.state.name == .broken ? "broken" : "connected"); remove it and forget its "
                    + "token (the app stays installed)?"
                guard interactive, isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure.holdsConnection(key)
                }
                guard TerminalInteraction().confirm(question) else { throw CommandFailure.kept(key) }
                force = true
            }
            let event = try store.update { transaction in
                let current = transaction.connection(for: key)
                let serial = transaction.project(key)?.outboxSerial ?? 0
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
                "Removed \(key); its events stay in log.", document: Documents.ProjectChange(event: event, project: nil)
            )
        case .settings(let key, let path, let value):
            let project = try store.requireProject(key)
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
            let state = store.connection(for: key).state.name
            let event = ConnectionEvent(
                at: now, project: key, kind: .settingsChanged, from: state, to: state, actor: actor,
                detail: "\(path): \(before) → \(value)")
            try store.update { transaction in
                guard var current = transaction.project(key) else {
                    throw ServiceError.unknownProject(key, suggestion: nil)
                }
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
            preconditionFailure("projectCommand runs only the project commands")
        }
    }
}
