import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Synchronization

/// Intercom in memory, for service tests that need no server: the API, the OAuth endpoints and
/// the world control over one ``MockWorld``, with the same world edits (``MockWorld/apply(_:at:)``)
/// the live mock makes. It answers what the service relies on: `/me`, the token exchange, the
/// simulated login, break causes and their ground truth.
public final class InMemoryIntercom: IntercomGateway, IntercomAPIClient, WorldControl, Sendable {
    private struct State {
        var world: MockWorld
        /// Pending authorization codes: code → (teammate email, workspace, client).
        var codes: [String: (email: String, workspace: String, clientID: String)] = [:]
        /// Every call, as `METHOD /path`, for tests that count requests.
        var calls: [String] = []
    }

    private let state: Mutex<State>

    public init(world: MockWorld) {
        state = Mutex(State(world: world))
    }

    /// The world as it is now.
    public var world: MockWorld { state.withLock { $0.world } }

    /// The calls made so far, oldest first (`GET /me`, `POST /auth/eagle/token`, …).
    public var calls: [String] { state.withLock { $0.calls } }

    // MARK: IntercomGateway

    public var defaultRegion: Region? { nil }
    public var oauthEndpoint: IntercomEndpoint { .custom(baseURL: "http://in-memory.invalid") }
    public func client(for region: Region?) -> any IntercomAPIClient { self }

    public func listenForRedirect(expectedState: String, timeout: Duration, registeredURI: String?)
        async throws(OAuthError) -> any RedirectReceiver
    {
        throw .listenerFailed("an in-memory Intercom has no loopback listener")
    }

    // MARK: IntercomAPIClient

    public func me(token: String) async -> Result<Admin, IntercomFailure> {
        state.withLock { state in
            state.calls.append("GET /me")
            let world = state.world
            guard let index = world.tokenIndex(plaintextOrID: token), world.tokens[index].id != token else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            let record = world.tokens[index]
            if let death = record.death {
                return .failure(Self.unauthorized(death.cause == .tokenRevoked ? "token_revoked" : "unauthorized"))
            }
            // Intercom documents no 403 for /me: a missing permission shows on conversations only.
            guard let teammate = world.teammate(id: record.teammateID),
                let workspace = world.workspaces.first(where: { $0.idCode == record.workspaceID })
            else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            let app = App(
                idCode: workspace.idCode, name: workspace.name, createdAt: workspace.createdAt,
                timezone: workspace.timezone,
                region: workspace.region.rawValue)
            return .success(Admin(id: teammate.id, name: teammate.name, email: teammate.email, app: app))
        }
    }

    public func conversationsProbe(token: String) async -> Result<Void, IntercomFailure> {
        state.withLock { state in
            state.calls.append("GET /conversations")
            let world = state.world
            guard let index = world.tokenIndex(plaintextOrID: token), world.tokens[index].id != token,
                world.tokens[index].isAlive
            else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            if world.tokens[index].permissionMissing {
                // As the mock and Intercom answer a live token without the scope: 401, `/me` healthy.
                return .failure(
                    IntercomFailure(
                        kind: .authRejected, status: 401, code: "token_unauthorized",
                        message: "Not authorized to access resource"))
            }
            return .success(())
        }
    }

    public func admins(token: String) async -> Result<[Admin], IntercomFailure> {
        .failure(IntercomFailure(kind: .notFound, status: 404, code: "not_found", message: "not served in memory"))
    }

    public func exchange(code: String, clientID: String, clientSecret: String) async -> Result<
        TokenResponse, IntercomFailure
    > {
        state.withLock { state in
            state.calls.append("POST /auth/eagle/token")
            guard let pending = state.codes.removeValue(forKey: code), pending.clientID == clientID,
                let app = state.world.apps.first(where: { $0.clientID == clientID }),
                app.clientSecret.matches(clientSecret)
            else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            do {
                let token = try state.world.issueToken(
                    teammateEmail: pending.email, workspaceID: pending.workspace, clientID: clientID)
                return .success(TokenResponse(token: token))
            } catch {
                return .failure(IntercomFailure(kind: .badRequest, status: 400, message: "\(error)"))
            }
        }
    }

    public func uninstall(token: String) async -> Result<Void, IntercomFailure> {
        .failure(IntercomFailure(kind: .notFound, status: 404, code: "not_found", message: "not served in memory"))
    }

    public func replyWithNote(conversationID: String, adminID: String, body: String, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        onConversation(token: token, call: "POST /conversations/\(conversationID)/reply") { world, workspace, time in
            try world.reply(
                conversationID: conversationID, workspaceID: workspace, .note(adminID: adminID, body: body), at: time)
        }
    }

    public func conversation(id: String, token: String) async -> Result<Conversation, IntercomFailure> {
        onConversation(token: token, call: "GET /conversations/\(id)") { world, workspace, _ in
            try world.conversation(id: id, workspaceID: workspace)
        }
    }

    public func manageConversation(id: String, _ request: ManageConversationRequest, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        onConversation(token: token, call: "POST /conversations/\(id)/parts") { world, workspace, time in
            try world.manage(conversationID: id, workspaceID: workspace, request, at: time)
        }
    }

    /// A conversation call as the live mock answers it: the token's checks, the permission, then
    /// the world's edit (kept only when it succeeds).
    private func onConversation(
        token: String, call: String,
        _ body: (inout MockWorld, String, Int) throws -> Conversation
    ) -> Result<Conversation, IntercomFailure> {
        state.withLock { state in
            state.calls.append(call)
            guard let index = state.world.tokenIndex(plaintextOrID: token), state.world.tokens[index].id != token,
                state.world.tokens[index].isAlive
            else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            if state.world.tokens[index].permissionMissing {
                // As the mock and Intercom answer a live token without the scope: 401, `/me` healthy.
                return .failure(
                    IntercomFailure(
                        kind: .authRejected, status: 401, code: "token_unauthorized",
                        message: "Not authorized to access resource"))
            }
            var edited = state.world
            do {
                let answer = try body(&edited, state.world.tokens[index].workspaceID, 1_795_000_000 + state.calls.count)
                state.world = edited
                return .success(answer)
            } catch let refusal as MockWorld.ConversationRefusal {
                return .failure(
                    IntercomFailure(
                        kind: refusal.status == 404 ? .notFound : .badRequest, status: refusal.status,
                        code: refusal.code.rawValue, message: refusal.message))
            } catch {
                return .failure(IntercomFailure(kind: .badRequest, status: 400, message: "\(error)"))
            }
        }
    }

    // MARK: WorldControl

    public func authorize(
        email: String, password: String, workspace: String?, clientID: String, state oauthState: String
    )
        async -> Result<String, IntercomFailure>
    {
        state.withLock { state in
            state.calls.append("GET /oauth")
            let world = state.world
            guard let teammate = world.teammates.first(where: { $0.email.lowercased() == email.lowercased() }),
                teammate.password.matches(password)
            else {
                return .failure(Self.unauthorized("unauthorized"))
            }
            guard world.apps.contains(where: { $0.clientID == clientID }) else {
                return .failure(IntercomFailure(kind: .badRequest, status: 400, code: "parameter_invalid"))
            }
            guard let target = workspace ?? teammate.workspaces.first, teammate.workspaces.contains(target) else {
                return .failure(
                    IntercomFailure(kind: .forbidden, status: 403, code: "forbidden", message: "not a member"))
            }
            guard !teammate.lacksPermission(in: target) else {
                return .failure(
                    IntercomFailure(
                        kind: .forbidden, status: 403, code: "action_forbidden", message: "permission withdrawn"))
            }
            let code = "code-\(UUID().uuidString)"
            state.codes[code] = (teammate.email, target, clientID)
            return .success(code)
        }
    }

    public func applyCause(_ request: CauseRequest) async throws(MockControlError) -> BreakReport {
        try state.withLock { state throws(MockControlError) in
            state.calls.append("POST /__mock/causes")
            do {
                return try state.world.apply(request, at: Date())
            } catch {
                throw MockControlError(request: "POST /__mock/causes", status: 400, message: "\(error)")
            }
        }
    }

    public func teammateEmails() async throws(MockControlError) -> [String] {
        state.withLock { $0.world.teammates.map(\.email) }
    }

    public func inspect(token: String) async throws(MockControlError) -> MockControlAPI.TokenInspection {
        try state.withLock { state throws(MockControlError) in
            state.calls.append("POST /__mock/tokens/inspect")
            guard let inspection = state.world.inspection(ofToken: token) else {
                throw MockControlError(request: "POST /__mock/tokens/inspect", status: 404, message: "no such token")
            }
            return inspection
        }
    }

    /// One call for every token, as the live mock's `{"tokens": […]}`; recorded with their count.
    public func inspect(tokens: [String]) async throws(MockControlError) -> [MockControlAPI.TokenInspection?] {
        state.withLock { state in
            state.calls.append("POST /__mock/tokens/inspect ×\(tokens.count)")
            return tokens.map { state.world.inspection(ofToken: $0) }
        }
    }

    private static func unauthorized(_ code: String) -> IntercomFailure {
        IntercomFailure(kind: .authRejected, status: 401, code: code, message: "Access Token Invalid")
    }
}
