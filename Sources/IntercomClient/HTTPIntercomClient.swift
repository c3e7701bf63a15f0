import AsyncHTTPClient
import Foundation
import IntercomAPI
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// ``IntercomAPIClient`` over HTTP with AsyncHTTPClient, against the real API or the mock.
///
/// Every request carries `Accept: application/json`, the configured `Intercom-Version` (default
/// ``IntercomVersion/current``) and a `User-Agent`,
/// has a deadline, and reads at most `maxBodyBytes` of the answer. Every answer, including an HTML
/// error page or a dropped connection, becomes a typed ``IntercomFailure``; nothing throws.
public struct HTTPIntercomClient: IntercomAPIClient {
    /// The `User-Agent` relink sends.
    public static let userAgent = "relink/1.0 (Swift; AsyncHTTPClient)"

    public let endpoint: IntercomEndpoint
    /// How long one request may take, from the first byte sent to the last byte read.
    public let timeout: Duration
    /// The largest answer body read; a larger one is a ``IntercomFailure/Kind/tooLarge`` failure.
    public let maxBodyBytes: Int
    /// The largest conversation read (`GET /conversations/{id}`, and the conversation a reply or a
    /// part answers with). Intercom returns up to the 500 most recent parts with their HTML bodies,
    /// which can be megabytes; the outbox must read one whole to find its marker, so this bound is
    /// far above any such answer and only stops a body that never ends.
    public let maxConversationBytes: Int
    let transport: HTTPTransport
    let logger: Logger
    /// The `Intercom-Version` sent with every request.
    public let intercomVersion: String

    /// A client for `endpoint` over one HTTP client, which stays owned by the caller (the shared
    /// one needs no shutdown).
    ///
    /// Should the client follow a redirect, AsyncHTTPClient drops `Authorization` when the redirect
    /// leaves the origin, so a token never travels to another host.
    public init(
        endpoint: IntercomEndpoint, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10),
        maxBodyBytes: Int = 1 << 20, maxConversationBytes: Int = 64 << 20,
        intercomVersion: String = IntercomVersion.current, logger: Logger
    ) {
        self.init(
            endpoint: endpoint, transport: HTTPTransport(client: httpClient), timeout: timeout,
            maxBodyBytes: maxBodyBytes, maxConversationBytes: maxConversationBytes, intercomVersion: intercomVersion,
            logger: logger)
    }

    /// A client for `endpoint` whose requests go through `transport` (directly or through the
    /// HTTPS proxy, as `NO_PROXY` decides per host); the caller owns the transport.
    public init(
        endpoint: IntercomEndpoint, transport: HTTPTransport, timeout: Duration = .seconds(10),
        maxBodyBytes: Int = 1 << 20, maxConversationBytes: Int = 64 << 20,
        intercomVersion: String = IntercomVersion.current, logger: Logger
    ) {
        self.endpoint = endpoint
        self.maxConversationBytes = max(maxConversationBytes, maxBodyBytes)
        self.intercomVersion = intercomVersion
        self.transport = transport
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    /// See ``IntercomAPIClient/me(token:)``.
    public func me(token: String) async -> Result<Admin, IntercomFailure> {
        await me(token: token, observe: { _ in })
    }

    /// See ``IntercomAPIClient/me(token:observe:)``.
    public func me(token: String, observe: @Sendable (RateLimitStatus) -> Void) async -> Result<Admin, IntercomFailure>
    {
        await get("/me", as: Admin.self, token: token, observe: observe)
    }

    /// See ``IntercomAPIClient/meProbe(token:observe:)``: the admin's identity fields only, which
    /// is most of a `check --all`'s decoding saved (the app, the avatar, the flags are not read).
    public func meProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async
        -> Result<Void, IntercomFailure>
    {
        await get("/me", as: AdminIdentity.self, token: token, observe: observe).map { _ in () }
    }

    /// See ``IntercomAPIClient/admins(token:)``.
    public func admins(token: String) async -> Result<[Admin], IntercomFailure> {
        let answer = await send(.GET, endpoint.url("/admins"), token: token)
        return answer.flatMap { decode(AdminList.self, $0) }.map(\.admins)
    }

    /// See ``IntercomAPIClient/conversationsProbe(token:)``.
    public func conversationsProbe(token: String) async -> Result<Void, IntercomFailure> {
        await conversationsProbe(token: token, observe: { _ in })
    }

    /// See ``IntercomAPIClient/conversationsProbe(token:observe:)``.
    public func conversationsProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async
        -> Result<Void, IntercomFailure>
    {
        await get("/conversations?per_page=1", as: ConversationList.self, token: token, observe: observe).map { _ in () }
    }

    /// `GET path`, telling `observe` what the answer's rate-limit headers say, decoded as `type`.
    private func get<T: Decodable>(
        _ path: String, as type: T.Type, token: String, observe: @Sendable (RateLimitStatus) -> Void
    ) async -> Result<T, IntercomFailure> {
        let answer = await send(.GET, endpoint.url(path), token: token)
        if case .success(let response) = answer, let status = RateLimitHeaders(response.headers).status {
            observe(status)
        }
        return answer.flatMap { decode(T.self, $0) }
    }

    /// See ``IntercomAPIClient/exchange(code:clientID:clientSecret:)``.
    public func exchange(code: String, clientID: String, clientSecret: String) async
        -> Result<TokenResponse, IntercomFailure>
    {
        let form = Self.formEncode([("code", code), ("client_id", clientID), ("client_secret", clientSecret)])
        let answer = await send(
            .POST, endpoint.tokenURL, token: nil,
            body: (contentType: "application/x-www-form-urlencoded", data: Data(form.utf8)))
        return answer.flatMap(tokenAnswer)
    }

    /// The token exchange's answer decoded. A garbled one may hold the token itself: its body is
    /// never quoted, only the names of its fields.
    func tokenAnswer(_ response: Answer) -> Result<TokenResponse, IntercomFailure> {
        decode(TokenResponse.self, response, quoteBody: false).mapError { failure in
            guard (200..<300).contains(response.status), failure.kind == .notJSON else { return failure }
            var failure = failure
            failure.message =
                "the token answer carries neither access_token nor token (its fields: \(Self.fieldNames(response.body)))"
            return failure
        }
    }

    /// See ``IntercomAPIClient/uninstall(token:)``.
    public func uninstall(token: String) async -> Result<Void, IntercomFailure> {
        let answer = await send(.POST, endpoint.url("/auth/uninstall"), token: token)
        // Any 2xx is success: the body (`{}` or nothing) carries no information.
        return answer.flatMap { response in
            (200..<300).contains(response.status) ? .success(()) : .failure(Self.failure(for: response))
        }
    }

    /// See ``IntercomAPIClient/replyWithNote(conversationID:adminID:body:token:)``.
    public func replyWithNote(conversationID: String, adminID: String, body: String, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(AdminReplyRequest.note(adminID: adminID, body: body))
        } catch {
            return .failure(IntercomFailure(kind: .badRequest, message: "the note could not be encoded: \(error)"))
        }
        let answer = await send(
            .POST, endpoint.url("/conversations/\(Self.pathSegment(conversationID))/reply"), token: token,
            body: (contentType: "application/json", data: payload), limit: maxConversationBytes)
        return answer.flatMap { decode(Conversation.self, $0) }
    }

    /// See ``IntercomAPIClient/conversation(id:token:)``.
    public func conversation(id: String, token: String) async -> Result<Conversation, IntercomFailure> {
        let answer = await send(
            .GET, endpoint.url("/conversations/\(Self.pathSegment(id))"), token: token, limit: maxConversationBytes)
        return answer.flatMap { decode(Conversation.self, $0) }
    }

    /// See ``IntercomAPIClient/manageConversation(id:_:token:)``.
    public func manageConversation(id: String, _ request: ManageConversationRequest, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        let payload: Data
        do { payload = try JSONEncoder().encode(request) } catch {
            return .failure(IntercomFailure(kind: .badRequest, message: "the request could not be encoded: \(error)"))
        }
        let answer = await send(
            .POST, endpoint.url("/conversations/\(Self.pathSegment(id))/parts"), token: token,
            body: (contentType: "application/json", data: payload), limit: maxConversationBytes)
        return answer.flatMap { decode(Conversation.self, $0) }
    }

    /// The top-level field names of a JSON object body, never their values: what a person may be
    /// shown of an answer that may hold a secret.
    static func fieldNames(_ body: ByteBuffer) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else {
            return "none: the body is not a JSON object"
        }
        let names = object.keys.sorted().map { name in
            name.count > 40 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                ? "…" : name
        }
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    /// An id as one path segment: a `/` or `?` in it cannot reach another route.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", "%"])) ?? id
    }

    // MARK: Transport

    /// One answer read in full (bounded).
    /// An HTTP answer whatever its status, with its bounded body.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer
    }

    /// Sends one request and reads its body, at most `limit` bytes (``maxBodyBytes`` unless given);
    /// only transport problems fail here.
    public func send(
        _ method: HTTPMethod, _ url: String, token: String?, body: (contentType: String, data: Data)? = nil,
        limit: Int? = nil
    ) async -> Result<Answer, IntercomFailure> {
        let maxBodyBytes = limit ?? self.maxBodyBytes
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: IntercomVersion.headerName, value: intercomVersion)
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(ByteBuffer(data: body.data))
        }
        // The path is for the debug log lines only: not parsed per request unless they are written.
        let path = logger.logLevel <= .debug ? URL(string: url)?.path ?? url : url
        let started = ContinuousClock.now
        do {
            let response = try await transport.client(for: url).execute(request, deadline: .now() + TimeAmount(timeout))
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBodyBytes {
                return .failure(tooLarge(status: Int(response.status.code), bytes: length, limit: maxBodyBytes))
            }
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            let answer = Answer(status: Int(response.status.code), headers: response.headers, body: buffer)
            logger.debug(
                "intercom answered",
                metadata: [
                    "method": "\(method.rawValue)", "path": "\(path)", "status": "\(answer.status)",
                    "request_id": "\(answer.headers.first(name: "X-Request-Id") ?? "-")",
                    "elapsed": "\(ContinuousClock.now - started)",
                ])
            return .success(answer)
        } catch {
            let failure = Self.failure(
                forTransportError: error, timeout: timeout, maxBodyBytes: maxBodyBytes,
                host: URL(string: url)?.host ?? url, proxy: transport.proxy(for: url))
            logger.debug(
                "intercom request failed",
                metadata: ["method": "\(method.rawValue)", "path": "\(path)", "failure": "\(failure.kind.rawValue)"])
            return .failure(failure)
        }
    }

    private func tooLarge(status: Int, bytes: Int?, limit: Int) -> IntercomFailure {
        let size = bytes.map { "\($0) bytes" } ?? "more than \(limit) bytes"
        return IntercomFailure(
            kind: .tooLarge, status: status, message: "the answer has \(size); the limit is \(limit) bytes")
    }

    /// `application/x-www-form-urlencoded`: only unreserved characters stay, space becomes `+`.
    static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._* ")
        func encode(_ value: String) -> String {
            (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value).replacingOccurrences(
                of: " ", with: "+")
        }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

/// What a health check reads of `/me`: the fields every admin has (``Admin``'s required ones).
struct AdminIdentity: Decodable {
    var type: String
    var id: String
    var name: String
    var email: String
}
