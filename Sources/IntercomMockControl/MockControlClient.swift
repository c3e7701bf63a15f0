import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import IntercomMockWorld
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RelinkCore

/// Typed calls to a mock's control API under `/__mock/`, over HTTP: what a test, the REPL or a
/// support person uses to break tokens, inject faults and read the journal of a running mock.
///
/// Every call throws ``MockControlError`` carrying the control API's `{"error":"…"}` message when
/// the mock refuses it, or the transport error when the mock cannot be reached.
public struct MockControlClient: MockControl {
    /// The mock's base URL, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    let httpClient: HTTPClient
    /// Control calls are local and small: a short deadline and a modest body limit suffice.
    let timeout: TimeAmount = .seconds(10)
    let maxBodyBytes = 16 << 20

    let logger: Logger

    public init(
        baseURL: String, httpClient: HTTPClient = HTTPIntercomClient.sharedHTTPClient,
        logger: Logger = Logger(label: "relink.mock-control")
    ) {
        self.logger = logger
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
    }

    /// Applies a break cause to the world; answers which tokens died or lost permissions.
    public func applyCause(_ request: CauseRequest) async throws(MockControlError) -> BreakReport {
        try await call(.POST, "/causes", body: request, as: BreakReport.self)
    }

    /// Whether the mock holds a token (named by its plaintext or public id), and if it is dead, why.
    public func inspect(token: String) async throws(MockControlError) -> MockControlAPI.TokenInspection {
        try await call(
            .POST, "/tokens/inspect", body: MockControlAPI.InspectRequest(token: token),
            as: MockControlAPI.TokenInspection.self)
    }

    /// Several tokens in one `POST /__mock/tokens/inspect`, at most
    /// ``MockControlAPI/InspectManyRequest/limit`` a call (more are asked for in several calls).
    public func inspect(tokens: [String]) async throws(MockControlError) -> [MockControlAPI.TokenInspection?] {
        var inspections: [MockControlAPI.TokenInspection?] = []
        inspections.reserveCapacity(tokens.count)
        for start in stride(from: 0, to: tokens.count, by: MockControlAPI.InspectManyRequest.limit) {
            let part = Array(tokens[start..<min(tokens.count, start + MockControlAPI.InspectManyRequest.limit)])
            let answer = try await call(
                .POST, "/tokens/inspect", body: MockControlAPI.InspectManyRequest(tokens: part),
                as: MockControlAPI.InspectManyAnswer.self)
            guard answer.inspections.count == part.count else {
                throw MockControlError(
                    request: "POST /__mock/tokens/inspect", status: 200,
                    message: "the mock answered \(answer.inspections.count) inspections for \(part.count) tokens")
            }
            inspections += answer.inspections
        }
        return inspections
    }

    /// The simulated login and consent, through the mock's `/oauth` (see ``MockAuthorizer``).
    public func authorize(email: String, password: String, workspace: String?, clientID: String, state: String) async
        -> Result<String, IntercomFailure>
    {
        await MockAuthorizer(httpClient: httpClient, timeout: .seconds(10), logger: logger).authorize(
            endpoint: .custom(baseURL: baseURL), clientID: clientID, email: email, password: password,
            workspace: workspace,
            state: state, redirectURI: nil)
    }

    /// The emails of the world's teammates.
    public func teammateEmails() async throws(MockControlError) -> [String] {
        try await world().teammates.map(\.email)
    }

    /// The world, without any secret.
    public func world() async throws(MockControlError) -> RedactedWorld {
        try await call(.GET, "/world", as: RedactedWorld.self, decoder: Self.worldDecoder)
    }

    /// Adds (or replaces, by email) a teammate; answers it as the world shows it.
    public func addTeammate(
        id: String? = nil, email: String, name: String, password: String, workspaces: [String]
    ) async throws(MockControlError) -> RedactedWorld.Teammate {
        let edit = MockControlAPI.TeammateEdit(
            id: id, email: email, name: name, password: password, workspaces: workspaces)
        return try await call(
            .POST, "/world/teammates", body: edit, as: RedactedWorld.Teammate.self, decoder: Self.worldDecoder)
    }

    /// Adds (or replaces) a workspace, in the US by default.
    public func addWorkspace(
        idCode: String, name: String, region: Region = .us, timezone: String? = nil
    ) async throws(MockControlError) -> MockWorld.Workspace {
        let edit = MockControlAPI.WorkspaceEdit(idCode: idCode, name: name, region: region.rawValue, timezone: timezone)
        return try await call(
            .POST, "/world/workspaces", body: edit, as: MockWorld.Workspace.self, decoder: Self.worldDecoder)
    }

    /// Makes a teammate a member of a workspace again, lifting the refusal a removal left.
    public func addMembership(teammate email: String, workspace: String) async throws(MockControlError)
        -> RedactedWorld.Teammate
    {
        let edit = MockControlAPI.MembershipEdit(teammate: email, workspace: workspace)
        return try await call(
            .POST, "/world/memberships", body: edit, as: RedactedWorld.Teammate.self, decoder: Self.worldDecoder)
    }

    /// Adds (or replaces) a conversation with no notes.
    public func addConversation(id: String, workspace: String) async throws(MockControlError)
        -> MockWorld.ConversationRecord
    {
        let edit = MockControlAPI.ConversationEdit(id: id, workspace: workspace)
        return try await call(
            .POST, "/world/conversations", body: edit, as: MockWorld.ConversationRecord.self,
            decoder: Self.conversationDecoder)
    }

    /// Changes the rate limits (a minute, per app and per workspace) or the window length; answers
    /// the limits now in force. The counts start afresh.
    public func setRateLimit(_ edit: MockControlAPI.RateLimitEdit) async throws(MockControlError)
        -> MockWorld.RateLimit
    {
        try await call(
            .PUT, "/world/rate-limit", body: edit, as: MockWorld.RateLimit.self, decoder: Self.worldDecoder)
    }

    /// Marks the workspace's plan as lacking API access (every authenticated request then answers
    /// 403 `api_plan_restricted`), or gives it back.
    public func setPlanRestricted(_ restricted: Bool, workspace: String) async throws(MockControlError)
        -> RedactedWorld
    {
        let edit = MockControlAPI.PlanEdit(planRestricted: restricted)
        _ = try await send(.PUT, "/world/workspaces/\(workspace)/plan", body: try encoded(edit))
        return try await world()
    }

    /// Makes the workspace's IP allowlist refuse the machine relink runs on (every authenticated
    /// request then answers 403 "Your IP address is not on the allowlist for API access"), or
    /// lets it in again.
    public func setAllowlistRefuses(_ refuses: Bool, workspace: String) async throws(MockControlError)
        -> RedactedWorld
    {
        let edit = MockControlAPI.AllowlistEdit(refuses: refuses)
        _ = try await send(.PUT, "/world/workspaces/\(workspace)/ip-allowlist", body: try encoded(edit))
        return try await world()
    }

    /// Installs a fault; answers it with its id and the seed in use.
    public func addFault(_ spec: FaultSpec) async throws(MockControlError) -> FaultInfo {
        try await call(.POST, "/faults", body: spec, as: FaultInfo.self)
    }

    /// The installed faults, in the order they are tried.
    public func faults() async throws(MockControlError) -> [FaultInfo] {
        try await call(.GET, "/faults", as: [FaultInfo].self)
    }

    /// Removes one fault; throws (404) when there is none with that id.
    public func removeFault(id: String) async throws(MockControlError) {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        _ = try await send(.DELETE, "/faults/\(escaped)", body: nil)
    }

    /// Removes every fault.
    public func removeAllFaults() async throws(MockControlError) {
        _ = try await send(.DELETE, "/faults", body: nil)
    }

    /// The most recent journal entries, oldest first (tokens redacted).
    public func journal(limit: Int? = nil) async throws(MockControlError) -> [JournalEntry] {
        try await call(.GET, "/journal" + (limit.map { "?limit=\($0)" } ?? ""), as: [JournalEntry].self)
    }

    /// Puts the world back to its start and clears faults, journal and rate-limit counters.
    public func reset() async throws(MockControlError) {
        _ = try await send(.POST, "/reset", body: nil)
    }

    // MARK: Transport

    private func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, as type: T.Type, decoder: JSONDecoder = Self.plainDecoder
    ) async throws(MockControlError) -> T {
        try decode(type, try await send(method, path, body: nil), method, path, decoder)
    }

    private func encoded(_ body: some Encodable) throws(MockControlError) -> Data {
        do { return try JSONEncoder().encode(body) } catch {
            throw MockControlError(request: "/__mock", status: nil, message: "cannot encode the body: \(error)")
        }
    }

    private func call<Body: Encodable, T: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Body, as type: T.Type, decoder: JSONDecoder = Self.plainDecoder
    ) async throws(MockControlError) -> T {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw MockControlError(
                request: "\(method.rawValue) /__mock\(path)", status: nil, message: "cannot encode the body: \(error)")
        }
        return try decode(type, try await send(method, path, body: data), method, path, decoder)
    }

    private func decode<T: Decodable>(
        _ type: T.Type, _ data: Data, _ method: HTTPMethod, _ path: String, _ decoder: JSONDecoder
    ) throws(MockControlError) -> T {
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw MockControlError(
                request: "\(method.rawValue) /__mock\(path)", status: nil, message: "unexpected answer: \(error)")
        }
    }

    /// Sends one request; answers the body of a 2xx, throws with the control API's message otherwise.
    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws(MockControlError) -> Data {
        let label = "\(method.rawValue) /__mock\(path)"
        var request = HTTPClientRequest(url: baseURL + "/__mock" + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let status: Int
        let data: Data
        do {
            let response = try await httpClient.execute(request, deadline: .now() + timeout)
            status = Int(response.status.code)
            data = Data(buffer: try await response.body.collect(upTo: maxBodyBytes))
        } catch {
            throw MockControlError(
                request: label, status: nil, message: "the mock at \(baseURL) did not answer: \(error)")
        }
        guard (200..<300).contains(status) else {
            let message =
                (try? JSONDecoder().decode(MockControlAPI.ControlError.self, from: data))?.error
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw MockControlError(request: label, status: status, message: message)
        }
        return data
    }

    /// Journal, faults and break reports spell every key out in their `CodingKeys`.
    static var plainDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// The control API writes the world with `convertToSnakeCase`, whose inverse is not exact for
    /// `…ID` properties (`workspace_id` would come back as `workspaceId`): map the snake keys to
    /// camel case, and restore the `ID` spelling where the world's own types use it (conversations
    /// and their notes); `RedactedWorld` itself uses `clientId`.
    static var worldDecoder: JSONDecoder {
        snakeCaseDecoder { path in path.dropLast().contains { $0.stringValue == "conversations" } }
    }

    /// A lone conversation record: every `…_id` key is an `…ID` property.
    static var conversationDecoder: JSONDecoder {
        snakeCaseDecoder { _ in true }
    }

    private static func snakeCaseDecoder(upperID: @escaping @Sendable ([any CodingKey]) -> Bool) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            let key = path.last?.stringValue ?? ""
            let words = key.split(separator: "_")
            guard words.count > 1 else { return ControlKey(key) }
            var camel = String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            if camel.hasSuffix("Id"), upperID(path) { camel = String(camel.dropLast(2)) + "ID" }
            return ControlKey(camel)
        }
        return decoder
    }

    /// A coding key built at run time by ``worldDecoder``.
    struct ControlKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(_ value: String) {
            stringValue = value
        }

        init?(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            stringValue = "\(intValue)"
        }
    }
}
