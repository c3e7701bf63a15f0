import Foundation
import IntercomAPI
import RelinkCore

/// A workspace (Intercom's "app") as `/me` embeds it: relink's ``Workspace`` and the fields `/me`
/// adds. The teammate is relink's ``AppUser``, so a test compares what relink recorded directly.
public struct StandInWorkspace: Sendable, Equatable {
    public var workspace: Workspace
    public var timezone: String
    /// Unix seconds.
    public var createdAt: Int

    public init(_ workspace: Workspace, timezone: String = "Europe/Edinburgh", createdAt: Int = 1_661_876_617) {
        self.workspace = workspace
        self.timezone = timezone
        self.createdAt = createdAt
    }

    /// The `id_code`, e.g. `"drzzt019"`.
    public var idCode: String { workspace.id }
}

/// Which fields the token exchange answers with. No primary source shows Intercom's exact answer
/// (research §3.1), so a test picks one.
public enum TokenAnswerShape: Sendable, Equatable {
    /// `{"token_type":"Bearer","token":T,"access_token":T}`: the default, what the mock sends too.
    case both
    /// `{"token_type":"Bearer","access_token":T}`: OAuth 2's name only.
    case accessTokenOnly
    /// `{"token_type":"Bearer","token":T}`.
    case tokenOnly
    /// `{"token_type":"Bearer"}`: no token at all, which relink must refuse naming the fields seen.
    case neither
}

/// The routes of Intercom's real API that the stand-in serves, for canned answers and the log.
public enum StandInRoute: String, Sendable, Hashable, CaseIterable {
    /// `POST /auth/eagle/token`
    case tokenExchange
    /// `GET /me`
    case me
    /// `GET /admins`
    case admins
    /// `GET /conversations`
    case conversations
    /// `GET /conversations/{id}`
    case conversation
    /// `POST /conversations/{id}/reply`
    case reply
}

/// An answer a test sets for a route, to reproduce one of the real API's answers exactly
/// (a 403 of the IP allowlist, a 429 with `Retry-After`, a proxy's HTML page…).
public struct CannedAnswer: Sendable, Equatable {
    public var status: Int
    public var body: String
    public var contentType: String
    /// Extra headers, e.g. `Retry-After`.
    public var headers: [String: String]
    /// How many requests it answers before the route answers normally again; `nil`: until cleared.
    public var times: Int?

    public init(
        status: Int, body: String, contentType: String = "application/json; charset=utf-8",
        headers: [String: String] = [:], times: Int? = nil
    ) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.headers = headers
        self.times = times
    }

    /// Intercom's error envelope with one item, with a fresh request id.
    public static func errorList(
        status: Int, code: String?, message: String, headers: [String: String] = [:], times: Int? = nil
    ) -> CannedAnswer {
        let list = ErrorList(requestID: RealIntercomStandIn.newRequestID(), errors: [.init(code: code, message: message)])
        return CannedAnswer(
            status: status, body: String(decoding: StandInJSON.encode(list), as: UTF8.self), headers: headers,
            times: times)
    }
}

/// One request the stand-in received. Never the token, the code or the client secret: only whether
/// an `Authorization` header came.
public struct StandInRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The route it matched, `nil` for a path the real API does not have here (answered 404).
    public var route: StandInRoute?
    public var hadAuthorization: Bool
    /// The `Intercom-Version` header, when one came (relink sends a configurable one).
    public var intercomVersion: String?
    /// The status it was answered.
    public var status: Int
}

enum StandInJSON {
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The wire shapes encode without throwing; an empty object keeps the stand-in answering.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
