import Foundation
import RelinkCore

/// Why a call to Intercom did not give the answer asked for.
///
/// Only ``Kind/authRejected`` (401) and ``Kind/forbidden`` (403) say anything about the token:
/// ``breaksConnection`` is true for those two alone, so a 429, a 5xx, a timeout or a refused
/// connection can never mark a healthy connection broken (design §1). The failure carries the
/// evidence a person needs (status, error code, message, request id) and never a token; it is
/// `Codable` so a failed check can be recorded as it was.
public struct IntercomFailure: Error, Codable, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Codable, Equatable, Sendable, CaseIterable {
        /// 401 with a JSON body, whatever its code (or none): Intercom refuses the token (revoked,
        /// password changed, teammate removed, app uninstalled or suspended).
        case authRejected
        /// 403 with Intercom's `error.list`: the token lives but lacks a permission, or the
        /// workspace's plan does not include the API (`api_plan_restricted`, see ``isPlanRestricted``).
        case forbidden
        /// 429: over the rate limit; see ``IntercomFailure/rateLimitReset``.
        case rateLimited
        /// 404: no such resource (conversation, admin).
        case notFound
        /// 400, 422 and other 4xx answers, including `intercom_version_invalid`: the request is wrong.
        case badRequest
        /// 5xx with Intercom's `error.list`.
        case serverError
        /// No answer within the client's timeout.
        case timeout
        /// No HTTP answer at all: refused, reset or dropped connection, unknown host.
        case unreachable
        /// A body that is not the JSON expected (an HTML error page from a proxy, a truncated body).
        case notJSON
        /// A body larger than the client accepts.
        case tooLarge
        /// TLS refused the server's certificate (an unknown CA, another host's name): the message
        /// names the host and the reason. Never retried, never a verdict on the token.
        case untrustedCertificate
    }

    public var kind: Kind
    /// The HTTP status, when an answer arrived.
    public var status: Int?
    /// The first `error.list` code, e.g. `token_revoked`.
    public var code: String?
    /// Intercom's message, or what went wrong on the way (never a token).
    public var message: String?
    /// Intercom's request id, from the body or the `X-Request-Id` header.
    public var requestID: String?
    /// When Intercom said to ask again: `Retry-After` (seconds or an HTTP-date) when the answer
    /// has one, else `X-RateLimit-Reset` on a 429. Set on 429s, and on 5xx answers that carry a
    /// `Retry-After`.
    public var rateLimitReset: Date?
    /// For ``Kind/notJSON``: the start of the body, squeezed to one short line.
    public var bodySnippet: String?

    /// A failure with its evidence; fill in what is known.
    public init(
        kind: Kind, status: Int? = nil, code: String? = nil, message: String? = nil, requestID: String? = nil,
        rateLimitReset: Date? = nil, bodySnippet: String? = nil
    ) {
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.rateLimitReset = rateLimitReset
        self.bodySnippet = bodySnippet
    }

    /// Whether Intercom said the token no longer works: the only failures that may mark a
    /// connection broken. An IP-allowlist 403 refuses this machine, not the token: no verdict.
    public var breaksConnection: Bool {
        kind == .authRejected || (kind == .forbidden && !isAddressRefusal)
    }

    /// Whether this is Intercom's 403 for a request from an address outside the workspace's IP
    /// allowlist ("Your IP address is not on the allowlist for API access"), recognised by its message.
    public var isAddressRefusal: Bool {
        kind == .forbidden && Evidence.isAddressRefusal(message: message)
    }

    /// Whether this is a 403 `api_plan_restricted`: the workspace's plan lacks API access, which no
    /// new authorization can fix.
    public var isPlanRestricted: Bool {
        kind == .forbidden && code == IntercomErrorCode.apiPlanRestricted.rawValue
    }

    /// Whether the answer was a 401 or 403 whose body is not JSON (a proxy's or CDN's page): no
    /// verdict on the token.
    public var isUnverifiedRefusal: Bool {
        kind == .notJSON && (status == 401 || status == 403)
    }

    /// Whether trying again later may succeed, so a retry is worth it and a check keeps the
    /// connection's state.
    ///
    /// Rate limits, server errors, timeouts and unreachable hosts are transient. A body that is not
    /// JSON is transient unless it came with a success status below 500 (a 2xx with an unreadable
    /// body, or a 4xx page from something that is not Intercom, reads the same way next time).
    /// 401, 403, 404, 400 and an oversized body are never transient.
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .serverError, .timeout, .unreachable: true
        case .notJSON: status.map { $0 >= 500 } ?? true
        case .authRejected, .forbidden, .notFound, .badRequest, .tooLarge, .untrustedCertificate: false
        }
    }

    /// One or two sentences a person can act on: what happened, the evidence, what to do.
    public var description: String {
        var evidence: [String] = []
        if let status { evidence.append("HTTP \(status)") }
        if let code { evidence.append(code) }
        if let requestID { evidence.append("request \(requestID)") }
        let facts = evidence.isEmpty ? "" : " (\(evidence.joined(separator: ", ")))"
        let said = message.map { ": \($0)" } ?? ""
        switch kind {
        case .authRejected:
            return "Intercom rejected the token\(facts)\(said). Reconnect to authorize again."
        case .forbidden where isAddressRefusal:
            return "Intercom refuses requests from this machine's IP address\(facts)\(said). The token was not judged and the "
                + "connection is left as it was. An Intercom admin allows the address in the workspace's settings "
                + "(Security, IP allowlist), or run relink from an allowed machine."
        case .forbidden where isPlanRestricted:
            return "Intercom refused the request: the workspace's plan does not include API access\(facts)\(said). "
                + "Reconnecting cannot fix this; the workspace needs an active subscription that includes the API."
        case .forbidden:
            return "Intercom refused the request for lack of permission\(facts)\(said). "
                + "Reconnect as a teammate who can install, configure and delete apps."
        case .rateLimited:
            let reset = rateLimitReset.map { " until \(Self.format($0))" } ?? ""
            return "Intercom is rate limiting this token\(reset)\(facts)\(said). Try again after the reset."
        case .notFound:
            return
                "Intercom has no such resource\(facts)\(said). Check the id, and that it belongs to the connected workspace."
        case .badRequest:
            return "Intercom refused the request as invalid\(facts)\(said)."
        case .serverError:
            return "Intercom had a server error\(facts)\(said). This is temporary: try again later."
        case .timeout:
            return "Intercom did not answer in time\(facts)\(said). Try again later; the connection state is unchanged."
        case .unreachable:
            return "Intercom could not be reached\(facts)\(said). Check the network and the endpoint, then try again."
        case .notJSON where isUnverifiedRefusal:
            let snippet = bodySnippet.map { " Body starts: \"\($0)\"." } ?? ""
            return "An answer \(status ?? 0) without Intercom's JSON came back\(facts)\(said).\(snippet) "
                + "It is not Intercom's verdict on the token (a proxy or CDN page is likely): the connection is left as it was."
        case .notJSON:
            let snippet = bodySnippet.map { " Body starts: \"\($0)\"." } ?? ""
            return "Intercom's answer was not the JSON expected\(facts)\(said).\(snippet) "
                + "A proxy or an outage page is likely: try again later."
        case .tooLarge:
            return "Intercom's answer was larger than relink accepts\(facts)\(said)."
        case .untrustedCertificate:
            return "relink did not trust the server's TLS certificate\(said). Nothing was sent and the connection is "
                + "left as it was. If a proxy or gateway with its own CA is in the way, add that CA: "
                + "SSL_CERT_FILE=/path/to/ca.pem (a PEM bundle, added to the system's CAs)."
        }
    }

    private static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
