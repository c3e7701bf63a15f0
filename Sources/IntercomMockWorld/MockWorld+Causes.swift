import Foundation
import RelinkCore

/// What applying a break cause did.
public struct BreakReport: Codable, Equatable, Sendable {
    public var cause: BreakCause
    /// Tokens that died.
    public var killed: [TokenSummary]
    /// Tokens left alive but denied (`permission-missing`).
    public var restricted: [TokenSummary]
}

/// A token as the control API and people may see it: no digest, no plaintext.
public struct TokenSummary: Codable, Equatable, Sendable {
    public var id: String
    public var teammate: String
    public var workspace: String
    public var clientID: String

    enum CodingKeys: String, CodingKey {
        case id, teammate, workspace
        case clientID = "client_id"
    }
}

/// The break causes as pure edits of the world. `MockIntercom` applies them inside one actor call,
/// which makes each atomic with respect to concurrent requests.
extension MockWorld {
    /// `password-changed`: every token of the teammate dies; the password changes when a new one is given.
    public mutating func changePassword(teammateEmail: String, newPassword: String?, at now: Date) throws -> BreakReport
    {
        let teammate = try requireTeammate(email: teammateEmail)
        if let newPassword, let index = teammates.firstIndex(where: { $0.id == teammate.id }) {
            teammates[index].password = SaltedDigest(secret: newPassword)
        }
        return kill(.passwordChanged, at: now) { $0.teammateID == teammate.id }
    }

    /// `token-revoked`: the one token, named by its plaintext or its public id, dies.
    public mutating func revokeToken(_ plaintextOrID: String, at now: Date) throws -> BreakReport {
        guard let index = tokenIndex(plaintextOrID: plaintextOrID) else {
            throw MockError(.notFound, "no such token")
        }
        let id = tokens[index].id
        return kill(.tokenRevoked, at: now) { $0.id == id }
    }

    /// `user-removed`: the teammate leaves the workspace, their tokens there die and their next
    /// login there is refused.
    public mutating func removeTeammate(email: String, fromWorkspace workspaceID: String, at now: Date) throws
        -> BreakReport
    {
        let teammate = try requireTeammate(email: email)
        _ = try requireWorkspace(workspaceID)
        if let index = teammates.firstIndex(where: { $0.id == teammate.id }) {
            teammates[index].workspaces.removeAll { $0 == workspaceID }
            if !teammates[index].removedFrom.contains(workspaceID) {
                teammates[index].removedFrom.append(workspaceID)
            }
        }
        return kill(.userRemoved, at: now) { $0.teammateID == teammate.id && $0.workspaceID == workspaceID }
    }

    /// `app-uninstalled`: every token of the app (or of every app, without a client id) in the
    /// workspace dies and the app counts as uninstalled until a new authorization installs it.
    public mutating func uninstallApp(workspaceID: String, clientID: String?, at now: Date) throws -> BreakReport {
        _ = try requireWorkspace(workspaceID)
        if let clientID, !apps.contains(where: { $0.clientID == clientID }) {
            throw MockError(.notFound, "no OAuth app with client_id \(clientID)")
        }
        for index in apps.indices where clientID == nil || apps[index].clientID == clientID {
            apps[index].installedIn.removeAll { $0 == workspaceID }
        }
        return kill(.appUninstalled, at: now) {
            $0.workspaceID == workspaceID && (clientID == nil || $0.clientID == clientID)
        }
    }

    /// `permission-missing` on one token: it stays alive, `/me` still answers, but the endpoints
    /// that need the permission (conversations) answer 401 `token_unauthorized`, as Intercom answers
    /// a token without the scope. The token's teammate can no longer authorize the app in that
    /// workspace until the permission is restored, so a plain reconnect
    /// fails as it would in Intercom.
    public mutating func withdrawPermission(token plaintextOrID: String) throws -> BreakReport {
        guard let index = tokenIndex(plaintextOrID: plaintextOrID) else {
            throw MockError(.notFound, "no such token")
        }
        let token = tokens[index]
        markPermission(withdrawn: true, teammateID: token.teammateID, workspaceID: token.workspaceID)
        return restrict { $0.id == token.id }
    }

    /// `permission-missing` on every live token of a teammate in a workspace, and on their next authorization there.
    public mutating func withdrawPermission(teammateEmail: String, workspaceID: String) throws -> BreakReport {
        let teammate = try requireTeammate(email: teammateEmail)
        _ = try requireWorkspace(workspaceID)
        markPermission(withdrawn: true, teammateID: teammate.id, workspaceID: workspaceID)
        return restrict { $0.teammateID == teammate.id && $0.workspaceID == workspaceID }
    }

    /// Undoes `permission-missing` for the teammate (named, or the token's) in the workspace: their
    /// live tokens there may call every endpoint again and they may authorize again.
    public mutating func restorePermission(_ request: CauseRequest) throws -> BreakReport {
        let teammateID: String
        let workspaceID: String
        if let plaintextOrID = request.token {
            guard let index = tokenIndex(plaintextOrID: plaintextOrID) else {
                throw MockError(.notFound, "no such token")
            }
            (teammateID, workspaceID) = (tokens[index].teammateID, tokens[index].workspaceID)
        } else {
            guard let email = request.teammate, let workspace = request.workspace else {
                throw MockError(
                    .invalid, "restoring permission-missing needs \"token\" or \"teammate\" and \"workspace\"")
            }
            teammateID = try requireTeammate(email: email).id
            workspaceID = try requireWorkspace(workspace).idCode
        }
        markPermission(withdrawn: false, teammateID: teammateID, workspaceID: workspaceID)
        var restored: [TokenSummary] = []
        for index in tokens.indices
        where tokens[index].permissionMissing && tokens[index].teammateID == teammateID
            && tokens[index].workspaceID == workspaceID
        {
            tokens[index].permissionMissing = false
            restored.append(summary(tokens[index]))
        }
        return BreakReport(cause: .permissionMissing, killed: [], restricted: restored)
    }

    private mutating func markPermission(withdrawn: Bool, teammateID: String, workspaceID: String) {
        guard let index = teammates.firstIndex(where: { $0.id == teammateID }) else { return }
        var withdrawnIn = teammates[index].permissionWithdrawnIn ?? []
        withdrawnIn.removeAll { $0 == workspaceID }
        if withdrawn { withdrawnIn.append(workspaceID) }
        teammates[index].permissionWithdrawnIn = withdrawnIn.isEmpty ? nil : withdrawnIn
    }

    /// Applies a break cause as the control API takes it.
    ///
    /// - Throws: ``MockError`` when a field the cause needs is missing, or names nothing in the world.
    @discardableResult
    public mutating func apply(_ request: CauseRequest, at now: Date) throws -> BreakReport {
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw MockError(.invalid, "cause \(request.cause.rawValue) needs \"\(name)\"")
            }
            return value
        }
        if request.restore == true {
            guard request.cause == .permissionMissing else {
                throw MockError(.invalid, "only permission-missing can be restored; a dead token stays dead")
            }
            return try restorePermission(request)
        }
        switch request.cause {
        case .passwordChanged:
            return try changePassword(
                teammateEmail: try required(request.teammate, "teammate"), newPassword: request.newPassword, at: now)
        case .tokenRevoked:
            return try revokeToken(try required(request.token, "token"), at: now)
        case .userRemoved:
            return try removeTeammate(
                email: try required(request.teammate, "teammate"),
                fromWorkspace: try required(request.workspace, "workspace"), at: now)
        case .appUninstalled:
            return try uninstallApp(
                workspaceID: try required(request.workspace, "workspace"), clientID: request.clientID, at: now)
        case .permissionMissing:
            if let token = request.token {
                return try withdrawPermission(token: token)
            }
            return try withdrawPermission(
                teammateEmail: try required(request.teammate, "teammate or token"),
                workspaceID: try required(request.workspace, "workspace"))
        }
    }

    public func summary(_ token: Token) -> TokenSummary {
        TokenSummary(
            id: token.id, teammate: teammate(id: token.teammateID)?.email ?? token.teammateID,
            workspace: token.workspaceID, clientID: token.clientID)
    }

    private mutating func kill(_ cause: BreakCause, at now: Date, where matches: (Token) -> Bool) -> BreakReport {
        var killed: [TokenSummary] = []
        for index in tokens.indices where tokens[index].isAlive && matches(tokens[index]) {
            tokens[index].death = Token.Death(cause: cause, at: now)
            killed.append(summary(tokens[index]))
        }
        return BreakReport(cause: cause, killed: killed, restricted: [])
    }

    private mutating func restrict(where matches: (Token) -> Bool) -> BreakReport {
        var restricted: [TokenSummary] = []
        for index in tokens.indices where tokens[index].isAlive && matches(tokens[index]) {
            tokens[index].permissionMissing = true
            restricted.append(summary(tokens[index]))
        }
        return BreakReport(cause: .permissionMissing, killed: [], restricted: restricted)
    }
}
