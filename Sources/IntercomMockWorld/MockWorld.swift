import Foundation
import RelinkCore
import Synchronization

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
    public var tokens: [Token] = [] {
        // Any change, even to one token's state, drops the positions; the next look-up rebuilds them.
        didSet { tokenPositions = TokenPositions() }
    }
    public var pendingCodes: [AuthorizationCode] = []
    public var conversations: [ConversationRecord] = []
    public var rateLimit: RateLimit = RateLimit()
    /// Feeds the short public ids of tokens (`tok-1`, `tok-2`, …) and of conversation parts.
    public var nextSerial: Int = 1
    /// Where each token is in `tokens`, by id and by digest, for ``tokenIndex(plaintextOrID:)``:
    /// every authenticated request looks its token up, and a scan of a large world's tokens was most
    /// of the mock's time per request. Derived from `tokens`, so neither saved nor compared.
    var tokenPositions = TokenPositions()

    enum CodingKeys: String, CodingKey {
        case workspaces, teammates, apps, tokens, pendingCodes, conversations, rateLimit, nextSerial
    }

    public init() {}

    /// A workspace ("app" in Intercom's API).
    public struct Workspace: Codable, Equatable, Sendable {
        public var idCode: String
        public var name: String
        public var region: Region
        public var timezone: String
        /// Unix seconds.
        public var createdAt: Int
        /// The workspace's plan lacks API access: every authenticated request answers 403
        /// `api_plan_restricted` ("Active subscription needed."). Optional: older worlds lack it.
        public var planRestricted: Bool?
        /// The workspace's IP allowlist leaves out the machine relink runs on: every authenticated
        /// request answers 403 "Your IP address is not on the allowlist for API access" (Intercom
        /// checks it after the token). Optional: older worlds lack it.
        public var ipAllowlistRefuses: Bool?

        public var isPlanRestricted: Bool { planRestricted ?? false }
        public var refusesCallerAddress: Bool { ipAllowlistRefuses ?? false }
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
        /// A development app may register loopback `http://` redirect URLs (127.0.0.1, localhost,
        /// [::1]); every other app only HTTPS ones. Optional: older worlds lack it (not development).
        public var development: Bool?

        public var isDevelopment: Bool { development ?? false }
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
            /// The cause was guessed from recorded evidence (an imported bundle without ground
            /// truth), so the mock does not vouch for it. Absent in older worlds: not guessed.
            public var guessed: Bool

            public init(cause: BreakCause, at: Date, guessed: Bool = false) {
                self.cause = cause
                self.at = at
                self.guessed = guessed
            }

            enum CodingKeys: String, CodingKey { case cause, at, guessed }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                self.init(
                    cause: try c.decode(BreakCause.self, forKey: .cause), at: try c.decode(Date.self, forKey: .at),
                    guessed: try c.decodeIfPresent(Bool.self, forKey: .guessed) ?? false)
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(cause, forKey: .cause)
                try c.encode(at, forKey: .at)
                if guessed { try c.encode(guessed, forKey: .guessed) }
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, digest, teammateID, workspaceID, clientID, issuedAt, death, permissionMissing
        }

        /// Worlds saved before ids were derived from the token (`tok-7`) read with the derived id,
        /// the one relink's records and bundles use (`TokenID`).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let digest = try c.decode(String.self, forKey: .digest)
            self.init(
                id: TokenID.fromDigest(digest), digest: digest,
                teammateID: try c.decode(String.self, forKey: .teammateID),
                workspaceID: try c.decode(String.self, forKey: .workspaceID),
                clientID: try c.decode(String.self, forKey: .clientID),
                issuedAt: try c.decode(Date.self, forKey: .issuedAt),
                death: try c.decodeIfPresent(Death.self, forKey: .death),
                permissionMissing: try c.decodeIfPresent(Bool.self, forKey: .permissionMissing) ?? false)
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
        /// The redirect URI the authorization went to; a token exchange that names another is refused.
        public var redirectURI: String?

        public init(
            digest: String, clientID: String, teammateID: String, workspaceID: String, expiresAt: Date,
            redirectURI: String? = nil
        ) {
            self.redirectURI = redirectURI
            self.digest = digest
            self.clientID = clientID
            self.teammateID = teammateID
            self.workspaceID = workspaceID
            self.expiresAt = expiresAt
        }
    }

    /// A conversation: its state, its assignee and the parts teammates added through the API
    /// (notes, comments, open, close, assignment).
    public struct ConversationRecord: Codable, Equatable, Sendable {
        public var id: String
        public var workspaceID: String
        /// Unix seconds.
        public var createdAt: Int
        public var state: State = .open
        /// The admin it is assigned to; nil when unassigned.
        public var assigneeID: String?
        public var parts: [Part] = []

        /// Intercom's conversation states.
        public enum State: String, Codable, Sendable, CaseIterable {
            case open, closed, snoozed
        }

        public init(
            id: String, workspaceID: String, createdAt: Int, state: State = .open, assigneeID: String? = nil,
            parts: [Part] = []
        ) {
            self.id = id
            self.workspaceID = workspaceID
            self.createdAt = createdAt
            self.state = state
            self.assigneeID = assigneeID
            self.parts = parts
        }

        enum CodingKeys: String, CodingKey {
            case id, workspaceID, createdAt, state, assigneeID, parts
            /// Worlds saved before parts other than notes existed.
            case notes
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            workspaceID = try c.decode(String.self, forKey: .workspaceID)
            createdAt = try c.decode(Int.self, forKey: .createdAt)
            state = try c.decodeIfPresent(State.self, forKey: .state) ?? .open
            assigneeID = try c.decodeIfPresent(String.self, forKey: .assigneeID)
            parts =
                try c.decodeIfPresent([Part].self, forKey: .parts) ?? c.decodeIfPresent([Part].self, forKey: .notes)
                ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(workspaceID, forKey: .workspaceID)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(state, forKey: .state)
            try c.encodeIfPresent(assigneeID, forKey: .assigneeID)
            try c.encode(parts, forKey: .parts)
        }

        /// One part written by an admin: a note or comment (with a body), or an action.
        public struct Part: Codable, Equatable, Sendable {
            public var id: String
            /// `note`, `comment`, `open`, `close`, `snoozed`, `assignment`, `assign_and_reopen`.
            public var partType: String
            public var adminID: String
            public var body: String?
            /// Unix seconds.
            public var createdAt: Int
            /// For an assignment: the admin assigned; nil when it unassigned.
            public var assigneeID: String?

            public init(
                id: String, partType: String = "note", adminID: String, body: String?, createdAt: Int,
                assigneeID: String? = nil
            ) {
                self.id = id
                self.partType = partType
                self.adminID = adminID
                self.body = body
                self.createdAt = createdAt
                self.assigneeID = assigneeID
            }

            enum CodingKeys: String, CodingKey { case id, partType, adminID, body, createdAt, assigneeID }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                id = try c.decode(String.self, forKey: .id)
                partType = try c.decodeIfPresent(String.self, forKey: .partType) ?? "note"
                adminID = try c.decode(String.self, forKey: .adminID)
                body = try c.decodeIfPresent(String.self, forKey: .body)
                createdAt = try c.decode(Int.self, forKey: .createdAt)
                assigneeID = try c.decodeIfPresent(String.self, forKey: .assigneeID)
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

/// Positions of a world's tokens by id and by digest, built on the first look-up after `tokens`
/// changed. Copies of a world share it until one of them changes its tokens, which gives that copy
/// a new, empty one; so what it holds always describes the tokens of every world that holds it.
final class TokenPositions: Sendable, Equatable {
    struct Positions {
        var byID: [String: Int] = [:]
        var byDigest: [String: Int] = [:]
    }

    private let built = Mutex<Positions?>(nil)

    /// The positions in `tokens`, the first of each id and digest as a scan would find it.
    func positions(in tokens: [MockWorld.Token]) -> Positions {
        built.withLock { built in
            if let built { return built }
            var positions = Positions()
            positions.byID.reserveCapacity(tokens.count)
            positions.byDigest.reserveCapacity(tokens.count)
            for (index, token) in tokens.enumerated().reversed() {
                positions.byID[token.id] = index
                positions.byDigest[token.digest] = index
            }
            built = positions
            return positions
        }
    }

    /// Derived data: two worlds are equal by their tokens, whatever their look-ups have built.
    static func == (lhs: TokenPositions, rhs: TokenPositions) -> Bool { true }
}
