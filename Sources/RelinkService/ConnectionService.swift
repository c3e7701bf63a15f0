import Foundation
import IntercomAPI
import IntercomMockWorld
import Logging
import RelinkCore
import RelinkStore

/// The connection lifecycle of DESIGN.md §1 over the store, against the mock or the real API:
/// connect, check, break, reconnect, revoke and change the app user.
///
/// Each command commits what it changed, with its event, in one store transaction. A new token
/// reaches the store only after Intercom confirmed it (`GET /me`), and it never appears in a
/// message, a log line or an event.
public final class ConnectionService: Sendable {
    public let store: Store
    public let configuration: ServiceConfiguration
    /// Intercom's API and OAuth endpoints, real or mock.
    let intercom: any IntercomGateway
    /// The mock's world beyond its API (simulated login, break causes, ground truth); `nil`
    /// against the real API, where nothing may be broken on purpose.
    let worldControl: (any WorldControl)?
    let interaction: (any AuthorizationInteraction)?

    /// - Parameters:
    ///   - intercom: where Intercom is; the caller owns whatever it holds (an HTTP client) and shuts it down.
    ///   - worldControl: the mock's control, when Intercom is a mock.
    ///   - interaction: the person's part of authorizing against the real API (nil: not possible).
    public init(
        store: Store, intercom: any IntercomGateway, worldControl: (any WorldControl)?,
        configuration: ServiceConfiguration = ServiceConfiguration(), interaction: (any AuthorizationInteraction)? = nil
    ) {
        self.store = store
        self.intercom = intercom
        self.worldControl = worldControl
        self.configuration = configuration
        self.interaction = interaction
    }

    /// Whether Intercom is a mock whose world relink may change.
    public var isMock: Bool { worldControl != nil }

    func requireProject(_ key: ProjectKey) throws(ServiceError) -> Project {
        if let project = try ServiceError.reading(try store.project(key)) { return project }
        let suggestion = Suggestion.closest(to: key.rawValue, in: store.projectKeys.map(\.rawValue))
        throw .unknownProject(key, suggestion: suggestion)
    }

    // MARK: Connect, reconnect, change the app user, revoke

    /// Authorizes as a teammate and connects a project that is not connected.
    ///
    /// - Throws: `ServiceError` — unknown project, a refused transition (already connected, another
    ///   workspace without confirmation), a failed authorization or Intercom call.
    @discardableResult
    public func connect(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> ConnectionEvent {
        _ = try requireProject(key)
        let current = try ServiceError.reading(try store.connection(for: key))
        guard case .notConnected = current.state else { throw .refused(.alreadyConnected(key, current.state.name)) }
        let grant = try await authorize(request, lastWorkspace: current.lastWorkspace)
        return try commit(grant, for: key, request: request) { connection, authorization in
            try connection.connect(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
        }
    }

    /// Runs the connect steps again for a broken or connected project and replaces its token,
    /// keeping settings and links. The teammate defaults to the current app user.
    ///
    /// - Throws: `ServiceError`; after `user-removed`, reconnecting as the removed teammate fails
    ///   with a message that a new app user is needed.
    @discardableResult
    public func reconnect(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> ConnectionEvent {
        _ = try requireProject(key)
        let current = try ServiceError.reading(try store.connection(for: key))
        guard let authorization = current.state.authorization else { throw .refused(.notConnected(key)) }
        var request = request
        request.teammate = request.teammate ?? authorization.appUser.email
        let grant = try await authorize(request, lastWorkspace: authorization.workspace, reconnecting: authorization)
        return try commit(grant, for: key, request: request) { connection, authorization in
            try connection.reconnect(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
        }
    }

    /// Changes the app user: revoke, then connect as `request.teammate`, as one transition.
    @discardableResult
    public func changeAppUser(
        _ key: ProjectKey, as request: AuthorizationRequest, allowWorkspaceChange: Bool = false, actor: String
    ) async throws(ServiceError) -> ConnectionEvent {
        _ = try requireProject(key)
        let current = try ServiceError.reading(try store.connection(for: key))
        guard let authorization = current.state.authorization else { throw .refused(.notConnected(key)) }
        guard let teammate = request.teammate else {
            throw .authorization("app-user needs the new teammate: --as EMAIL")
        }
        guard teammate.lowercased() != authorization.appUser.email.lowercased() else {
            throw .refused(.alreadyAppUser(key, teammate))
        }
        // The new app user logs in to the connection's workspace unless told otherwise.
        var request = request
        request.workspace = request.workspace ?? authorization.workspace.id
        let grant = try await authorize(request, lastWorkspace: authorization.workspace)
        return try commit(grant, for: key, request: request) { connection, authorization in
            try connection.changeAppUser(authorization, by: actor, allowWorkspaceChange: allowWorkspaceChange)
        }
    }

    /// Disconnects the project and forgets its token. Never uninstalls the app: other projects
    /// may share the workspace and the app user.
    @discardableResult
    public func revoke(_ key: ProjectKey, actor: String) throws(ServiceError) -> ConnectionEvent {
        _ = try requireProject(key)
        return try update { transaction in
            var connection = try transaction.connection(for: key)
            let tokenID = connection.state.authorization?.tokenID
            let event = try connection.revoke(at: configuration.now(), by: actor)
            transaction.put(connection)
            transaction.record(event)
            if let tokenID { transaction.forgetToken(id: tokenID) }
            return event
        }
    }

    /// Applies a transition with a fresh grant: the old token is forgotten, the new one stored,
    /// the event recorded, all in one commit.
    private func commit(
        _ grant: Grant, for key: ProjectKey, request: AuthorizationRequest,
        _ transition: (inout Connection, Authorization) throws -> ConnectionEvent
    ) throws(ServiceError) -> ConnectionEvent {
        return try update { transaction in
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
            return event
        }
    }

    /// Runs one store transaction; a refused transition stays a refusal and a store failure a
    /// store error.
    func update<T>(_ body: (inout StoreTransaction) throws -> T) throws(ServiceError) -> T {
        do {
            return try store.update(body)
        } catch let error as ServiceError {
            throw error
        } catch let error as LifecycleError {
            throw .refused(error)
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            // Store.update throws only what its body throws, or a StoreError.
            throw .store(.io(file: store.directory.path, operation: "commit a change", reason: "\(error)"))
        }
    }

    /// Brings in what other processes committed.
    func refresh() throws(ServiceError) {
        do { try store.refresh() } catch let error as StoreError { throw .store(error) } catch {
            throw .store(.io(file: store.directory.path, operation: "read", reason: "\(error)"))
        }
    }
}

/// What an authorization yields: the token and whom and where it acts for.
struct Grant: Sendable {
    var token: String
    var workspace: Workspace
    var appUser: AppUser
}
