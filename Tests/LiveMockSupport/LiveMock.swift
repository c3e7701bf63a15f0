import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import IntercomMock
import IntercomMockControl
import IntercomMockStore
import Logging
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport

/// The demo fixture in a temporary store, its world served by an in-process mock on a port the
/// OS picked, and a connection service pointed at it. `close()` stops the mock; the store goes with the value.
public final class LiveMock: Sendable {
    private let temporary: TemporaryDirectory
    public var directory: URL { temporary.url }
    public let store: Store
    public let intercom: MockIntercom
    public let server: RunningMockServer
    public let service: ConnectionService
    public var control: MockControlClient { MockControlClient(baseURL: server.baseURL) }

    public init(requestTimeout: Duration = .seconds(5)) async throws {
        temporary = try TemporaryDirectory()
        store = try Store(directory: temporary.url)
        try DemoFixture.write(to: store)
        let logger = Logger(label: "test")
        intercom = try MockIntercom.load(from: store, logger: logger)
        server = try await MockServer.start(intercom: intercom, logger: logger)
        service = Self.makeService(store: store, server: server, requestTimeout: requestTimeout, logger: logger)
    }

    /// Another service on the same store and mock, with its own request timeout: a test that
    /// needs a short timeout to provoke one can still check recovery with a patient one, which
    /// a loaded machine cannot turn into a timeout.
    public func makeService(requestTimeout: Duration) -> ConnectionService {
        Self.makeService(store: store, server: server, requestTimeout: requestTimeout, logger: Logger(label: "test"))
    }

    private static func makeService(
        store: Store, server: RunningMockServer, requestTimeout: Duration, logger: Logger
    ) -> ConnectionService {
        // Retries without real waiting: the policy's sleeps return at once.
        let retry = RetryPolicy(maxAttempts: 2, sleep: { _ in })
        return ConnectionService(
            store: store,
            intercom: HTTPIntercomGateway(
                target: .mock(baseURL: server.baseURL), httpClient: .shared, timeout: requestTimeout, logger: logger),
            worldControl: MockControlClient(baseURL: server.baseURL),
            // A pacer that believes no window: a test that injects a 429 does not wait for the
            // real clock to pass its reset. RateLimitPacingTests test the pacing itself.
            configuration: ServiceConfiguration(
                checkConcurrency: 4, retry: retry, pacer: RateLimitPacer(maxWait: .zero)))
    }

    public func close() async {
        await server.shutdown()
    }

    public func view(_ key: ProjectKey) throws -> SettingsView {
        SettingsView(project: try store.project(key)!, connection: try store.connection(for: key))
    }
}

/// Runs `body` with a live mock and always stops it afterwards, whatever `body` did.
public func withLiveMock(
    requestTimeout: Duration = .seconds(5), _ body: (LiveMock) async throws -> Void
) async throws {
    let mock = try await LiveMock(requestTimeout: requestTimeout)
    do {
        try await body(mock)
    } catch {
        await mock.close()
        throw error
    }
    await mock.close()
}
