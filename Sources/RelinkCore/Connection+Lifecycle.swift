import Foundation

/// The transitions of DESIGN.md §1. Each either refuses (throws `LifecycleError`) and leaves the
/// record as it was, or applies and returns the event that records it.
extension Connection {
    /// not connected → connected.
    ///
    /// - Throws: `LifecycleError.alreadyConnected` from any other state;
    ///   `.workspaceChangeNeedsConfirmation` when the project was last connected to another
    ///   workspace and the change is not confirmed.
    public mutating func connect(
        _ authorization: Authorization, by actor: String, allowWorkspaceChange: Bool = false
    ) throws(LifecycleError) -> ConnectionEvent {
        guard case .notConnected = state else { throw .alreadyConnected(projectKey, state.name) }
        let detail = try confirmWorkspace(authorization.workspace, allowed: allowWorkspaceChange)
        return apply(.connected(authorization), kind: .connected, at: authorization.since, actor: actor, detail: detail)
    }

    /// connected or broken → connected, with a new token. Settings and links live on the project
    /// and are untouched.
    ///
    /// - Throws: `LifecycleError.notConnected`; `.workspaceChangeNeedsConfirmation`.
    public mutating func reconnect(
        _ authorization: Authorization, by actor: String, allowWorkspaceChange: Bool = false
    ) throws(LifecycleError) -> ConnectionEvent {
        guard let previous = state.authorization else { throw .notConnected(projectKey) }
        let workspaceChange = try confirmWorkspace(authorization.workspace, allowed: allowWorkspaceChange)
        // Reconnecting as another teammate (after user-removed, say) changes the app user too.
        let userChange = previous.appUser.id == authorization.appUser.id
            ? nil : "app user \(previous.appUser.email) → \(authorization.appUser.email)"
        let detail = [userChange, workspaceChange].compactMap { $0 }.joined(separator: "; ")
        return apply(
            .connected(authorization), kind: .reconnected, at: authorization.since, actor: actor,
            detail: detail.isEmpty ? nil : detail)
    }

    /// connected or broken → connected as another teammate: revoke, then connect, as one step.
    ///
    /// - Throws: `LifecycleError.notConnected`; `.workspaceChangeNeedsConfirmation`.
    public mutating func changeAppUser(
        _ authorization: Authorization, by actor: String, allowWorkspaceChange: Bool = false
    ) throws(LifecycleError) -> ConnectionEvent {
        guard let previous = state.authorization else { throw .notConnected(projectKey) }
        let detail = try confirmWorkspace(authorization.workspace, allowed: allowWorkspaceChange)
        let change = "app user \(previous.appUser.email) → \(authorization.appUser.email)"
        return apply(
            .connected(authorization), kind: .appUserChanged, at: authorization.since, actor: actor,
            detail: [change, detail].compactMap { $0 }.joined(separator: "; "))
    }

    /// connected or broken → not connected. The token is forgotten by the caller; the workspace
    /// is remembered so that connecting again to it needs no confirmation.
    ///
    /// - Throws: `LifecycleError.notConnected` when there is nothing to revoke.
    public mutating func revoke(at time: Date, by actor: String) throws(LifecycleError) -> ConnectionEvent {
        guard state.authorization != nil else { throw .notConnected(projectKey) }
        return apply(.notConnected, kind: .revoked, at: time, actor: actor)
    }

    /// Records what a health check found, and moves the state only on an authentication or
    /// authorization answer (→ broken) or a healthy answer of a broken connection (→ connected).
    /// A transient failure only records the failed check: never mark a healthy connection broken
    /// because Intercom was briefly unavailable.
    ///
    /// - Returns: the event when the state changed, nil otherwise.
    /// - Throws: `LifecycleError.notConnected` when there is no connection to check.
    public mutating func recordCheck(_ outcome: CheckOutcome, at time: Date, by actor: String) throws(LifecycleError)
        -> ConnectionEvent?
    {
        guard let authorization = state.authorization else { throw .notConnected(projectKey) }
        switch outcome {
        case .healthy:
            lastCheck = CheckRecord(at: time, result: .healthy)
            guard case .broken = state else { return nil }
            return apply(.connected(authorization), kind: .recovered, at: time, actor: actor)
        case .transientFailure(let reason):
            lastCheck = CheckRecord(at: time, result: .transientFailure, reason: reason)
            return nil
        case .rejected(let diagnosis):
            lastCheck = CheckRecord(at: time, result: .rejected, reason: "Intercom answered \(diagnosis.evidence.summary)")
            if case .broken(let authorization, _) = state {
                // Still broken: keep when it broke, refresh the evidence.
                state = .broken(authorization, Breakage(at: breakage?.at ?? time, diagnosis: diagnosis))
                return nil
            }
            return apply(.broken(authorization, Breakage(at: time, diagnosis: diagnosis)), kind: .broken, at: time, actor: actor)
        }
    }

    /// The breakage of a broken connection.
    public var breakage: Breakage? {
        if case .broken(_, let breakage) = state { breakage } else { nil }
    }

    private func confirmWorkspace(_ workspace: Workspace, allowed: Bool) throws(LifecycleError) -> String? {
        guard let previous = state.authorization?.workspace ?? lastWorkspace, previous.id != workspace.id else {
            return nil
        }
        guard allowed else { throw .workspaceChangeNeedsConfirmation(projectKey, from: previous, to: workspace) }
        return "workspace changed from \(previous.name) (\(previous.id)) to \(workspace.name) (\(workspace.id)), confirmed"
    }

    private mutating func apply(
        _ next: ConnectionState, kind: ConnectionEvent.Kind, at time: Date, actor: String, detail: String? = nil
    ) -> ConnectionEvent {
        let from = state.name
        let previousAuthorization = state.authorization
        state = next
        if let workspace = next.authorization?.workspace { lastWorkspace = workspace }
        // A new authorization has not been checked yet; a check's own transition keeps its record.
        if [.connected, .reconnected, .appUserChanged].contains(kind) { lastCheck = nil }
        var event = ConnectionEvent(
            at: time, project: projectKey, kind: kind, from: from, to: next.name,
            workspace: (next.authorization ?? previousAuthorization)?.workspace,
            appUser: (next.authorization ?? previousAuthorization)?.appUser,
            actor: actor, detail: detail)
        if case .broken(_, let breakage) = next {
            event.evidence = breakage.diagnosis.evidence
            if breakage.diagnosis.isGroundTruth, breakage.diagnosis.causes.count == 1 {
                event.cause = breakage.diagnosis.causes[0]
            } else {
                event.possibleCauses = breakage.diagnosis.causes
            }
        }
        return event
    }
}

/// What one health check of a connection found.
public enum CheckOutcome: Equatable, Sendable {
    case healthy
    case rejected(Diagnosis)
    case transientFailure(reason: String)
}
