import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import Logging
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport

/// A generated store of `projects` projects whose connections all live in one workspace (the
/// large-store generator's, 85% of them connected or broken), its world served by an in-process
/// mock with `limits`, and a connection service with `configuration` pointed at it.
public final class GeneratedLiveMock: Sendable {
    private let temporary: TemporaryDirectory
    public let store: Store
    public let intercom: MockIntercom
    public let server: RunningMockServer
    public let service: ConnectionService

    public init(projects: Int, limits: MockWorld.RateLimit, configuration: ServiceConfiguration) async throws {
        temporary = try TemporaryDirectory()
        store = try Store(directory: temporary.url, options: .init(durable: false))
        var world = try LargeStoreGenerator(projectCount: projects, includeWorld: true, workspaceCount: 1)
            .generate(into: store)
        world.rateLimit = limits
        intercom = MockIntercom(world: world, logger: quietLogger)
        server = try await MockServer.start(intercom: intercom, port: 0, logger: quietLogger)
        service = ConnectionService(
            store: store,
            intercom: HTTPIntercomGateway(
                target: .mock(baseURL: server.baseURL), httpClient: .shared, logger: quietLogger),
            worldControl: MockControlClient(baseURL: server.baseURL), configuration: configuration)
    }

    /// Runs `body` and always stops the mock afterwards.
    public static func with<T>(
        projects: Int, limits: MockWorld.RateLimit, configuration: ServiceConfiguration,
        _ body: (GeneratedLiveMock) async throws -> T
    ) async throws -> T {
        let mock = try await GeneratedLiveMock(projects: projects, limits: limits, configuration: configuration)
        do {
            let result = try await body(mock)
            await mock.server.shutdown()
            return result
        } catch {
            await mock.server.shutdown()
            throw error
        }
    }

    /// How many answers of the mock so far had `status`.
    public func answers(withStatus status: Int) async throws -> Int {
        try await intercom.journalEntries().filter { $0.status == status }.count
    }

    /// When the mock decided each answer of `status`, oldest first.
    public func answerTimes(withStatus status: Int) async throws -> [Date] {
        try await intercom.journalEntries().filter { $0.status == status }.map(\.time).sorted()
    }
}
