import Foundation
import IntercomMockWorld

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
        let time = now()
        return try commit { try $0.apply(request, at: time) }
    }
}
