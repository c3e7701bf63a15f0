import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import Logging
import RelinkCore
import Synchronization
import Testing

@testable import IntercomMock

/// `HTTPField`, which HummingbirdTesting uses but this target does not import by name.
typealias Field = HTTPFields.Element

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { date.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        date.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Fake credentials used by the fixture world; they protect nothing.
enum Fake {
    static let clientID = "relink-test-client"
    static let clientSecret = "fake-client-secret-for-tests"
    static let redirect = "http://127.0.0.1:9/callback"
    static let otherRedirect = "http://127.0.0.1:9/other"
    static let botPassword = "fake-bot-password"
    static let alicePassword = "fake-alice-password"
    static let bobPassword = "fake-bob-password"
}

/// A small world: workspace `acme` (US) with jira-bot, alice and bob; workspace `acme-eu` (EU)
/// with alice; one OAuth app installed in `acme`; conversation `c1` in `acme`; and tokens.
struct Fixture {
    let clock = TestClock()
    let intercom: MockIntercom
    let botToken: String
    let aliceToken: String
    let aliceEUToken: String
    let bobToken: String
    let world: MockWorld

    static func world() -> MockWorld {
        var world = MockWorld()
        world.addWorkspace(idCode: "acme", name: "Acme Support", region: .us, timezone: "America/New_York")
        world.addWorkspace(idCode: "acme-eu", name: "Acme Europe", region: .eu, timezone: "Europe/Dublin")
        world.addTeammate(
            id: "1001", email: "jira-bot@acme.test", name: "Jira Bot", password: Fake.botPassword, workspaces: ["acme"])
        world.addTeammate(
            id: "1002", email: "alice@acme.test", name: "Alice", password: Fake.alicePassword,
            workspaces: ["acme", "acme-eu"])
        world.addTeammate(
            id: "1003", email: "bob@acme.test", name: "Bob", password: Fake.bobPassword, workspaces: ["acme"])
        world.registerApp(
            clientID: Fake.clientID, clientSecret: Fake.clientSecret, name: "Intercom for Jira (test)",
            redirectURIs: [Fake.redirect, Fake.otherRedirect], installedIn: ["acme"],
            development: true)
        world.addConversation(id: "c1", workspaceID: "acme")
        world.addConversation(id: "c-eu", workspaceID: "acme-eu")
        return world
    }

    init(persistence: (any WorldPersistence)? = nil, configure: (inout MockWorld) -> Void = { _ in }) throws {
        var world = Self.world()
        configure(&world)
        let issuedAt = Date(timeIntervalSince1970: 1_700_000_000)
        botToken = try world.issueToken(
            teammateEmail: "jira-bot@acme.test", workspaceID: "acme", clientID: Fake.clientID, issuedAt: issuedAt)
        aliceToken = try world.issueToken(
            teammateEmail: "alice@acme.test", workspaceID: "acme", clientID: Fake.clientID, issuedAt: issuedAt)
        aliceEUToken = try world.issueToken(
            teammateEmail: "alice@acme.test", workspaceID: "acme-eu", clientID: Fake.clientID, issuedAt: issuedAt)
        bobToken = try world.issueToken(
            teammateEmail: "bob@acme.test", workspaceID: "acme", clientID: Fake.clientID, issuedAt: issuedAt)
        self.world = world
        let clock = self.clock
        if let persistence {
            intercom = try MockIntercom.load(
                from: persistence, orStartWith: world, now: { clock.now }, logger: Self.logger)
        } else {
            intercom = MockIntercom(world: world, now: { clock.now }, logger: Self.logger)
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "mock-test")
        logger.logLevel = .critical
        return logger
    }()

    var application: some ApplicationProtocol {
        MockServer.buildApplication(intercom: intercom, logger: Self.logger)
    }

    /// Runs `body` against the router, without sockets.
    func withClient<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await application.test(.router, body)
    }
}

extension Fixture {
    /// Runs `body` against the mock on a real loopback socket, and shuts it down even when `body` throws.
    func withLiveServer<T>(_ body: (RunningMockServer) async throws -> T) async throws -> T {
        let server = try await MockServer.start(intercom: intercom, logger: Self.logger)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}

extension TestClientProtocol {
    /// `GET path` with a bearer token and optional extra headers.
    func get(_ path: String, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: path, method: .get, headers: headers)
    }

    func post(_ path: String, token: String? = nil, json: String? = nil, form: String? = nil) async throws
        -> TestResponse
    {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        return try await execute(uri: path, method: .post, headers: headers, body: body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// The single error of an `error.list` answer.
    func errorCode() throws -> String? {
        let list = try decode(ErrorList.self)
        #expect(list.type == "error.list")
        #expect(list.requestID != nil)
        #expect(list.requestID == headers[Field.Name("X-Request-Id")!])
        return list.errors.first?.code
    }

    func header(_ name: String) -> String? {
        headers[Field.Name(name)!]
    }
}

/// Query-string escaping for test URLs.
func query(_ items: [String: String]) -> String {
    var components = URLComponents()
    components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
    return components.percentEncodedQuery ?? ""
}
