import Foundation
import RelinkCore
import RelinkStore

/// Why shaping a case by hand (`project add`, `project remove`) was refused, with what to do next.
public enum CatalogRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// `project add` without `--site`, when the store's projects name no site or several.
    case siteNeeded(sitesKnown: Bool)
    /// The log's last removal of the key records an outbox serial out of range: an edit by hand.
    case outboxSerialOutOfRange(ProjectKey, serial: Int)
    case projectExists(ProjectKey)
    /// `project remove` of a connected or broken project without `--force`.
    case holdsConnection(ProjectKey, ConnectionState.StateName)

    public var description: String {
        switch self {
        case .siteNeeded(let sitesKnown):
            "which Jira site? the store's projects \(sitesKnown ? "are on several" : "name none"); add --site SITE"
        case .outboxSerialOutOfRange(let key, let serial):
            "the log's last removal of \(key) records outbox serial \(serial), out of range (0 to "
                + "\(Project.maximumOutboxSerial)); was the store edited by hand? nothing was added"
        case .projectExists(let key):
            "project \(key) exists already"
        case .holdsConnection(let key, _):
            "\(key) holds a connection; revoke \(key) first, or add --force to remove it anyway"
        }
    }
}

/// `project add`, `project remove`, `settings KEY PATH VALUE`: shaping a case by hand, each change
/// an event in `log`. Needs no Intercom, so a command builds it over the store alone.
public struct ProjectCatalog: Sendable {
    public let store: Store
    let now: @Sendable () -> Date

    public init(store: Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    /// Adds a project, not connected, on `site` (the store's one site when nil). Added again after
    /// a removal, its outbox serials go on where the removed project's stopped, so a note posted
    /// before (its marker `[relink KEY.N]` still in the conversation) is never taken for a new
    /// item's by a delivery looking for its own.
    ///
    /// - Throws: `ServiceError.catalog` when no site is known or given, the key exists, or the log
    ///   was edited by hand; `.store` when the store cannot be read or changed.
    public func add(_ key: ProjectKey, name: String, site: String?, actor: String) throws(ServiceError)
        -> TransitionOutcome
    {
        let time = Timestamp.rounded(now())
        // Every project is read only when no site was given.
        let sites = site == nil ? Set(try ServiceError.reading(try store.projects).map(\.jiraSite)) : []
        guard let site = site ?? (sites.count == 1 ? sites.first : nil) else {
            throw .catalog(.siteNeeded(sitesKnown: !sites.isEmpty))
        }
        var project = Project(key: key, name: name, jiraSite: site)
        let removed: ConnectionEvent?
        do { removed = try store.lastEvent(.projectRemoved, for: key) } catch {
            throw store.serviceError(error, operation: "read the log")
        }
        if let serial = removed?.outboxSerial {
            guard (0...Project.maximumOutboxSerial).contains(serial) else {
                throw .catalog(.outboxSerialOutOfRange(key, serial: serial))
            }
            project.outboxSerial = serial
        }
        let event = ConnectionEvent(
            at: time, project: key, kind: .projectAdded, from: .notConnected, to: .notConnected,
            actor: actor,
            detail: "\"\(name)\" on \(site)"
                + (project.outboxSerial > 0 ? "; outbox serials go on after \(key).\(project.outboxSerial)" : ""))
        return try store.commit { transaction in
            guard try transaction.project(key) == nil else { throw ServiceError.catalog(.projectExists(key)) }
            transaction.put(project)
            transaction.record(event)
            return TransitionOutcome(
                event: event, delivery: nil, project: project, connection: try transaction.connection(for: key))
        }
    }

    /// Removes a project and forgets its token (the app stays installed); its events stay in `log`.
    ///
    /// - Throws: `ServiceError.catalog(.holdsConnection)` for a connected or broken project unless
    ///   `force`; `.unknownProject`; `.store`.
    public func remove(_ key: ProjectKey, force: Bool, actor: String) throws(ServiceError) -> ConnectionEvent {
        _ = try store.requireProject(key)
        let time = Timestamp.rounded(now())
        return try store.commit { transaction in
            let current = try transaction.connection(for: key)
            if current.state.authorization != nil, !force {
                throw ServiceError.catalog(.holdsConnection(key, current.state.name))
            }
            let serial = try transaction.project(key)?.outboxSerial ?? 0
            if let tokenID = current.state.authorization?.tokenID { transaction.forgetToken(id: tokenID) }
            transaction.deleteProject(key)
            let event = ConnectionEvent(
                at: time, project: key, kind: .projectRemoved, from: current.state.name, to: .notConnected,
                workspace: current.state.authorization?.workspace,
                appUser: current.state.authorization?.appUser,
                actor: actor, detail: current.state.authorization == nil ? nil : "its token forgotten",
                outboxSerial: serial == 0 ? nil : serial)
            transaction.record(event)
            return event
        }
    }

    /// Sets one of the project's settings; answers the event and the value it replaced.
    public func set(
        _ key: ProjectKey, _ field: ConnectionConfiguration.SettingField, path: String,
        to value: ConnectionConfiguration.SettingValue, actor: String
    ) throws(ServiceError) -> (event: ConnectionEvent, before: ConnectionConfiguration.SettingValue) {
        let before = try store.requireProject(key).settings.value(of: field)
        let time = Timestamp.rounded(now())
        return try store.commit { transaction in
            guard var current = try transaction.project(key) else {
                throw ServiceError.unknownProject(key, suggestion: nil)
            }
            let state = try transaction.connection(for: key).state.name
            let event = ConnectionEvent(
                at: time, project: key, kind: .settingsChanged, from: state, to: state, actor: actor,
                detail: "\(path): \(before) → \(value)")
            current.settings.set(field, to: value)
            transaction.put(current)
            transaction.record(event)
            return (event, before)
        }
    }
}
