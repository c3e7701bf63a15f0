import Foundation
import Hummingbird
import HummingbirdTLS
import IntercomAPI
import Logging
import RelinkCore
import NIOCore
import ServiceLifecycle
import Synchronization

/// A stand-in for Intercom's real API: HTTPS on 127.0.0.1 with a certificate made at test time,
/// serving only the routes of the real API (design §2), never `/__mock/`.
///
/// The test drives it in-process: register an OAuth app, mint an authorization code for a teammate
/// of a workspace (as if the person had consented at `/oauth`, which the stand-in does not serve),
/// kill a token, set canned answers, read the request log.
public final class RealIntercomStandIn: Sendable {
    /// The authority whose CA signed the server's certificate: write its `ca.pem` for `SSL_CERT_FILE`.
    public let authority: TestCertificateAuthority
    /// The port the OS chose.
    public let port: Int
    private let state: Mutex<StandInState>
    private let task: Task<Void, any Error>
    private let group: ServiceGroup
    private let box: StateBox

    // MARK: Defaults a test can use as they are

    public static let clientID = "relink-standin-client"
    /// Fake, and says so.
    public static let clientSecret = "fake-standin-client-secret"
    public static let teammate = AppUser(id: "2633609", email: "jira-bot@acme.test", name: "Jira Bot")
    public static let workspace = StandInWorkspace(Workspace(id: "drzzt019", name: "Acme Support", region: .us))

    /// `https://127.0.0.1:PORT`, no trailing slash.
    public var baseURL: String { "https://127.0.0.1:\(port)" }
    /// `https://localhost:PORT`: the same server by name (the certificate names both).
    public var localhostURL: String { "https://localhost:\(port)" }

    private init(
        authority: TestCertificateAuthority, port: Int, task: Task<Void, any Error>, group: ServiceGroup, box: StateBox
    ) {
        self.box = box
        self.authority = authority
        self.port = port
        self.state = Mutex(StandInState())
        self.task = task
        self.group = group
    }

    // MARK: Starting and stopping

    /// Starts the stand-in on 127.0.0.1, a port the OS picks, and returns once it listens.
    ///
    /// - Parameter authority: the CA and leaf to serve; a fresh one by default.
    public static func start(authority: TestCertificateAuthority? = nil) async throws -> RealIntercomStandIn {
        let authority = try authority ?? TestCertificateAuthority()
        let tls = try authority.serverTLSConfiguration()
        let box = StateBox()
        let logger = Logger(label: "relink.standin") { _ in SwiftLogNoOpLogHandler() }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await box.handle(request)
        }
        let application = Application(
            responder: responder,
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        // A service group of its own: shutdown is graceful, not a cancellation Hummingbird reports.
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            try await task.value
            throw StandInError("the stand-in stopped before it listened")
        }
        let standIn = RealIntercomStandIn(authority: authority, port: port, task: task, group: group, box: box)
        box.standIn.withLock { $0 = standIn }
        return standIn
    }

    /// Stops the server gracefully and returns once it has stopped.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        // The responder's box holds the stand-in, which holds the server's task: let both go.
        box.standIn.withLock { $0 = nil }
    }

    /// Runs `body` against a fresh stand-in and shuts it down afterwards, whatever happens.
    public static func with<T>(
        authority: TestCertificateAuthority? = nil, _ body: (RealIntercomStandIn) async throws -> T
    ) async throws -> T {
        try await scoped(try await start(authority: authority), shutdown: { await $0.shutdown() }, body)
    }

    // MARK: Control, in-process

    /// Registers an OAuth app; the token exchange accepts only registered client ids with their secret.
    public func registerApp(clientID: String = RealIntercomStandIn.clientID, clientSecret: String = RealIntercomStandIn.clientSecret) {
        state.withLock { $0.apps[clientID] = clientSecret }
    }

    /// An authorization code, as Intercom would put in the redirect after `teammate` consented for
    /// `workspace`. Single use. Like real codes it may end in `=`.
    public func mintCode(
        clientID: String = RealIntercomStandIn.clientID, teammate: AppUser = RealIntercomStandIn.teammate,
        workspace: StandInWorkspace = RealIntercomStandIn.workspace
    ) -> String {
        let code = Self.opaque(bytes: 20, urlSafe: true)
        state.withLock { state in
            state.codes[code] = Grant(clientID: clientID, teammate: teammate, workspace: workspace)
            state.know(teammate, in: workspace)
        }
        return code
    }

    /// A live access token for `teammate` in `workspace`, without the OAuth dance.
    public func issueToken(
        clientID: String = RealIntercomStandIn.clientID, teammate: AppUser = RealIntercomStandIn.teammate,
        workspace: StandInWorkspace = RealIntercomStandIn.workspace
    ) -> String {
        let token = Self.newToken()
        state.withLock { state in
            state.tokens[token] = Grant(clientID: clientID, teammate: teammate, workspace: workspace)
            state.know(teammate, in: workspace)
        }
        return token
    }

    /// Kills a token, as revoking or uninstalling does: from now on it is answered 401.
    public func killToken(_ token: String) {
        state.withLock { _ = $0.tokens.removeValue(forKey: token) }
    }

    /// Kills every live token of `workspaceID`; returns how many.
    @discardableResult
    public func killTokens(workspaceID: String) -> Int {
        state.withLock { state in
            let dead = state.tokens.filter { $0.value.workspace.idCode == workspaceID }.map(\.key)
            for token in dead { state.tokens.removeValue(forKey: token) }
            return dead.count
        }
    }

    /// How many tokens are alive (tokens are never shown).
    public var liveTokenCount: Int { state.withLock { $0.tokens.count } }

    /// Whether `token` is alive.
    public func isAlive(_ token: String) -> Bool { state.withLock { $0.tokens[token] != nil } }

    /// The fields the token exchange answers with (default ``TokenAnswerShape/both``).
    public func setTokenAnswerShape(_ shape: TokenAnswerShape) {
        state.withLock { $0.tokenShape = shape }
    }

    /// Answers `route` with `answer` instead of serving it (for `answer.times` requests, or until
    /// cleared with `nil`). The request is still logged; a canned answer does not check the token.
    public func setAnswer(_ answer: CannedAnswer?, for route: StandInRoute) {
        state.withLock { $0.canned[route] = answer }
    }

    /// Adds a conversation to a workspace, with one comment so that it has a part.
    public func addConversation(id: String, workspaceID: String = RealIntercomStandIn.workspace.idCode) {
        let now = Int(Date().timeIntervalSince1970)
        let part = ConversationPart(
            id: "1", partType: "comment", body: "<p>Hello</p>", createdAt: now,
            author: .init(type: "user", id: "u-1", name: "A customer", email: "customer@example.test"))
        state.withLock { state in
            state.conversations.append(
                StoredConversation(
                    workspaceID: workspaceID,
                    conversation: Conversation(id: id, createdAt: now, updatedAt: now, parts: [part])))
        }
    }

    /// The conversation as the stand-in holds it, replies included.
    public func conversation(id: String) -> Conversation? {
        state.withLock { $0.conversations.first { $0.conversation.id == id }?.conversation }
    }

    /// Every request received so far, in order.
    public var requests: [StandInRequest] { state.withLock { $0.log } }

    /// Forgets the request log.
    public func clearRequests() { state.withLock { $0.log.removeAll() } }

    // MARK: Serving

    fileprivate func handle(_ request: Request) async throws -> Response {
        var request = request
        let path = request.uri.path
        let method = request.method
        let hadAuthorization = request.headers[.authorization] != nil
        let version = HTTPFields.Element.Name("Intercom-Version").flatMap { request.headers[$0] }
        let route = Self.route(method: method, path: path)
        var body = Data()
        if method == .post {
            body = Data(try await request.collectBody(upTo: 1 << 20).readableBytesView)
        }
        let answer = state.withLock { state -> Answer in
            let answer: Answer
            if let route, let canned = state.takeCanned(route) {
                answer = Answer(status: canned.status, body: Data(canned.body.utf8), contentType: canned.contentType, headers: canned.headers)
            } else if let route {
                answer = state.serve(route, path: path, authorization: request.headers[.authorization], body: body, contentType: request.headers[.contentType])
            } else {
                answer = .error(404, "not_found", "Resource Not Found")
            }
            state.log.append(
                StandInRequest(
                    method: method.rawValue, path: path, route: route, hadAuthorization: hadAuthorization,
                    intercomVersion: version, status: answer.status))
            return answer
        }
        var headers = HTTPFields()
        if let name = HTTPFields.Element.Name("Content-Type") { headers[name] = answer.contentType }
        for (key, value) in answer.headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPFields.Element.Name(key) { headers[name] = value }
        }
        return Response(
            status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    static func route(method: HTTPRequest.Method, path: String) -> StandInRoute? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if method == .post {
            if segments == ["auth", "eagle", "token"] { return .tokenExchange }
            if segments.count == 3, segments[0] == "conversations", !segments[1].isEmpty, segments[2] == "reply" {
                return .reply
            }
        } else if method == .get {
            if segments == ["me"] { return .me }
            if segments == ["admins"] { return .admins }
            if segments == ["conversations"] { return .conversations }
            if segments.count == 2, segments[0] == "conversations", !segments[1].isEmpty { return .conversation }
        }
        return nil
    }

    // MARK: Opaque strings

    /// A request id like Intercom's: twenty lowercase letters and digits.
    public static func newRequestID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<20).map { _ in alphabet.randomElement()! })
    }

    /// A token shaped like a real one: base64 of `tok:<uuid>:1:0`, opaque to relink.
    static func newToken() -> String {
        Data("tok:\(UUID().uuidString.lowercased()):1:0".utf8).base64EncodedString()
    }

    static func opaque(bytes: Int, urlSafe: Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let text = data.base64EncodedString()
        guard urlSafe else { return text }
        return text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// Breaks the cycle between the responder (made before the server listens) and the stand-in.
private final class StateBox: Sendable {
    let standIn = Mutex<RealIntercomStandIn?>(nil)

    func handle(_ request: Request) async throws -> Response {
        guard let standIn = standIn.withLock({ $0 }) else {
            return Response(status: .serviceUnavailable)
        }
        return try await standIn.handle(request)
    }
}

/// An error of the stand-in itself (it could not start).
public struct StandInError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

struct Grant: Sendable {
    var clientID: String
    var teammate: AppUser
    var workspace: StandInWorkspace
}

struct StoredConversation: Sendable {
    var workspaceID: String
    var conversation: Conversation
}

struct Answer: Sendable {
    var status: Int
    var body: Data
    var contentType: String = "application/json; charset=utf-8"
    var headers: [String: String] = [:]

    static func json<T: Encodable>(_ value: T, status: Int = 200, headers: [String: String] = [:]) -> Answer {
        Answer(status: status, body: StandInJSON.encode(value), headers: headers)
    }

    static func error(_ status: Int, _ code: String?, _ message: String) -> Answer {
        json(
            ErrorList(requestID: RealIntercomStandIn.newRequestID(), errors: [.init(code: code, message: message)]),
            status: status)
    }
}

struct StandInState: Sendable {
    var apps: [String: String] = [:]
    var codes: [String: Grant] = [:]
    var tokens: [String: Grant] = [:]
    var admins: [String: [AppUser]] = [:]
    var conversations: [StoredConversation] = []
    var tokenShape = TokenAnswerShape.both
    var canned: [StandInRoute: CannedAnswer] = [:]
    var log: [StandInRequest] = []

    mutating func know(_ teammate: AppUser, in workspace: StandInWorkspace) {
        if !(admins[workspace.idCode] ?? []).contains(teammate) {
            admins[workspace.idCode, default: []].append(teammate)
        }
    }

    mutating func takeCanned(_ route: StandInRoute) -> CannedAnswer? {
        guard var answer = canned[route] else { return nil }
        if let times = answer.times {
            answer.times = times - 1
            canned[route] = times > 1 ? answer : nil
        }
        return answer
    }

    mutating func serve(
        _ route: StandInRoute, path: String, authorization: String?, body: Data, contentType: String?
    ) -> Answer {
        if route == .tokenExchange { return exchange(body: body, contentType: contentType) }
        guard let token = Self.bearer(authorization), let grant = tokens[token] else {
            return .error(401, "unauthorized", "Access Token Invalid")
        }
        let reset = Int(Date().timeIntervalSince1970) + 10
        let rate = ["X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "9999", "X-RateLimit-Reset": String(reset)]
        let segments = path.split(separator: "/").map(String.init)
        switch route {
        case .tokenExchange:
            return .error(500, "server_error", "Server error")
        case .me:
            let workspace = grant.workspace
            let admin = Admin(
                id: grant.teammate.id, name: grant.teammate.name, email: grant.teammate.email, emailVerified: true,
                hasInboxSeat: true, avatar: Avatar(imageURL: "https://static.intercomassets.com/avatars/\(grant.teammate.id)/square_128/avatar.png"),
                app: App(
                    idCode: workspace.idCode, name: workspace.workspace.name, createdAt: workspace.createdAt,
                    secure: true, identityVerification: true, timezone: workspace.timezone,
                    region: workspace.workspace.region.rawValue))
            return .json(admin, headers: rate)
        case .admins:
            let admins = (admins[grant.workspace.idCode] ?? []).map {
                Admin(
                    id: $0.id, name: $0.name, email: $0.email, awayModeEnabled: false, awayModeReassign: false,
                    hasInboxSeat: true, teamIDs: [])
            }
            return .json(AdminList(admins: admins), headers: rate)
        case .conversations:
            let mine = conversations.filter { $0.workspaceID == grant.workspace.idCode }
            return .json(
                ConversationListPage(
                    conversations: mine.first.map { [$0.conversation] } ?? [], totalCount: mine.count,
                    pages: .init(perPage: 1, totalPages: mine.count)),
                headers: rate)
        case .conversation:
            guard let index = conversationIndex(segments[1], grant) else {
                return .error(404, "not_found", "Resource Not Found")
            }
            return .json(conversations[index].conversation, headers: rate)
        case .reply:
            guard let index = conversationIndex(segments[1], grant) else {
                return .error(404, "not_found", "Resource Not Found")
            }
            guard let reply = try? JSONDecoder().decode(AdminReplyRequest.self, from: body) else {
                return .error(400, "parameter_invalid", "Expected a JSON body with message_type and admin_id")
            }
            let now = Int(Date().timeIntervalSince1970)
            let author = (admins[grant.workspace.idCode] ?? []).first { $0.id == reply.adminID }
            var conversation = conversations[index].conversation
            var parts = conversation.conversationParts?.conversationParts ?? []
            parts.append(
                ConversationPart(
                    id: String(parts.count + 1), partType: reply.messageType, body: reply.body, createdAt: now,
                    author: .init(type: "admin", id: reply.adminID, name: author?.name, email: author?.email)))
            conversation.conversationParts = ConversationPartList(parts: parts)
            conversation.updatedAt = now
            conversations[index].conversation = conversation
            return .json(conversation, headers: rate)
        }
    }

    func conversationIndex(_ id: String, _ grant: Grant) -> Int? {
        conversations.firstIndex { $0.conversation.id == id && $0.workspaceID == grant.workspace.idCode }
    }

    /// `POST /auth/eagle/token`, form-encoded (JSON also accepted, as seen in the wild).
    mutating func exchange(body: Data, contentType: String?) -> Answer {
        let fields: [String: String]
        if contentType?.lowercased().hasPrefix("application/json") == true {
            let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            fields = object.compactMapValues { $0 as? String }
        } else {
            fields = Self.formFields(String(decoding: body, as: UTF8.self))
        }
        guard let code = fields["code"], let clientID = fields["client_id"], let secret = fields["client_secret"] else {
            return .error(400, "parameter_invalid", "code, client_id and client_secret are required")
        }
        guard apps[clientID] == secret else {
            return .error(401, "unauthorized", "Invalid client_id or client_secret")
        }
        guard let grant = codes[code], grant.clientID == clientID else {
            return .error(401, "unauthorized", "Authorization code is invalid, used or expired")
        }
        codes.removeValue(forKey: code)
        let token = RealIntercomStandIn.newToken()
        tokens[token] = grant
        var answer: [String: String] = ["token_type": "Bearer"]
        switch tokenShape {
        case .both:
            answer["token"] = token
            answer["access_token"] = token
        case .accessTokenOnly: answer["access_token"] = token
        case .tokenOnly: answer["token"] = token
        case .neither: break
        }
        return .json(answer)
    }

    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, then percent-decoding.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
