import Foundation
import IntercomAPI
import IntercomMock
import Logging
import Synchronization

@testable import IntercomClient

/// A live mock Intercom on a loopback port chosen by the OS, with the clients that talk to it.
struct MockHarness {
    static let workspace = "ws-acme"
    static let otherWorkspace = "ws-europe"
    static let clientID = "relink-test-client"
    /// Fake, and says so.
    static let clientSecret = "fake-client-secret"
    static let redirectURI = "http://127.0.0.1/callback"
    static let bot = "jira-bot@acme.test"
    static let alice = "alice@acme.test"
    /// Fake, and says so.
    static let password = "fake-password"

    let intercom: MockIntercom
    let server: RunningMockServer

    var endpoint: IntercomEndpoint { .custom(baseURL: server.baseURL) }
    var control: MockControlClient { MockControlClient(baseURL: server.baseURL) }

    func client(timeout: Duration = .seconds(5), maxBodyBytes: Int = 1 << 20) -> HTTPIntercomClient {
        HTTPIntercomClient(endpoint: endpoint, timeout: timeout, maxBodyBytes: maxBodyBytes, logger: quietLogger)
    }

    /// A token for the app user of the main workspace, issued without the OAuth dance.
    func botToken() async throws -> String {
        try await intercom.issueToken(teammateEmail: Self.bot, workspaceID: Self.workspace, clientID: Self.clientID)
    }

    static func world() -> MockWorld {
        var world = MockWorld()
        world.addWorkspace(idCode: workspace, name: "Acme Support", region: "US")
        world.addWorkspace(idCode: otherWorkspace, name: "Acme Europe", region: "EU")
        world.addTeammate(id: "100", email: bot, name: "Jira Bot", password: password, workspaces: [workspace])
        world.addTeammate(
            id: "101", email: alice, name: "Alice", password: password, workspaces: [workspace, otherWorkspace])
        world.registerApp(clientID: clientID, clientSecret: clientSecret, name: "relink", redirectURIs: [redirectURI])
        world.addConversation(id: "c-1", workspaceID: workspace)
        return world
    }

    /// Runs `body` against a fresh mock and shuts the mock down afterwards, whatever happens.
    static func with<T>(_ body: (MockHarness) async throws -> T) async throws -> T {
        let intercom = MockIntercom(world: world(), logger: quietLogger)
        let server = try await MockServer.start(intercom: intercom, port: 0, logger: quietLogger)
        let harness = MockHarness(intercom: intercom, server: server)
        do {
            let result = try await body(harness)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}

let quietLogger = Logger(label: "relink.tests") { _ in SwiftLogNoOpLogHandler() }

/// Records the waits a ``RetryPolicy`` asks for, and returns at once.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])

    var recorded: [Duration] { waits.withLock { $0 } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.waits.withLock { $0.append(duration) } }
    }
}

/// Counts calls and remembers results across `@Sendable` closures.
final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value { storage.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}

extension Result {
    /// The failure, or `nil` on success.
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
