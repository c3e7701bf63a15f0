/// A fault to inject into the mock's answers: one type for `mock fault add` (the command language
/// parses straight into it), for `POST /__mock/faults` and for `mock-faults.json`.
///
/// It lives in this module of its own, which depends on nothing, so that RelinkCommands can name a
/// fault without linking the mock's world (IntercomAPI, Crypto): the command language stays cheap to
/// test and to fuzz. IntercomMockWorld re-exports it and adds what the mock decides about a fault
/// (`validate()`, ``FaultInfo``, the fault book); its coding keys are the control API's, unchanged.
public struct FaultSpec: Codable, Equatable, Sendable {
    /// Spelled as the control API and `mock fault add` spell them; `allCases` in the order help lists them.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Delay the answer by `latency_ms`, or by a random time between `latency_min_ms` and `latency_max_ms`.
        case latency
        /// Answer `status` with an `error.list` (`body: json`, the default) or an HTML page (`body: html`).
        case status
        /// Answer 429 `rate_limit_exceeded` with rate-limit headers.
        case rateLimit = "rate_limit"
        /// Close the connection without any HTTP answer.
        case drop
    }

    /// What a status fault answers with: a generic `error.list` (`json`), an HTML page (`html`), or
    /// one of the real answers Intercom is documented or seen to send, shaped exactly as its source
    /// shows it (Docs/intercom.md, "What each answer says about the connection"), so support staff
    /// can reproduce a customer's answer word for word.
    public enum Body: String, Codable, Sendable, CaseIterable {
        case json, html
        /// 401 `token_unauthorized` "Not authorized to access resource": a live token without a scope.
        case scope
        /// 403 `forbidden` "You do not have the required scope (read_conversations) to access this resource".
        case scopeNamed = "scope_named"
        /// 403 "Your IP address is not on the allowlist for API access".
        case allowlist
        /// 403 `api_plan_restricted` "Active subscription needed.".
        case plan
        /// 401 with an item that has no `code`: "Not authorized to access resource".
        case nocode
        /// 401 `unauthorized` "Access Token Invalid".
        case unauthorized
        case tokenRevoked = "token_revoked"
        case tokenSuspended = "token_suspended"
        case tokenBlocked = "token_blocked"
        case tokenExpired = "token_expired"
        case tokenNotFound = "token_not_found"
        case adminNotFound = "admin_not_found"
        /// 404 `not_found` "Resource Not Found".
        case notFound = "not_found"
        /// 403 `forbidden` "Admin does not have access to this conversation".
        case conversationForbidden = "conversation_forbidden"

        /// The status the real answer comes with, used when a fault names no `--status`.
        public var naturalStatus: Int? {
            switch self {
            case .json, .html: nil
            case .scope, .nocode, .unauthorized, .tokenRevoked, .tokenSuspended, .tokenBlocked, .tokenExpired,
                .tokenNotFound:
                401
            case .scopeNamed, .allowlist, .plan, .conversationForbidden: 403
            case .adminNotFound, .notFound: 404
            }
        }
    }

    /// An exact path, `*` for every path, or a prefix ending in `*` (`/admins/*`).
    public var path: String
    /// Only this method (`GET`, `POST`); every method when `nil`.
    public var method: String?
    public var kind: Kind
    public var latencyMs: Int?
    public var latencyMinMs: Int?
    public var latencyMaxMs: Int?
    public var status: Int?
    public var body: Body?
    /// The chance (0…1) that a matching request is hit; 1 when `nil`.
    public var probability: Double?
    /// Seeds the fault's own generator so a run repeats exactly; a random seed when `nil`.
    public var seed: UInt64?
    /// Hit at most this many requests; no limit when `nil`.
    public var times: Int?

    enum CodingKeys: String, CodingKey {
        case path, method, kind
        case latencyMs = "latency_ms"
        case latencyMinMs = "latency_min_ms"
        case latencyMaxMs = "latency_max_ms"
        case status, body, probability, seed, times
    }

    public init(
        path: String, method: String? = nil, kind: Kind, latencyMs: Int? = nil, latencyMinMs: Int? = nil,
        latencyMaxMs: Int? = nil, status: Int? = nil, body: Body? = nil, probability: Double? = nil,
        seed: UInt64? = nil, times: Int? = nil
    ) {
        self.path = path
        self.method = method
        self.kind = kind
        self.latencyMs = latencyMs
        self.latencyMinMs = latencyMinMs
        self.latencyMaxMs = latencyMaxMs
        self.status = status
        self.body = body
        self.probability = probability
        self.seed = seed
        self.times = times
    }

    /// The longest latency a fault may inject: a day, far from any arithmetic limit.
    public static let maximumLatencyMs = 86_400_000

    /// Whether a request is one the fault applies to (by method and path; not whether it hits).
    public func matches(method requestMethod: String, path requestPath: String) -> Bool {
        if let method, method.uppercased() != requestMethod.uppercased() { return false }
        if path == "*" { return true }
        if path.hasSuffix("*") { return requestPath.hasPrefix(path.dropLast()) }
        return path == requestPath
    }
}
