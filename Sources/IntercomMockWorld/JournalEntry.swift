import Foundation
import RelinkCore

/// One request as the journal keeps it. Tokens appear only as their public id, or `[redacted]`
/// when the request carried a token the mock does not know.
public struct JournalEntry: Codable, Equatable, Sendable {
    /// Order in which the mock decided the answers; later decisions have larger numbers.
    public var sequence: Int
    public var time: Date
    public var method: String
    public var path: String
    /// `nil` when the connection was dropped without an answer.
    public var status: Int?
    public var requestID: String
    /// The fault applied, e.g. `f1:latency 120ms`.
    public var fault: String?
    public var token: String?
    /// Whether the token was alive when the request was decided; `nil` without a known token.
    public var tokenAlive: Bool?
    /// The `Intercom-Version` the request asked for; `nil` without the header.
    public var intercomVersion: String?
    /// The rate-limit counters the request counted on; `nil` when it counted on none (refused
    /// before, or by, the rate limit). Every process on a store counts from these.
    public var countedAs: RateCount?

    /// An app in a workspace, whose counter and whose workspace's counter a request counted on.
    public struct RateCount: Codable, Equatable, Sendable {
        public var clientID: String
        public var workspaceID: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case workspaceID = "workspace_id"
        }

        public init(clientID: String, workspaceID: String) {
            self.clientID = clientID
            self.workspaceID = workspaceID
        }
    }

    enum CodingKeys: String, CodingKey {
        case sequence, time, method, path, status
        case requestID = "request_id"
        case fault, token
        case tokenAlive = "token_alive"
        case intercomVersion = "intercom_version"
        case countedAs = "counted_as"
    }

    public init(
        sequence: Int, time: Date, method: String, path: String, status: Int?, requestID: String, fault: String?,
        token: String?, tokenAlive: Bool?, intercomVersion: String? = nil, countedAs: RateCount? = nil
    ) {
        self.intercomVersion = intercomVersion
        self.countedAs = countedAs
        self.sequence = sequence
        self.time = time
        self.method = method
        self.path = path
        self.status = status
        self.requestID = requestID
        self.fault = fault
        self.token = token
        self.tokenAlive = tokenAlive
    }
}
