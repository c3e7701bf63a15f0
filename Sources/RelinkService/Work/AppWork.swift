import Foundation
import IntercomAPI
import RelinkCore
import RelinkStore

/// What `link` did.
public struct LinkOutcome: Sendable, Equatable {
    public var issue: IssueKey
    /// Conversations newly linked, or unlinked.
    public var changed: [String]
    /// Conversations that were linked already (for `link`).
    public var unchanged: [String]
    /// Every conversation of the issue now.
    public var links: [String]
}

/// What a Jira event did: the decision the settings made, what it queued, and what the delivery
/// that followed did (nil when the connection could not take it now).
public struct WorkOutcome: Sendable, Equatable {
    public var event: JiraEvent
    public var decision: NotificationDecision
    public var queued: [OutboxItem]
    public var delivery: DeliveryReport?
    /// Why the queued notes were not delivered at once (the connection is broken, or missing).
    public var heldBecause: String?
}

/// The app's work (Docs/app-work.md): links between Jira issues and Intercom conversations, and the
/// notes a Jira event sends to them through the ``Outbox``.
public struct AppWork: ServiceUseCase {
    let context: ServiceContext
    let health: HealthCheck
    let outbox: Outbox

    // MARK: Links

    /// Links conversations to a Jira issue, after Intercom confirmed through the connection that
    /// each exists in the connected workspace. All or nothing.
    ///
    /// - Throws: `ServiceError.work` when the project is not connected, its connection is broken,
    ///   or a conversation is not found; `.intercom` for another failure. A 401 (confirmed with
    ///   `/me`: a missing permission when `/me` is healthy) or a permission 403 breaks the
    ///   connection as a check would, and is recorded so; an IP-allowlist 403 is recorded as a
    ///   failed check; a refusal of that one conversation is no verdict.
    public func link(_ issue: IssueKey, _ conversations: [String], actor: String) async throws(ServiceError)
        -> LinkOutcome
    {
        try refresh()
        let key = issue.project
        let (project, connection) = try requireConnection(key)
        let authorization = try workingAuthorization(key, connection)
        let token = try requireToken(key, authorization)
        let client = intercom.client(for: authorization.workspace.region)
        let wanted = conversations.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let linked = project.conversations(of: issue)
        for id in wanted where !linked.contains(id) {
            switch await configuration.retry.run({ await client.conversation(id: id, token: token) }) {
            case .success:
                continue
            case .failure(let failure) where failure.kind == .notFound:
                throw .work(.conversationNotFound(id, workspace: authorization.workspace))
            case .failure(let failure)
            where HealthCheck.concernsOneConversation(failure, endpoint: "GET /conversations/\(id)"):
                // About this conversation only (no access to it, too large): no verdict on the connection.
                throw .intercom(failure, during: "asking Intercom for conversation \(id)")
            case .failure(let failure):
                _ = try await health.judge(
                    failure, key: key, token: token, endpoint: "GET /conversations/\(id)", client: client,
                    actor: actor)
                throw .intercom(failure, during: "asking Intercom for conversation \(id)")
            }
        }
        return try store.commit { transaction in
            guard var project = try transaction.project(key) else {
                throw ServiceError.unknownProject(key, suggestion: nil)
            }
            let added = project.link(issue, wanted)
            transaction.put(project)
            return LinkOutcome(
                issue: issue, changed: added, unchanged: wanted.filter { !added.contains($0) },
                links: project.conversations(of: issue))
        }
    }

    /// Removes links; needs no connection. Refuses when a conversation is not linked to the issue.
    public func unlink(_ issue: IssueKey, _ conversations: [String]) throws(ServiceError) -> LinkOutcome {
        try refresh()
        _ = try store.requireProject(issue.project)
        return try store.commit { transaction in
            guard var project = try transaction.project(issue.project) else {
                throw ServiceError.unknownProject(issue.project, suggestion: nil)
            }
            let linked = project.conversations(of: issue)
            let missing = conversations.filter { !linked.contains($0) }
            guard missing.isEmpty else { throw ServiceError.work(.notLinked(issue, missing)) }
            let removed = project.unlink(issue, conversations)
            transaction.put(project)
            return LinkOutcome(issue: issue, changed: removed, unchanged: [], links: project.conversations(of: issue))
        }
    }

    // MARK: Jira events

    /// Turns a Jira event into notes on the issue's linked conversations, as the project's
    /// notification triggers say: queued in the outbox (durably), then delivered at once when
    /// the connection is healthy. A trigger that is off queues nothing and says why.
    ///
    /// - Throws: `ServiceError.work(.noWorkspace)` when the project was never connected.
    public func notify(_ event: JiraEvent, actor: String) async throws(ServiceError) -> WorkOutcome {
        try refresh()
        let key = event.issue.project
        let (project, connection) = try requireConnection(key)
        let decision = project.settings.decide(event, conversations: project.conversations(of: event.issue))
        guard case .notify = decision else {
            return WorkOutcome(event: event, decision: decision, queued: [], delivery: nil, heldBecause: nil)
        }
        guard let workspace = connection.state.authorization?.workspace ?? connection.lastWorkspace else {
            throw .work(.noWorkspace(key))
        }
        let time = Timestamp.rounded(configuration.now())
        let queued = try store.commit { transaction in
            guard var project = try transaction.project(key) else {
                throw ServiceError.unknownProject(key, suggestion: nil)
            }
            let items = project.enqueue(decision, for: event, workspaceID: workspace.id, at: time)
            transaction.put(project)
            return items
        }
        switch connection.state {
        case .connected:
            let delivery = try await outbox.deliver(key, actor: actor)
            return WorkOutcome(event: event, decision: decision, queued: queued, delivery: delivery, heldBecause: nil)
        case .broken:
            return WorkOutcome(
                event: event, decision: decision, queued: queued, delivery: nil,
                heldBecause: "\(key)'s connection is broken")
        case .notConnected:
            return WorkOutcome(
                event: event, decision: decision, queued: queued, delivery: nil, heldBecause: "\(key) is not connected")
        }
    }

    // MARK: Shared

    /// The authorization of a connected project, or the refusal that says why there is none.
    func workingAuthorization(_ key: ProjectKey, _ connection: Connection) throws(ServiceError) -> Authorization {
        switch connection.state {
        case .connected(let authorization):
            return authorization
        case .broken(let authorization, let breakage):
            throw .work(
                .broken(key, warning: SettingsView.warning(for: breakage.diagnosis, authorization: authorization)))
        case .notConnected:
            throw .work(.notConnected(key))
        }
    }
}
