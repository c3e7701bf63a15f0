import Foundation
import IntercomAPI
import IntercomClient
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import Logging
import RelinkTestSupport
import Synchronization

/// A live mock Intercom on a loopback port chosen by the OS, with the clients that talk to it.
public struct MockHarness: Sendable {
    public static let workspace = "ws-acme"
    public static let otherWorkspace = "ws-europe"
    public static let clientID = "relink-test-client"
    /// Fake, and says so.
    public static let clientSecret = "fake-client-secret"
    public static let redirectURI = "http://127.0.0.1/callback"
    public static let bot = "jira-bot@acme.test"
    public static let alice = "alice@acme.test"
    /// Fake, and says so.
    public static let password = "fake-password"

    public let intercom: MockIntercom
    public let server: RunningMockServer

    public var endpoint: IntercomEndpoint { .custom(baseURL: server.baseURL) }
    public var control: MockControlClient { MockControlClient(baseURL: server.baseURL) }

    public func client(timeout: Duration = .seconds(5), maxBodyBytes: Int = 1 << 20) -> HTTPIntercomClient {
        HTTPIntercomClient(endpoint: endpoint, timeout: timeout, maxBodyBytes: maxBodyBytes, logger: quietLogger)
    }

    /// A token for the app user of the main workspace, issued without the OAuth dance.
    public func botToken() async throws -> String {
        try await intercom.issueToken(teammateEmail: Self.bot, workspaceID: Self.workspace, clientID: Self.clientID)
    }

    public static func world() -> MockWorld {
        var world = MockWorld()
        world.addWorkspace(idCode: workspace, name: "Acme Support", region: .us)
        world.addWorkspace(idCode: otherWorkspace, name: "Acme Europe", region: .eu)
        world.addTeammate(id: "100", email: bot, name: "Jira Bot", password: password, workspaces: [workspace])
        world.addTeammate(
            id: "101", email: alice, name: "Alice", password: password, workspaces: [workspace, otherWorkspace])
        world.registerApp(clientID: clientID, clientSecret: clientSecret, name: "relink", redirectURIs: [redirectURI], development: true)
        world.addConversation(id: "c-1", workspaceID: workspace)
        return world
    }

    /// Runs `body` against a fresh mock and shuts the mock down afterwards, whatever happens.
    public static func with<T>(_ body: (MockHarness) async throws -> T) async throws -> T {
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
