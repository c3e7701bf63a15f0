import Foundation

/// One recorded transition of a project's connection: time, project, from, to, cause, evidence
/// and who or what did it. The history of a project is the list of these.
public struct ConnectionEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case connected, reconnected, broken, recovered, revoked
        case appUserChanged = "app_user_changed"
        /// Shaping a case by hand (`project add`, `project remove`, `settings`): no transition.
        case projectAdded = "project_added"
        case projectRemoved = "project_removed"
        case settingsChanged = "settings_changed"
        /// Work held in the outbox was dropped on purpose (`outbox discard`).
        case outboxDiscarded = "outbox_discarded"
    }

    public var at: Date
    public var project: ProjectKey
    public var kind: Kind
    public var from: ConnectionState.StateName
    public var to: ConnectionState.StateName
    public var cause: BreakCause?
    /// Every cause the evidence fits, when the cause itself is not known.
    public var possibleCauses: [BreakCause]?
    public var evidence: Evidence?
    public var workspace: Workspace?
    public var appUser: AppUser?
    /// Who or what did it: "check", "reconnect", a person's command …
    public var actor: String
    /// Anything a reader of the history needs besides, e.g. a confirmed workspace change.
    public var detail: String?
    /// On `project_removed`: the project's last outbox serial. A project added again under the
    /// same key goes on from it, so no note's marker (`[relink SUP.7]`) can pass for a new item's.
    public var outboxSerial: Int?

    public init(
        at: Date, project: ProjectKey, kind: Kind, from: ConnectionState.StateName, to: ConnectionState.StateName,
        cause: BreakCause? = nil, possibleCauses: [BreakCause]? = nil, evidence: Evidence? = nil,
        workspace: Workspace? = nil, appUser: AppUser? = nil, actor: String, detail: String? = nil,
        outboxSerial: Int? = nil
    ) {
        self.at = at
        self.project = project
        self.kind = kind
        self.from = from
        self.to = to
        self.cause = cause
        self.possibleCauses = possibleCauses
        self.evidence = evidence
        self.workspace = workspace
        self.appUser = appUser
        self.actor = actor
        self.detail = detail
        self.outboxSerial = outboxSerial
    }
}
