/// Intercom's error envelope (schema `error`):
/// `{"type":"error.list","request_id":"…","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`.
public struct ErrorList: Codable, Equatable, Sendable, Error {
    /// Always `"error.list"`.
    public var type: String
    /// Intercom's request id; some answers (e.g. some 400s) carry none.
    public var requestID: String?
    public var errors: [Item]

    enum CodingKeys: String, CodingKey {
        case type
        case requestID = "request_id"
        case errors
    }

    public init(requestID: String?, errors: [Item]) {
        self.type = "error.list"
        self.requestID = requestID
        self.errors = errors
    }

    /// One error of the list.
    public struct Item: Codable, Equatable, Sendable {
        /// A machine-readable code such as `unauthorized`; see ``IntercomErrorCode``. Real answers
        /// exist without one (a 401 "Not authorized to access resource"): it is optional.
        public var code: String?
        public var message: String?
        /// The parameter at fault, when there is one.
        public var field: String?

        public init(code: String?, message: String?, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }

        public init(_ code: IntercomErrorCode, message: String) {
            self.init(code: code.rawValue, message: message)
        }
    }
}

/// The error codes relink knows (design §2). Intercom sends others too: keep the raw string when
/// `IntercomErrorCode(rawValue:)` gives `nil`.
public enum IntercomErrorCode: String, Codable, Sendable, CaseIterable {
    case unauthorized
    case missingAuthorization = "missing_authorization"
    case tokenNotFound = "token_not_found"
    case tokenRevoked = "token_revoked"
    case tokenUnauthorized = "token_unauthorized"
    case tokenSuspended = "token_suspended"
    case tokenBlocked = "token_blocked"
    case tokenExpired = "token_expired"
    case apiPlanRestricted = "api_plan_restricted"
    case adminNotFound = "admin_not_found"
    case forbidden
    case actionForbidden = "action_forbidden"
    case notFound = "not_found"
    case rateLimitExceeded = "rate_limit_exceeded"
    case intercomVersionInvalid = "intercom_version_invalid"
    case parameterInvalid = "parameter_invalid"
    case parameterNotFound = "parameter_not_found"
    case serverError = "server_error"
}
