import Foundation
import IntercomAPI
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkTestSupport
import Testing

@Suite("The lifecycle end to end against a live mock")
struct LifecycleEndToEndTests {
    /// break → check → yellow with a warning → reconnect → green, settings and links intact.
    @Test(arguments: RelinkCore.BreakCause.allCases)
    func eachCauseIsDiscoveredByACheckAndRepairedByReconnect(cause: RelinkCore.BreakCause) async throws {
        try await withLiveMock { mock in
            let before = try #require(try mock.store.project("SUP"))
            #expect(try mock.view("SUP").indicator == .green)

            let outcome = try await mock.service.breaks.breakConnection("SUP", cause: cause)
            #expect(outcome.cause == cause)
            #expect(try mock.view("SUP").indicator == .green, "break changes the world, not the record")

            if cause == .permissionMissing {
                // /me never answers 403: a plain check (one request) finds nothing wrong.
                #expect(try await mock.service.health.check(["SUP"]).first?.outcome == .healthy)
            }
            let results = try await mock.service.health.check(["SUP"], deep: cause == .permissionMissing)
            let result = try #require(results.first)
            guard case .rejected(let diagnosis) = result.outcome else {
                Issue.record("check after \(cause) found \(result.outcome)")
                return
            }
            #expect(diagnosis.isGroundTruth && diagnosis.causes == [cause])
            // A live token without the scope: 401 token_unauthorized on /conversations, /me healthy.
            #expect(diagnosis.evidence.status == 401)
            #expect(diagnosis.evidence.requestID?.isEmpty == false)
            let broken = try mock.view("SUP")
            #expect(broken.indicator == .yellow)
            #expect(broken.warning?.contains("Reconnect") == true || broken.warning?.contains("reconnect") == true)
            #expect(result.event?.kind == .broken && result.event?.cause == cause)

            // After user-removed the same teammate cannot authorize: a new app user is needed.
            let teammate: String? = cause == .userRemoved ? DemoFixture.alice.email : nil
            if cause == .userRemoved {
                await #expect(throws: ServiceError.self) {
                    try await mock.service.lifecycle.reconnect(
                        "SUP", as: AuthorizationRequest(teammate: nil), actor: "test")
                }
                do {
                    try await mock.service.lifecycle.reconnect(
                        "SUP", as: AuthorizationRequest(teammate: nil), actor: "test")
                } catch {
                    #expect("\(error)".contains("new app user"))
                }
            }
            if cause == .permissionMissing {
                #expect(broken.warning?.contains("Read conversations") == true)
                #expect(broken.warning?.contains("only after the permission is granted") == true)
                // A plain check still reads conversations while the break is a missing permission: it stays broken.
                #expect(try await mock.service.health.check(["SUP"]).first?.state == .broken)
                // Reconnecting before the permission is back fails, as it would in Intercom.
                await #expect(throws: ServiceError.self) {
                    try await mock.service.lifecycle.reconnect(
                        "SUP", as: AuthorizationRequest(teammate: nil), actor: "test")
                }
                #expect(try mock.view("SUP").state == .broken)
                _ = try await mock.control.applyCause(
                    CauseRequest(
                        cause: .permissionMissing, teammate: DemoFixture.bot.email, workspace: DemoFixture.support.id,
                        restore: true))
            }
            let event = try await mock.service.lifecycle.reconnect(
                "SUP", as: AuthorizationRequest(teammate: teammate), actor: "test"
            ).event
            #expect(event.kind == .reconnected && event.from == .broken && event.to == .connected)
            #expect(try mock.view("SUP").indicator == .green)
            #expect(try await mock.service.health.check(["SUP"], deep: true).first?.outcome == .healthy)
            let after = try #require(try mock.store.project("SUP"))
            #expect(after.settings == before.settings)
            #expect(after.links == before.links)
            #expect(try mock.store.events(for: "SUP").suffix(2).map(\.kind) == [.broken, .reconnected])
        }
    }

    @Test func aPasswordChangeBreaksEveryProjectOfThatAppUserAndOnlyThose() async throws {
        try await withLiveMock { mock in
            _ = try await mock.service.breaks.breakConnection("SUP", cause: .passwordChanged)
            let results = try await mock.service.health.check(nil)
            #expect(results.map(\.key) == ["BUG", "SUP", "WEB"])
            #expect(results.allSatisfy { $0.state == .broken })
            // The teammate knows the new password; relink remembered it, so reconnecting as them works.
            try await mock.service.lifecycle.reconnect("BUG", as: AuthorizationRequest(teammate: nil), actor: "test")
            #expect(try mock.view("BUG").indicator == .green)
        }
    }

    @Test func revokingOneProjectNeverDisturbsAnotherOnTheSameWorkspace() async throws {
        try await withLiveMock { mock in
            let event = try mock.service.lifecycle.revoke("SUP", actor: "test").event
            #expect(try event.kind == .revoked && mock.view("SUP").indicator == .grey)
            #expect(try mock.store.project("SUP")?.links.count == 2, "links are kept")
            #expect(try await mock.service.health.check(["BUG"]).first?.outcome == .healthy)
            let journal = try await mock.control.journal(limit: 100)
            #expect(!journal.contains { $0.path.contains("uninstall") }, "revoke never uninstalls the app")
            // Connecting again to the same workspace restores everything without confirmation.
            try await mock.service.lifecycle.connect(
                "SUP", as: AuthorizationRequest(teammate: DemoFixture.bot.email), actor: "test")
            #expect(try mock.view("SUP").indicator == .green)
            #expect(try mock.store.project("SUP")?.links.count == 2)
        }
    }

    @Test func changingTheAppUserKeepsLinksAndSettings() async throws {
        try await withLiveMock { mock in
            let before = try #require(try mock.store.project("SUP"))
            let event = try await mock.service.lifecycle.changeAppUser(
                "SUP", as: AuthorizationRequest(teammate: DemoFixture.alice.email), actor: "test"
            ).event
            #expect(event.kind == .appUserChanged)
            #expect(try mock.view("SUP").appUser?.email == DemoFixture.alice.email)
            #expect(try mock.store.project("SUP") == before)
        }
    }

    @Test func reconnectingToAnotherWorkspaceIsRefusedThenConfirmed() async throws {
        try await withLiveMock { mock in
            let europe = AuthorizationRequest(teammate: DemoFixture.bob.email, workspace: DemoFixture.europe.id)
            await #expect(
                throws: ServiceError.refused(
                    .workspaceChangeNeedsConfirmation("SUP", from: DemoFixture.support, to: DemoFixture.europe))
            ) {
                try await mock.service.lifecycle.reconnect("SUP", as: europe, actor: "test")
            }
            #expect(try mock.view("SUP").workspace == DemoFixture.support)
            let event = try await mock.service.lifecycle.reconnect(
                "SUP", as: europe, allowWorkspaceChange: true, actor: "test"
            ).event
            #expect(event.detail?.contains("workspace changed") == true)
            #expect(try mock.view("SUP").workspace == DemoFixture.europe)
        }
    }

    @Test func connectingAConnectedProjectOrCheckingANotConnectedOneIsRefused() async throws {
        try await withLiveMock { mock in
            await #expect(throws: ServiceError.refused(.alreadyConnected("SUP", .connected))) {
                try await mock.service.lifecycle.connect(
                    "SUP", as: AuthorizationRequest(teammate: DemoFixture.bot.email), actor: "test")
            }
            await #expect(throws: ServiceError.refused(.notConnected("OPS"))) {
                try await mock.service.health.check(["OPS"])
            }
            await #expect(throws: ServiceError.self) {
                try await mock.service.lifecycle.connect(
                    "OPS", as: AuthorizationRequest(teammate: DemoFixture.bot.email, password: "wrong"), actor: "test")
            }
            let view = try mock.view("OPS")
            #expect(view.indicator == .grey)
        }
    }

    @Test func breakIsRefusedAgainstTheRealAPI() async throws {
        try await withLiveMock { mock in
            let real = ConnectionService(
                store: mock.store, intercom: InMemoryIntercom(world: MockWorld()), worldControl: nil)
            await #expect(throws: ServiceError.self) {
                try await real.breaks.breakConnection("SUP", cause: .tokenRevoked)
            }
            do { _ = try await real.breaks.breakConnection("SUP", cause: .tokenRevoked) } catch {
                #expect("\(error)".contains("refused"))
            }
        }
    }
}
