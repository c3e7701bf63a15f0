import Foundation
import IntercomClient
import IntercomMock
import Logging
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore

/// The demo fixture in a temporary store, its world served by an in-process mock on a port the
/// OS picked, and a connection service pointed at it. `close()` stops the mock and removes the store.
final class LiveMock {
    let directory: URL
    let store: Store
    let intercom: MockIntercom
    let server: RunningMockServer
    let service: ConnectionService
    var control: MockControlClient { MockControlClient(baseURL: server.baseURL) }

    init(requestTimeout: Duration = .seconds(5)) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("relink-service-\(UUID().uuidString)")
        store = try Store(directory: directory)
        try DemoFixture.write(to: store)
        let logger = Logger(label: "test")
        intercom = try MockIntercom.load(from: FileWorldPersistence(fileURL: store.worldFile), logger: logger)
        server = try await MockServer.start(intercom: intercom, logger: logger)
        // Retries without real waiting: the policy's sleeps return at once.
        let retry = RetryPolicy(maxAttempts: 2, sleep: { _ in })
        service = ConnectionService(
            store: store,
            configuration: ServiceConfiguration(
                target: .mock(baseURL: server.baseURL), checkConcurrency: 4, retry: retry, requestTimeout: requestTimeout))
    }

    func close() async {
        await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    func view(_ key: ProjectKey) -> SettingsView {
        SettingsView(project: store.project(key)!, connection: store.connection(for: key))
    }
}

/// Runs `body` with a live mock and always stops it afterwards, whatever `body` did.
func withLiveMock(
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
