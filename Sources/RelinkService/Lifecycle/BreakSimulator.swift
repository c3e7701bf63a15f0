import Foundation
import IntercomMockWorld
import RelinkCore

/// What `break` did to the mock's world.
public struct BreakOutcome: Sendable, Equatable {
    public var key: ProjectKey
    public var cause: BreakCause
    /// Public ids of the tokens that died (never the tokens).
    public var killedTokens: [String]
    /// Public ids of tokens left alive but denied (permission-missing).
    public var restrictedTokens: [String]
    /// Whom or what the cause acted on, for a person: "jira-bot@acme.test", "Acme Support".
    public var target: String
}

/// `break`: a cause simulated on the mock's world (DESIGN.md §3), never on relink's record.
public struct BreakSimulator: ServiceUseCase {
    let context: ServiceContext

    /// Simulates a break cause on the mock world, aimed at the project's app user, token or
    /// workspace. The project's record does not change: a check discovers the break.
    ///
    /// - Throws: `ServiceError.notOnRealAPI` against the real API; `.refused(.notConnected)`
    ///   for a project without a connection; the mock's refusal.
    public func breakConnection(_ key: ProjectKey, cause: BreakCause) async throws(ServiceError) -> BreakOutcome {
        guard let control = context.worldControl else {
            throw .notOnRealAPI
        }
        guard let authorization = try requireConnection(key).connection.state.authorization else {
            throw .refused(.notConnected(key))
        }
        let email = authorization.appUser.email
        let workspace = authorization.workspace
        let token = try ServiceError.reading(try store.token(id: authorization.tokenID))
        var request = CauseRequest(cause: cause)
        var newPassword: String?
        let target: String
        switch cause {
        case .passwordChanged:
            newPassword = "fake-changed-password-" + UUID().uuidString.prefix(8).lowercased()
            request.teammate = email
            request.newPassword = newPassword
            target = email
        case .tokenRevoked, .permissionMissing:
            guard let token else { throw .missingToken(key) }
            request.token = token
            target = "\(key)'s token"
        case .userRemoved:
            request.teammate = email
            request.workspace = workspace.id
            target = "\(email) in \(workspace.name)"
        case .appUninstalled:
            request.workspace = workspace.id
            request.clientID = try? realAPI.oauthClient().clientID
            target = workspace.name
        }
        let report: BreakReport
        do {
            report = try await control.applyCause(request)
        } catch {
            throw .mock(error, doing: "simulating \(cause)")
        }
        if let newPassword {
            // The teammate knows their new password; relink remembers it for a reconnect as them.
            try store.commit { $0.rememberMockPassword(newPassword, for: email) }
        }
        return BreakOutcome(
            key: key, cause: cause, killedTokens: report.killed.map(\.id),
            restrictedTokens: report.restricted.map(\.id),
            target: target)
    }
}
