import Foundation
import IntercomAPI
import RelinkCore
import RelinkStore

/// What connect, reconnect, app-user or revoke did: the transition, the delivery of the outbox that
/// followed it (nil when the connection holds no work, or is not connected afterwards), and the
/// project and its connection as they are now (the outbox as the delivery left it).
public struct TransitionOutcome: Sendable, Equatable {
    public var event: ConnectionEvent
    public var delivery: DeliveryReport?
    public var project: Project
    public var connection: Connection
}

/// Connect, reconnect, change the app user and revoke (DESIGN.md §1).
///
/// The first three are one template (``reauthorize(_:_:as:allowWorkspaceChange:actor:)``): check
/// the project and its state once, authorize, commit the new token with the transition, then
/// deliver the work the outbox held.
public struct Lifecycle: ServiceUseCase {
    let context: ServiceContext
    let authorizer: Authorizer
    let outbox: Outbox

    /// Authorizes as a teammate and connects a project that is not connected.
    ///
    /// - Throws: `ServiceError` — unknown project, a refused transition (already connected, another
    ///   workspace without confirmation), a failed authorization or Intercom call.
    @discardableResult
    public func connect(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> TransitionOutcome {
        try await reauthorize(.connect, key, as: request, allowWorkspaceChange: allowWorkspaceChange, actor: actor)
    }

    /// Runs the connect steps again for a broken or connected project and replaces its token,
    /// keeping settings and links. The teammate defaults to the current app user.
    ///
    /// - Throws: `ServiceError`; after `user-removed`, reconnecting as the removed teammate fails
    ///   with a message that a new app user is needed.
    @discardableResult
    public func reconnect(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> TransitionOutcome {
        try await reauthorize(.reconnect, key, as: request, allowWorkspaceChange: allowWorkspaceChange, actor: actor)
    }

    /// Changes the app user: revoke, then connect as `request.teammate`, as one transition.
    @discardableResult
    public func changeAppUser(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> TransitionOutcome {
        try await reauthorize(
            .changeAppUser, key, as: request, allowWorkspaceChange: allowWorkspaceChange, actor: actor)
    }

    /// Disconnects the project and forgets its token. Never uninstalls the app: other projects
    /// may share the workspace and the app user.
    @discardableResult
    public func revoke(_ key: ProjectKey, actor: String) throws(ServiceError) -> TransitionOutcome {
        let project = try store.requireProject(key)
        return try store.commit { transaction in
            var connection = try transaction.connection(for: key)
            let tokenID = connection.state.authorization?.tokenID
            let event = try connection.revoke(at: configuration.now(), by: actor)
            transaction.put(connection)
            transaction.record(event)
            if let tokenID { transaction.forgetToken(id: tokenID) }
            return TransitionOutcome(event: event, delivery: nil, project: project, connection: connection)
        }
    }

    /// The transitions that authorize anew.
    enum Reauthorization {
        case connect, reconnect, changeAppUser
    }

    /// The one skeleton of connect, reconnect and app-user: the project and its state are checked
    /// once, the teammate authorizes, the transition and the new token are committed together,
    /// and the outbox is delivered when the connection is connected and holds work.
    func reauthorize(
        _ kind: Reauthorization, _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool,
        actor: String
    ) async throws(ServiceError) -> TransitionOutcome {
        let current = try requireConnection(key).connection
        var request = request
        let lastWorkspace: Workspace?
        var reconnecting: Authorization?
        switch (kind, current.state.authorization) {
        case (.connect, nil):
            lastWorkspace = current.lastWorkspace
        case (.connect, .some):
            throw .refused(.alreadyConnected(key, current.state.name))
        case (.reconnect, let authorization?):
            request.teammate = request.teammate ?? authorization.appUser.email
            lastWorkspace = authorization.workspace
            reconnecting = authorization
        case (.changeAppUser, let authorization?):
            guard let teammate = request.teammate else { throw .authorization(.newAppUserNeeded) }
            guard teammate.lowercased() != authorization.appUser.email.lowercased() else {
                throw .refused(.alreadyAppUser(key, teammate))
            }
            // The new app user logs in to the connection's workspace unless told otherwise.
            request.workspace = request.workspace ?? authorization.workspace.id
            lastWorkspace = authorization.workspace
        case (.reconnect, nil), (.changeAppUser, nil):
            throw .refused(.notConnected(key))
        }
        let grant = try await authorizer.authorize(request, lastWorkspace: lastWorkspace, reconnecting: reconnecting)
        let committed = try commit(grant, for: key, request: request) { connection, authorization in
            switch kind {
            case .connect:
                try connection.connect(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
            case .reconnect:
                try connection.reconnect(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
            case .changeAppUser:
                try connection.changeAppUser(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
            }
        }
        guard !committed.project.outbox.isEmpty, case .connected = committed.connection.state else { return committed }
        let delivery = try await outbox.deliver(key, actor: actor)
        let (project, connection) = try requireConnection(key)
        return TransitionOutcome(event: committed.event, delivery: delivery, project: project, connection: connection)
    }

    /// Applies a transition with a fresh grant: the old token is forgotten, the new one stored,
    /// the event recorded, all in one commit.
    private func commit(
        _ grant: Grant, for key: ProjectKey, request: AuthorizationRequest,
        _ transition: (inout Connection, Authorization) throws -> ConnectionEvent
    ) throws(ServiceError) -> TransitionOutcome {
        try store.commit { transaction in
            guard let project = try transaction.project(key) else {
                throw ServiceError.unknownProject(key, suggestion: nil)
            }
            var connection = try transaction.connection(for: key)
            let previousTokenID = connection.state.authorization?.tokenID
            // The mock's world names the token the same way (`TokenID`): one id everywhere.
            let authorization = Authorization(
                workspace: grant.workspace, appUser: grant.appUser, tokenID: TokenID.of(token: grant.token),
                since: Timestamp.rounded(configuration.now()))
            let event = try transition(&connection, authorization)
            transaction.put(connection)
            transaction.record(event)
            if let previousTokenID { transaction.forgetToken(id: previousTokenID) }
            transaction.storeToken(grant.token, id: authorization.tokenID)
            if isMock, let password = request.password, let email = request.teammate {
                transaction.rememberMockPassword(password, for: email)
            }
            return TransitionOutcome(event: event, delivery: nil, project: project, connection: connection)
        }
    }
}
