import Foundation

/// The project's Intercom integration settings view (DESIGN.md §1), computed from the records:
/// what a person sees, independent of how it is rendered.
public struct SettingsView: Equatable, Sendable {
    public enum Action: String, Codable, Sendable {
        case connect, check, revoke, reconnect
        case changeAppUser = "app-user"
    }

    public var key: ProjectKey
    public var name: String
    public var state: ConnectionState.StateName
    public var indicator: Indicator
    public var headline: String
    /// Why a broken connection is unusable and that Reconnect repairs it; nil otherwise.
    public var warning: String?
    /// A transient failure of the last check, shown without changing the state.
    public var notice: String?
    public var workspace: Workspace?
    public var appUser: AppUser?
    public var since: Date?
    public var lastCheck: CheckRecord?
    public var actions: [Action]
    /// The app's work held in the outbox, in one line ("3 notes waiting for the connection"); nil
    /// when the outbox is empty.
    public var heldWork: String?

    /// - Parameter tokenLost: the connection has an authorization whose token the store's secrets
    ///   do not hold (a lost write): it cannot be used, so it shows broken, whatever its record says.
    public init(project: Project, connection: Connection?, tokenLost: Bool = false) {
        var connection = connection ?? Connection(projectKey: project.key)
        if tokenLost, case .connected(let authorization) = connection.state {
            connection.state = .broken(
                authorization,
                Breakage(
                    at: authorization.since, diagnosis: Diagnosis(evidence: .tokenLost, causes: [], isGroundTruth: true)))
        }
        key = project.key
        name = project.name
        state = connection.state.name
        indicator = state.indicator
        workspace = connection.state.authorization?.workspace
        appUser = connection.state.authorization?.appUser
        since = connection.state.authorization?.since
        lastCheck = connection.lastCheck
        switch connection.state {
        case .notConnected:
            headline = "Not connected to Intercom"
            actions = [.connect]
        case .connected(let authorization):
            headline = "Connected to \(authorization.workspace.name)"
            actions = [.check, .revoke, .changeAppUser]
        case .broken(let authorization, let breakage):
            headline = "Connection broken"
            warning = Self.warning(for: breakage.diagnosis, authorization: authorization)
            // A plan restriction is the workspace's subscription: a new token would meet it too.
            actions = breakage.diagnosis.evidence.isPlanRestriction ? [.revoke] : [.reconnect, .revoke]
        }
        heldWork = Self.heldWork(project.outbox, connection: connection)
        if let warning, !project.outbox.isEmpty {
            let issues = Self.distinct(project.outbox.map(\.issueKey)).joined(separator: ", ")
            self.warning =
                warning + " Held up until then: \(Self.notes(project.outbox.count)) to the linked "
                + "conversations of \(issues)."
        }
        if let lastCheck, lastCheck.result == .transientFailure {
            notice =
                "The last check could not reach a verdict (\(lastCheck.reason ?? "Intercom was unavailable")); "
                + "the connection was left as it was."
        }
    }

    /// "3 notes waiting for the connection", or why they wait while the connection is fine.
    static func heldWork(_ outbox: [OutboxItem], connection: Connection) -> String? {
        guard !outbox.isEmpty else { return nil }
        let count = notes(outbox.count)
        switch connection.state {
        case .connected(let authorization):
            let elsewhere = outbox.filter { $0.workspaceID != authorization.workspace.id }
            if !elsewhere.isEmpty {
                let workspaces = distinct(elsewhere.map(\.workspaceID)).joined(separator: ", ")
                return
                    "\(count) held: \(elsewhere.count == 1 ? "its conversation belongs" : "their conversations belong") "
                    + "to workspace \(workspaces), not \(authorization.workspace.id); reconnect to it, or discard "
                    + (elsewhere.count == 1 ? "it" : "them")
            }
            let reason = outbox.compactMap(\.held).first.map { " (last try: \($0))" } ?? ""
            return "\(count) waiting for delivery\(reason); outbox deliver retries"
        case .broken, .notConnected:
            return "\(count) waiting for the connection"
        }
    }

    static func notes(_ count: Int) -> String { count == 1 ? "1 note" : "\(count) notes" }

    static func distinct(_ values: [String]) -> [String] {
        values.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The warning of a broken connection: what is wrong, on whose account, and what repairs it.
    public static func warning(for diagnosis: Diagnosis, authorization: Authorization) -> String {
        let user = authorization.appUser.email
        let workspace = authorization.workspace.name
        let repair = "Reconnect to repair it."
        if diagnosis.evidence.isTokenLost {
            return "The store has lost the app user's token for this connection (a write that never reached the "
                + "disk, or a secrets file restored from an older copy), so relink cannot call Intercom for it. "
                + "Intercom may still accept the token it issued. \(repair)"
        }
        if diagnosis.evidence.isPlanRestriction {
            return "Intercom refuses API access for the \(workspace) workspace: its plan needs an active subscription "
                + "that includes the API (\(diagnosis.evidence.summary)). Reconnecting cannot fix this; once the "
                + "workspace's plan allows it, check again, or revoke the connection."
        }
        if diagnosis.evidence.status == 403 || diagnosis.causes == [.permissionMissing] {
            return permissionWarning(diagnosis.evidence, user: user)
        }
        guard diagnosis.isGroundTruth, diagnosis.causes.count == 1 else {
            let fits = diagnosis.causes.map(\.rawValue).joined(separator: ", ")
            let refused = "Intercom no longer accepts the app user's token (\(diagnosis.evidence.summary))"
            guard let meaning = diagnosis.evidence.tokenMeaning else {
                return "\(refused). Intercom does not say why; the evidence fits: \(fits). \(repair)"
            }
            let repairs =
                diagnosis.evidence.isAppHeldByIntercom
                ? "Reconnecting helps only once the app is active again: its owner can ask Intercom's support."
                : repair
            return "\(refused): \(meaning), but not why; the evidence fits: \(fits). \(repairs)"
        }
        switch diagnosis.causes[0] {
        case .passwordChanged:
            return "The app user \(user) changed their Intercom password, which ended every token they had authorized. "
                + repair
        case .tokenRevoked:
            return "The authorization token of the app user \(user) was revoked in Intercom. \(repair)"
        case .userRemoved:
            return "The app user \(user) was removed from the \(workspace) workspace and can no longer authorize it. "
                + "Reconnect as another teammate (a new app user) to repair it."
        case .appUninstalled:
            return "The Intercom for Jira app was uninstalled from the \(workspace) workspace. "
                + "Reconnect to install and authorize it again."
        case .permissionMissing:
            return permissionWarning(diagnosis.evidence, user: user)
        }
    }

    /// A permission 403: which permission, and that Reconnect helps only once it is granted.
    private static func permissionWarning(_ evidence: Evidence, user: String) -> String {
        let permission = evidence.permission.map { "the permission \"\($0)\"" } ?? "a permission the connection needs"
        let on = evidence.endpoint.map { " on \($0)" } ?? ""
        return "The token of the app user \(user) lacks \(permission) (Intercom answered \(evidence.summary)\(on)). "
            + "Reconnect helps only after the permission is granted: give it to the app in Intercom's Developer Hub "
            + "and make sure the teammate can install, configure and delete apps, then reconnect."
    }
}
