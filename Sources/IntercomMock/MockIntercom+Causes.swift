import Foundation

/// A break cause as the control API takes it; which fields are needed depends on the cause.
public struct CauseRequest: Codable, Equatable, Sendable {
    public var cause: BreakCause
    /// Teammate email (`password-changed`, `user-removed`, `permission-missing`).
    public var teammate: String?
    /// Workspace id code (`user-removed`, `app-uninstalled`, `permission-missing`).
    public var workspace: String?
    /// A token's plaintext or public id (`token-revoked`, `permission-missing`).
    public var token: String?
    /// Limits `app-uninstalled` to one app.
    public var clientID: String?
    /// The new password for `password-changed`.
    public var newPassword: String?

    enum CodingKeys: String, CodingKey {
        case cause, teammate, workspace, token
        case clientID = "client_id"
        case newPassword = "new_password"
    }

    public init(
        cause: BreakCause, teammate: String? = nil, workspace: String? = nil, token: String? = nil,
        clientID: String? = nil, newPassword: String? = nil
    ) {
        self.cause = cause
        self.teammate = teammate
        self.workspace = workspace
        self.token = token
        self.clientID = clientID
        self.newPassword = newPassword
    }
}

/// The break causes. Each is one actor call: a request decided before it sees the token alive,
/// every request decided after it sees the token dead. Each throws ``MockError`` for an unknown
/// teammate, workspace, app or token, or a persistence error.
extension MockIntercom {
    /// `password-changed`: kills every token of the teammate; sets `newPassword` when given.
    @discardableResult
    public func changePassword(teammateEmail: String, newPassword: String? = nil) throws -> BreakReport {
        let time = now()
        return try commit { try $0.changePassword(teammateEmail: teammateEmail, newPassword: newPassword, at: time) }
    }

    /// `token-revoked`: kills one token, named by its plaintext or its public id.
    @discardableResult
    public func revokeToken(_ plaintextOrID: String) throws -> BreakReport {
        let time = now()
        return try commit { try $0.revokeToken(plaintextOrID, at: time) }
    }

    /// `user-removed`: removes the teammate from the workspace, kills their tokens there and refuses
    /// their next login there.
    @discardableResult
    public func removeTeammate(email: String, fromWorkspace workspaceID: String) throws -> BreakReport {
        let time = now()
        return try commit { try $0.removeTeammate(email: email, fromWorkspace: workspaceID, at: time) }
    }

    /// `app-uninstalled`: kills every token of the app (every app without `clientID`) in the workspace.
    @discardableResult
    public func uninstallApp(workspaceID: String, clientID: String? = nil) throws -> BreakReport {
        let time = now()
        return try commit { try $0.uninstallApp(workspaceID: workspaceID, clientID: clientID, at: time) }
    }

    /// `permission-missing` on one token (plaintext or public id): alive, but answered 403.
    @discardableResult
    public func withdrawPermission(token plaintextOrID: String) throws -> BreakReport {
        try commit { try $0.withdrawPermission(token: plaintextOrID) }
    }

    /// `permission-missing` on every live token of a teammate in a workspace.
    @discardableResult
    public func withdrawPermission(teammateEmail: String, workspaceID: String) throws -> BreakReport {
        try commit { try $0.withdrawPermission(teammateEmail: teammateEmail, workspaceID: workspaceID) }
    }

    /// Applies a cause given as the control API takes it; throws ``MockError`` naming a missing field.
    @discardableResult
    public func apply(_ request: CauseRequest) throws -> BreakReport {
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw MockError(.invalid, "cause \(request.cause.rawValue) needs \"\(name)\"")
            }
            return value
        }
        switch request.cause {
        case .passwordChanged:
            return try changePassword(
                teammateEmail: try required(request.teammate, "teammate"), newPassword: request.newPassword)
        case .tokenRevoked:
            return try revokeToken(try required(request.token, "token"))
        case .userRemoved:
            return try removeTeammate(
                email: try required(request.teammate, "teammate"),
                fromWorkspace: try required(request.workspace, "workspace"))
        case .appUninstalled:
            return try uninstallApp(
                workspaceID: try required(request.workspace, "workspace"), clientID: request.clientID)
        case .permissionMissing:
            if let token = request.token {
                return try withdrawPermission(token: token)
            }
            return try withdrawPermission(
                teammateEmail: try required(request.teammate, "teammate or token"),
                workspaceID: try required(request.workspace, "workspace"))
        }
    }
}
