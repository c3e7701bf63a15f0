import Foundation
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport
import Testing

/// The connection service over an in-memory Intercom: the lifecycle without any server or socket,
/// through the same `IntercomGateway` and `WorldControl` protocols the live mock answers.
@Suite("The connection service on an in-memory Intercom")
struct InMemoryServiceTests {
    let directory: TemporaryDirectory
    let store: Store
    let intercom: InMemoryIntercom
    let service: ConnectionService

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(directory: directory.url, options: .init(durable: false))
        try DemoFixture.write(to: store)
        intercom = InMemoryIntercom(world: try #require(try store.loadWorld()))
        service = ConnectionService(
            store: store, intercom: intercom, worldControl: intercom,
            configuration: ServiceConfiguration(retry: RetryPolicy(maxAttempts: 1, sleep: { _ in })))
    }

    @Test("Break, check, reconnect: the check finds the simulated cause and reconnect repairs it")
    func breakCheckReconnect() async throws {
        let outcome = try await service.breaks.breakConnection("SUP", cause: .tokenRevoked)
        #expect(outcome.killedTokens.count == 1)
        #expect(try store.connection(for: "SUP").state.name == .connected, "a break changes the world, not the record")

        let result = try #require(try await service.health.check(["SUP"]).first)
        guard case .rejected(let diagnosis) = result.outcome else {
            Issue.record("expected a rejected check, got \(result.outcome)")
            return
        }
        #expect(diagnosis.isGroundTruth && diagnosis.causes == [.tokenRevoked])
        #expect(try store.connection(for: "SUP").state.name == .broken)
        // BUG shares the workspace and the app user, but not the token: it stays healthy.
        #expect(try await service.health.check(["BUG"]).first?.outcome == .healthy)

        let event = try await service.lifecycle.reconnect("SUP", as: AuthorizationRequest(teammate: nil), actor: "test")
            .event
        #expect(event.kind == .reconnected && event.to == .connected)
        #expect(try await service.health.check(["SUP"]).first?.outcome == .healthy)
        #expect(intercom.calls.filter { $0 == "POST /auth/eagle/token" }.count == 1)
    }

    @Test("Connect authorizes through the world control and confirms the token with /me")
    func connect() async throws {
        let event = try await service.lifecycle.connect(
            "OPS", as: AuthorizationRequest(teammate: DemoFixture.alice.email), actor: "test"
        ).event
        #expect(event.to == .connected)
        let authorization = try #require(store.connection(for: "OPS").state.authorization)
        #expect(authorization.appUser.email == DemoFixture.alice.email)
        #expect(authorization.workspace == DemoFixture.support)
        #expect(Array(intercom.calls.prefix(3)) == ["GET /oauth", "POST /auth/eagle/token", "GET /me"])
    }

    @Test("A refusal of the world control stays a typed mock error")
    func typedMockRefusal() async throws {
        // A world that does not know SUP's app user refuses the cause.
        let empty = InMemoryIntercom(world: MockWorld())
        let service = ConnectionService(store: store, intercom: empty, worldControl: empty)
        await #expect {
            try await service.breaks.breakConnection("SUP", cause: .passwordChanged)
        } throws: { error in
            guard case ServiceError.mock(let refusal, _) = error else { return false }
            return refusal.message.contains(DemoFixture.bot.email)
        }
    }

    @Test("A store that cannot be written stays a store error")
    func typedStoreError() throws {
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("journal.jsonl"))
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("journal.jsonl"), withIntermediateDirectories: false)
        #expect {
            try service.lifecycle.revoke("SUP", actor: "test")
        } throws: { error in
            if case ServiceError.store = error { return true }
            return false
        }
    }
}
