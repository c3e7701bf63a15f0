/// Intercom's hosting regions. `GET /me` tells a workspace's region as `app.region`.
public enum Region: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case us = "US"
    case eu = "EU"
    case au = "AU"

    /// Accepts `us`, `US`, `eu`, … as a person types them.
    public init?(loose value: String) {
        self.init(rawValue: value.uppercased())
    }

    public var description: String { rawValue }
}

/// An Intercom workspace ("app" in Intercom's API): its `id_code`, name and region.
public struct Workspace: Codable, Equatable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var region: Region

    public init(id: String, name: String, region: Region) {
        self.id = id
        self.name = name
        self.region = region
    }
}

/// The Intercom teammate a connection acts as: the one logged in when the project was connected.
public struct AppUser: Codable, Equatable, Hashable, Sendable {
    public var id: String
    public var email: String
    public var name: String

    public init(id: String, email: String, name: String) {
        self.id = id
        self.email = email
        self.name = name
    }
}

/// Why Intercom stopped accepting a connection's token.
public enum BreakCause: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The app user changed their Intercom password: every token of that teammate died.
    case passwordChanged = "password-changed"
    /// The authorization token was revoked by hand: that one token died.
    case tokenRevoked = "token-revoked"
    /// The app user was removed from the workspace: their tokens died and they cannot authorize again.
    case userRemoved = "user-removed"
    /// The workspace uninstalled the app: every token of the app there died.
    case appUninstalled = "app-uninstalled"
    /// The token is alive but lacks a permission (403).
    case permissionMissing = "permission-missing"

    public var description: String { rawValue }
}

/// What Intercom answered when it refused a call: the facts a diagnosis rests on.
public struct Evidence: Codable, Equatable, Sendable {
    public var status: Int
    public var code: String?
    public var message: String?
    public var requestID: String?
    /// The request that was refused (`GET /conversations`), when it was not `GET /me`: a 403
    /// names the permission through it.
    public var endpoint: String?

    public init(
        status: Int, code: String? = nil, message: String? = nil, requestID: String? = nil, endpoint: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.endpoint = endpoint
    }

    /// The permission a refusal on ``endpoint`` points to: the scope Intercom named ("You do not
    /// have the required scope (read_conversations) to access this resource"), else the Developer
    /// Hub permission the route needs. For a 403 that is neither the plan nor the allowlist, or a
    /// 401 from a route other than `/me` (a live token without the scope is answered so; the
    /// check confirms `/me` first).
    public var permission: String? {
        guard status == 403 || status == 401, !isPlanRestriction, !isAddressRefusal else { return nil }
        if let scope = namedScope { return scope }
        switch endpoint {
        case let endpoint? where endpoint.contains("/conversations"):
            return endpoint.hasPrefix("POST") || endpoint.hasPrefix("PUT") ? "Write conversations" : "Read conversations"
        case let endpoint? where endpoint.contains("/admins"): return "Read admins"
        default: return nil
        }
    }

    /// The OAuth scope a refusal's message names, as in Intercom's 403 "You do not have the
    /// required scope (read_conversations) to access this resource".
    public var namedScope: String? {
        guard let message, let open = message.range(of: "required scope ("),
            let close = message[open.upperBound...].firstIndex(of: ")")
        else { return nil }
        let scope = message[open.upperBound..<close]
        guard !scope.isEmpty, scope.count <= 64, scope.allSatisfy({ $0.isLetter || $0 == "_" || $0.isNumber })
        else { return nil }
        return String(scope)
    }

    /// Intercom's refusal of the machine relink runs on, not of the token: a 403 "Your IP address
    /// is not on the allowlist for API access" (workspace settings, Security, IP allowlist).
    /// Recognised by its message, since its code (`forbidden`, or none) is shared with other 403s.
    public var isAddressRefusal: Bool {
        status == 403 && Self.isAddressRefusal(message: message)
    }

    /// The evidence of a connection whose token the store no longer holds (its secrets lost a
    /// write): found by relink, not answered by Intercom, so it has no HTTP status.
    public static let tokenLost = Evidence(
        status: 0, code: "relink_token_lost", message: "the store holds no token for this connection")

    /// Whether this is ``tokenLost``: relink, not Intercom, cannot use the connection.
    public var isTokenLost: Bool { status == 0 && code == Self.tokenLost.code }

    /// Whether a 403's message is the IP-allowlist refusal ("Your IP address is not on the
    /// allowlist for API access"; "whitelist" in older wording), in any case.
    public static func isAddressRefusal(message: String?) -> Bool {
        guard let message = message?.lowercased() else { return false }
        return message.contains("ip address") && (message.contains("allowlist") || message.contains("whitelist"))
    }

    /// What a documented token code says about the token, for the evidence a person reads; nil for
    /// a code without a documented meaning (``Diagnosis/causesFitting(_:)`` has the sources).
    public var tokenMeaning: String? {
        switch code {
        case "token_revoked": "Intercom says the token has been revoked"
        case "token_suspended": "Intercom says the token's app is suspended or deleted"
        case "token_expired": "Intercom says the token is expired"
        case "token_blocked": "Intercom says the app or the token has been blocked"
        case "token_not_found": "Intercom says the token does not exist"
        case "admin_not_found": "Intercom says the teammate does not exist"
        case "missing_authorization": "Intercom found no authorization on the request"
        default: nil
        }
    }

    /// Whether the code says Intercom itself holds the app back (suspended, deleted or blocked):
    /// a new authorization helps only once the app is active again.
    public var isAppHeldByIntercom: Bool {
        code == "token_suspended" || code == "token_blocked"
    }

    /// A 403 `api_plan_restricted`: the workspace's plan lacks API access; no reconnect fixes it.
    public var isPlanRestriction: Bool {
        status == 403 && code == "api_plan_restricted"
    }

    /// `401 token_revoked (request 000abc)`: a short form for views and logs.
    public var summary: String {
        var text = "\(status)"
        if let code { text += " \(code)" }
        if let requestID { text += " (request \(requestID))" }
        return text
    }
}

/// Why a connection is thought broken: the evidence, and the causes that fit it.
///
/// The real API never says which cause killed a token, so `causes` lists every cause the evidence
/// fits; against the mock, the simulated cause is known and `isGroundTruth` is true.
public struct Diagnosis: Codable, Equatable, Sendable {
    public var evidence: Evidence
    public var causes: [BreakCause]
    public var isGroundTruth: Bool

    public init(evidence: Evidence, causes: [BreakCause], isGroundTruth: Bool) {
        self.evidence = evidence
        self.causes = causes
        self.isGroundTruth = isGroundTruth
    }

    /// A diagnosis from evidence alone, as a check against the real API makes it.
    public init(evidence: Evidence) {
        self.init(evidence: evidence, causes: Self.causesFitting(evidence), isGroundTruth: false)
    }

    /// The causes that an authentication or authorization answer is consistent with.
    ///
    /// Intercom's documented codes (developer docs, "Error codes"; OpenAPI `error` examples;
    /// Docs/intercom.md has the sources): `token_revoked` is a token revoked by hand or by its
    /// app's uninstall; `token_suspended` is the token of an app that was suspended or deleted;
    /// `admin_not_found` names a teammate who is gone; `token_not_found` a token Intercom no longer
    /// has (revoked, or its app uninstalled); `token_blocked` an app or token Intercom blocked,
    /// which relink can only show as the app gone; `token_expired` a token that ended, as a password
    /// change or a revocation ends one. A 403 `api_plan_restricted`
    /// is the workspace's plan and an IP-allowlist 403 the machine's address: no break cause fits.
    /// Every other 401 (unknown codes and items without a code included) fits every token death.
    public static func causesFitting(_ evidence: Evidence) -> [BreakCause] {
        if evidence.isPlanRestriction || evidence.isAddressRefusal { return [] }
        if evidence.status == 403 { return [.permissionMissing] }
        switch evidence.code {
        case "token_revoked": return [.tokenRevoked, .appUninstalled]
        case "admin_not_found": return [.userRemoved]
        case "token_suspended", "token_blocked": return [.appUninstalled]
        case "token_not_found": return [.tokenRevoked, .appUninstalled]
        case "token_expired": return [.passwordChanged, .tokenRevoked]
        default: return [.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled]
        }
    }

    /// A live token that lacks a scope: a 401 or 403 on a route the app's work needs while `/me`
    /// accepts the same token. No token death fits; the app's permissions and a reconnect do.
    public init(missingPermission evidence: Evidence) {
        self.init(evidence: evidence, causes: [.permissionMissing], isGroundTruth: false)
    }

    /// Whether an HTTP status means Intercom refused the token or its permissions (as opposed to
    /// being briefly unavailable): only these answers may mark a connection broken.
    public static func isAuthenticationFailure(status: Int) -> Bool {
        status == 401 || status == 403
    }
}

/// How a new authorization is obtained against the real API; against the mock the teammate logs in
/// through the mock's `/oauth` whatever the method.
public enum AuthorizationMethod: Sendable, Equatable {
    /// Print the authorize URL, then read the URL the person was redirected to (or its code)
    /// pasted back: the default, because Intercom redirects only to registered HTTPS URLs, which a
    /// listener on this machine cannot be.
    case pasteCode
    /// A one-shot loopback listener for the redirect (`--listen`): for a loopback redirect URL
    /// registered for a development app.
    case listen
    /// An access token typed at a hidden prompt.
    case accessToken
}
