import Foundation
import IntercomAPI
import IntercomMockWorld

/// The Intercom routes the mock answers.
enum APIRoute: Sendable, Equatable {
    case me
    case admins
    case admin(id: String)
    case uninstall
    case conversation(id: String)
    /// `GET /conversations`: the list, first page.
    case conversations
    case reply(conversationID: String)
    /// `POST /conversations/{id}/parts`: open, close, snooze, assign.
    case manage(conversationID: String)
    case authorize
    case tokenExchange

    /// OAuth's own endpoints take no bearer token and no `Intercom-Version`.
    var isOAuth: Bool { self == .authorize || self == .tokenExchange }
}

/// What the actor needs of an HTTP request: no NIO types, so it crosses into the actor cheaply.
struct APIRequest: Sendable {
    var route: APIRoute
    var method: String
    var path: String
    var authorization: String?
    var version: String?
    var query: [String: String] = [:]
    var contentType: String?
    var body: Data = Data()
}

/// An answer decided by the actor; it is encoded outside the actor so that encoding runs in parallel.
struct APIOutcome: Sendable {
    enum Payload: Sendable {
        case admin(Admin)
        case adminList(AdminList)
        case conversation(Conversation)
        case conversationList(ConversationListPage)
        case token(TokenResponse)
        case errors(ErrorList)
        case html(String)
        /// JSON already encoded (a cached answer).
        case encoded(Data)
        case emptyObject
        case none
    }

    var status: Int
    var headers: [(String, String)] = []
    var payload: Payload

    /// Compact JSON, slashes unescaped as Intercom sends them.
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding these plain structs cannot fail; an empty object is a safe answer if it ever did.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func error(_ status: Int, _ code: IntercomErrorCode, _ message: String, requestID: String) -> APIOutcome {
        APIOutcome(
            status: status,
            payload: .errors(ErrorList(requestID: requestID, errors: [.init(code, message: message)])))
    }
}

/// The actor's decision for one request.
enum APIStep: Sendable {
    case answer(APIOutcome, requestID: String)
    /// Wait, then ask again with the fault recorded as applied.
    case delay(milliseconds: Int, fault: String)
    /// Close the connection without answering.
    case drop
}

extension APIRoute {
    /// The routes that need the conversations permission; a token without it is answered 403 there
    /// (and only there: `/me` and `/admins` still answer).
    var needsConversationPermission: Bool {
        switch self {
        case .conversation, .conversations, .reply, .manage: true
        case .me, .admins, .admin, .uninstall, .authorize, .tokenExchange: false
        }
    }
}
