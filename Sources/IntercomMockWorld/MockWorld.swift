import Foundation
import RelinkCore

/// Everything the mock Intercom knows: workspaces, teammates, OAuth apps, tokens, pending
/// authorization codes, conversations and the rate-limit setting.
///
/// No plaintext secret lives here: passwords and client secrets are kept as salted SHA-256
/// digests, tokens and authorization codes as SHA-256 digests. The plaintext of a token exists only
/// in the answer of the token exchange (or of ``issueToken(teammateEmail:workspaceID:clientID:)``).
public struct MockWorld: Codable, Equatable, Sendable {
    public var workspaces: [Workspace] = []
    public var teammates: [Teammate] = []
    public var apps: [OAuthApp] = []
    public var tokens: [Token] = []
    public var pendingCodes: [AuthorizationCode] = []
    public var conversations: [ConversationRecord] = []
    public var rateLimit: RateLimit = RateLimit()
    /// Feeds the short public ids of tokens (`tok-1`, `tok-2`, …) and of conversation parts.
    public var nextSerial: Int = 1

    public init() {}

    /// A workspace ("app" in Intercom's API).
    public struct Workspace: Codable, Equatable, Sendable {
        public var idCode: String
        public var name: String
        public var region: Region
        public var timezone: String
        /// Unix seconds.
        public var createdAt: Int
    }

    /// A teammate ("admin") who can log in to workspaces.
    public struct Teammate: Codable, Equatable, Sendable {
        /// A string of digits, as Intercom's admin ids are.
        public var id: String
        public var email: String
        public var name: String
        public var password: SaltedDigest
        /// Workspace id codes the teammate belongs to.
        public var workspaces: [String]
        /// Workspaces the teammate was removed from: their next login there is refused.
        public var removedFrom: [String] = []
        /// Workspaces where `permission-missing` withdrew the teammate's permission: their login
        /// and consent there are refused until it is restored. Optional: older worlds lack it.
        public var permissionWithdrawnIn: [String]?

        /// Whether the teammate may authorize the app in the workspace as far as permissions go.
        public func lacksPermission(in workspaceID: String) -> Bool {
            permissionWithdrawnIn?.contains(workspaceID) ?? false
        }
    }

    /// A registered OAuth app.
    public struct OAuthApp: Codable, Equatable, Sendable {
        public var clientID: String
        public var clientSecret: SaltedDigest
        public var name: String
        /// The first one is the default when `/oauth` is called without `redirect_uri`.
        public var redirectURIs: [String]
        /// Workspaces that have the app installed; an authorization installs it.
        public var installedIn: [String]
    }

    /// An issued access token, known by its digest.
    public struct Token: Codable, Equatable, Sendable {
        /// A short public id (`tok-7`) that journals, the control API and people may show.
        public var id: String
        /// Hex SHA-256 of the plaintext token.
        public var digest: String
        public var teammateID: String
        public var workspaceID: String
        public var clientID: String
        public var issuedAt: Date
        /// `nil` while the token is alive.
        public var death: Death?
        /// Set by the `permission-missing` cause: alive, but authenticated calls answer 403.
        public var permissionMissing: Bool = false

        public init(
            id: String, digest: String, teammateID: String, workspaceID: String, clientID: String, issuedAt: Date,
            death: Death? = nil, permissionMissing: Bool = false
        ) {
            self.id = id
            self.digest = digest
            self.teammateID = teammateID
            self.workspaceID = workspaceID
            self.clientID = clientID
            self.issuedAt = issuedAt
            self.death = death
            self.permissionMissing = permissionMissing
        }

        public var isAlive: Bool { death == nil }

        /// Why and when a token died.
        public struct Death: Codable, Equatable, Sendable {
            public var cause: BreakCause
            public var at: Date
        }
    }

    /// An authorization code waiting for its exchange; single-use.
    public struct AuthorizationCode: Codable, Equatable, Sendable {
        /// Hex SHA-256 of the plaintext code.
        public var digest: String
        public var clientID: String
        public var teammateID: String
        public var workspaceID: String
        public var expiresAt: Date

        public init(digest: String, clientID: String, teammateID: String, workspaceID: String, expiresAt: Date) {
            self.digest = digest
            self.clientID = clientID
            self.teammateID = teammateID
            self.workspaceID = workspaceID
            self.expiresAt = expiresAt
        }
    }

    /// A conversation and the notes teammates added to it through the API.
    public struct ConversationRecord: Codable, Equatable, Sendable {
        public var id: String
        public var workspaceID: String
        /// Unix seconds.
        public var createdAt: Int
        public var notes: [Note] = []

        /// A note written by an admin.
        public struct Note: Codable, Equatable, Sendable {
            public var id: String
            public var adminID: String
            public var body: String
            /// Unix seconds.
            public var createdAt: Int

            public init(id: String, adminID: String, body: String, createdAt: Int) {
                self.id = id
                self.adminID = adminID
                self.body = body
                self.createdAt = createdAt
            }
        }
    }

    /// Intercom's rate limits: so many authenticated requests a minute per app (in one workspace)
    /// and per workspace, enforced in windows of `windowSeconds` (Intercom: 10) that each get their
    /// share of the minute's budget. See ``RateLimitCounters`` for the counting, and Docs/intercom.md.
    public struct RateLimit: Codable, Equatable, Sendable {
        /// Requests a minute one app may make in one workspace (Intercom's default: 10,000).
        public var appLimitPerMinute: Int
        /// Requests a minute all apps together may make in one workspace (Intercom's default: 25,000).
        public var workspaceLimitPerMinute: Int
        /// The length of one window; Intercom's is 10 seconds.
        public var windowSeconds: Int

        public static let intercomAppLimitPerMinute = 10_000
        public static let intercomWorkspaceLimitPerMinute = 25_000
        public static let intercomWindowSeconds = 10

        /// Intercom's published defaults unless told otherwise.
        public init(
            appLimitPerMinute: Int = Self.intercomAppLimitPerMinute,
            workspaceLimitPerMinute: Int = Self.intercomWorkspaceLimitPerMinute,
            windowSeconds: Int = Self.intercomWindowSeconds
        ) {
            self.appLimitPerMinute = appLimitPerMinute
            self.workspaceLimitPerMinute = workspaceLimitPerMinute
            self.windowSeconds = windowSeconds
        }

        /// The app's share of its minute in one window.
        public var appLimitPerWindow: Int { Self.perWindow(appLimitPerMinute, windowSeconds: windowSeconds) }
        /// The workspace's share of its minute in one window.
        public var workspaceLimitPerWindow: Int {
            Self.perWindow(workspaceLimitPerMinute, windowSeconds: windowSeconds)
        }

        /// `perMinute × windowSeconds / 60`, rounded down as Intercom rounds it (10,000 a minute is
        /// 1,666 per 10-second window; the docs' own example: 1,000 a minute is 166). A positive
        /// limit never rounds down to nothing, and a huge one saturates instead of overflowing.
        static func perWindow(_ perMinute: Int, windowSeconds: Int) -> Int {
            guard perMinute > 0 else { return 0 }
            let (product, overflow) = perMinute.multipliedReportingOverflow(by: max(windowSeconds, 1))
            return overflow ? Int.max / 60 : max(1, product / 60)
        }

        enum CodingKeys: String, CodingKey {
            case appLimitPerMinute, workspaceLimitPerMinute, windowSeconds
        }

        /// Worlds saved before these limits existed held a per-token `limit`, which Intercom does
        /// not have: they get Intercom's defaults, and keep their window length.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                appLimitPerMinute: try container.decodeIfPresent(Int.self, forKey: .appLimitPerMinute)
                    ?? Self.intercomAppLimitPerMinute,
                workspaceLimitPerMinute: try container.decodeIfPresent(Int.self, forKey: .workspaceLimitPerMinute)
                    ?? Self.intercomWorkspaceLimitPerMinute,
                windowSeconds: try container.decodeIfPresent(Int.self, forKey: .windowSeconds)
                    ?? Self.intercomWindowSeconds)
        }
    }
}
