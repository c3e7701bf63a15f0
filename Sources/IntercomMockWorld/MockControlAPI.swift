import Foundation
import RelinkCore

/// The bodies the mock's control API under `/__mock/` takes and answers, shared by the server and
/// its control client so that the two cannot drift apart.
public enum MockControlAPI {
    /// The body of `POST /__mock/world/teammates`.
    public struct TeammateEdit: Codable, Sendable {
        public var id: String?
        public var email: String
        public var name: String
        public var password: String
        public var workspaces: [String]

        public init(id: String? = nil, email: String, name: String, password: String, workspaces: [String]) {
            self.id = id
            self.email = email
            self.name = name
            self.password = password
            self.workspaces = workspaces
        }
    }

    public struct PasswordEdit: Codable, Sendable {
        public var password: String
    }

    /// The body of `POST` and `DELETE /__mock/world/memberships`.
    public struct MembershipEdit: Codable, Sendable {
        public var teammate: String
        public var workspace: String

        public init(teammate: String, workspace: String) {
            self.teammate = teammate
            self.workspace = workspace
        }
    }

    /// The body of `POST /__mock/world/workspaces`.
    public struct WorkspaceEdit: Codable, Sendable {
        public var idCode: String
        public var name: String
        public var region: String?
        public var timezone: String?

        public init(idCode: String, name: String, region: String? = nil, timezone: String? = nil) {
            self.idCode = idCode
            self.name = name
            self.region = region
            self.timezone = timezone
        }

        enum CodingKeys: String, CodingKey {
            case idCode = "id_code"
            case name, region, timezone
        }
    }

    /// The body of `PUT /__mock/world/rate-limit`: the limits a minute and the window length;
    /// what is left out stays as it is.
    public struct RateLimitEdit: Codable, Equatable, Sendable {
        public var appLimitPerMinute: Int?
        public var workspaceLimitPerMinute: Int?
        public var windowSeconds: Int?

        /// The longest window the mock takes: an hour.
        public static let maxWindowSeconds = 3600

        public init(appLimitPerMinute: Int? = nil, workspaceLimitPerMinute: Int? = nil, windowSeconds: Int? = nil) {
            self.appLimitPerMinute = appLimitPerMinute
            self.workspaceLimitPerMinute = workspaceLimitPerMinute
            self.windowSeconds = windowSeconds
        }

        enum CodingKeys: String, CodingKey {
            case appLimitPerMinute = "app_limit_per_minute"
            case workspaceLimitPerMinute = "workspace_limit_per_minute"
            case windowSeconds = "window_seconds"
        }

        /// `limits` with this edit applied. Throws ``MockError`` (`.invalid`) for a negative limit,
        /// a window outside 1…3600 seconds, or an edit that names nothing to change.
        public func applied(to limits: MockWorld.RateLimit) throws(MockError) -> MockWorld.RateLimit {
            guard appLimitPerMinute != nil || workspaceLimitPerMinute != nil || windowSeconds != nil else {
                throw MockError(
                    .invalid,
                    "nothing to change: give app_limit_per_minute, workspace_limit_per_minute or window_seconds")
            }
            var result = limits
            if let appLimitPerMinute {
                guard appLimitPerMinute >= 0 else { throw MockError(.invalid, "app_limit_per_minute must be ≥ 0") }
                result.appLimitPerMinute = appLimitPerMinute
            }
            if let workspaceLimitPerMinute {
                guard workspaceLimitPerMinute >= 0 else {
                    throw MockError(.invalid, "workspace_limit_per_minute must be ≥ 0")
                }
                result.workspaceLimitPerMinute = workspaceLimitPerMinute
            }
            if let windowSeconds {
                guard (1...Self.maxWindowSeconds).contains(windowSeconds) else {
                    throw MockError(.invalid, "window_seconds must be 1 to \(Self.maxWindowSeconds)")
                }
                result.windowSeconds = windowSeconds
            }
            return result
        }
    }

    public struct AppEdit: Codable, Sendable {
        public var clientID: String
        public var clientSecret: String
        public var name: String
        public var redirectURIs: [String]
        public var installedIn: [String]?
        /// A development app may register loopback http redirect URLs.
        public var development: Bool?

        public init(
            clientID: String, clientSecret: String, name: String, redirectURIs: [String], installedIn: [String]? = nil,
            development: Bool? = nil
        ) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.name = name
            self.redirectURIs = redirectURIs
            self.installedIn = installedIn
            self.development = development
        }

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
            case name
            case redirectURIs = "redirect_uris"
            case installedIn = "installed_in"
            case development
        }
    }

    /// The body of `PUT /__mock/world/apps/{client_id}/development`.
    public struct DevelopmentEdit: Codable, Sendable {
        public var development: Bool

        public init(development: Bool) { self.development = development }
    }

    /// The body of `PUT /__mock/world/workspaces/{id_code}/plan`: whether the workspace's plan
    /// lacks API access (every authenticated request then answers 403 `api_plan_restricted`).
    public struct PlanEdit: Codable, Sendable {
        public var planRestricted: Bool

        public init(planRestricted: Bool) { self.planRestricted = planRestricted }

        enum CodingKeys: String, CodingKey { case planRestricted = "plan_restricted" }
    }

    /// The body of `PUT /__mock/world/workspaces/{id_code}/ip-allowlist`: whether the workspace's IP
    /// allowlist refuses the machine relink runs on (every authenticated request then answers 403
    /// "Your IP address is not on the allowlist for API access").
    public struct AllowlistEdit: Codable, Sendable {
        public var refuses: Bool

        public init(refuses: Bool) { self.refuses = refuses }
    }

    /// The body of `POST /__mock/world/conversations`.
    public struct ConversationEdit: Codable, Sendable {
        public var id: String
        public var workspace: String

        public init(id: String, workspace: String) {
            self.id = id
            self.workspace = workspace
        }
    }

    /// The control API's error answer: `{"error":"…"}`.
    public struct ControlError: Codable, Sendable {
        public var error: String

        public init(error: String) {
            self.error = error
        }
    }

    /// The body of `POST /__mock/tokens/inspect`.
    public struct InspectRequest: Codable, Sendable {
        public var token: String

        public init(token: String) {
            self.token = token
        }
    }

    /// The body of `POST /__mock/tokens/inspect` for several tokens at once: a `check --all` asks
    /// for the ground truth of a whole batch of rejected tokens in one call.
    public struct InspectManyRequest: Codable, Sendable {
        public var tokens: [String]

        /// The most tokens one call may name.
        public static var limit: Int { 1000 }

        public init(tokens: [String]) {
            self.tokens = tokens
        }
    }

    /// The answer to ``InspectManyRequest``: one inspection per token asked for, in the same
    /// order, `null` for a token the mock does not hold.
    public struct InspectManyAnswer: Codable, Sendable {
        public var inspections: [TokenInspection?]

        public init(inspections: [TokenInspection?]) {
            self.inspections = inspections
        }
    }

    /// The answer of `POST /__mock/tokens/inspect`: whether the mock holds a token, and if it is
    /// dead, why. relink shows a simulated cause as ground truth, which the real API never says.
    public struct TokenInspection: Codable, Equatable, Sendable {
        public var id: String
        public var alive: Bool
        public var cause: BreakCause?
        public var diedAt: Date?
        public var permissionMissing: Bool
        public var teammateID: String
        public var workspaceID: String

        // Snake case spelled out: the control API's encoder would turn `teammateID` into
        // `teammate_i_d`-like keys that no decoder strategy maps back.
        enum CodingKeys: String, CodingKey {
            case id, alive, cause
            case diedAt = "died_at"
            case permissionMissing = "permission_missing"
            case teammateID = "teammate_id"
            case workspaceID = "workspace_id"
        }

        public init(
            id: String, alive: Bool, cause: BreakCause?, diedAt: Date?, permissionMissing: Bool, teammateID: String,
            workspaceID: String
        ) {
            self.id = id
            self.alive = alive
            self.cause = cause
            self.diedAt = diedAt
            self.permissionMissing = permissionMissing
            self.teammateID = teammateID
            self.workspaceID = workspaceID
        }
    }
}

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
    /// `true` undoes `permission-missing`: the permission is granted again (the only cause that a
    /// person can undo; a dead token stays dead).
    public var restore: Bool?

    enum CodingKeys: String, CodingKey {
        case cause, teammate, workspace, token, restore
        case clientID = "client_id"
        case newPassword = "new_password"
    }

    public init(
        cause: BreakCause, teammate: String? = nil, workspace: String? = nil, token: String? = nil,
        clientID: String? = nil, newPassword: String? = nil, restore: Bool? = nil
    ) {
        self.restore = restore
        self.cause = cause
        self.teammate = teammate
        self.workspace = workspace
        self.token = token
        self.clientID = clientID
        self.newPassword = newPassword
    }
}

extension MockWorld {
    /// What the control API's `tokens/inspect` answers for a token named by its plaintext or
    /// public id; nil when the world holds no such token.
    public func inspection(ofToken value: String) -> MockControlAPI.TokenInspection? {
        guard let index = tokenIndex(plaintextOrID: value) else { return nil }
        let token = tokens[index]
        return MockControlAPI.TokenInspection(
            // A cause guessed on import is not the mock's to vouch for: no ground truth then.
            id: token.id, alive: token.isAlive, cause: token.death.flatMap { $0.guessed ? nil : $0.cause },
            diedAt: token.death?.at, permissionMissing: token.permissionMissing, teammateID: token.teammateID,
            workspaceID: token.workspaceID)
    }
}
