import Foundation
import IntercomAPI
import LiveMockSupport
import RelinkCore
import RelinkFixtures
import RelinkService
import Testing

@Suite("api_plan_restricted end to end through the live mock")
struct PlanRestrictedEndToEndTests {
    @Test("a workspace without an active subscription: broken, yellow, the plan notice, Revoke only")
    func planRestrictionIsItsOwnBreak() async throws {
        try await withLiveMock { mock in
            let support = DemoFixture.support.id
            _ = try await mock.control.setPlanRestricted(true, workspace: support)
            #expect(try await mock.control.world().workspaces.first { $0.idCode == support }?.planRestricted == true)

            let result = try #require(try await mock.service.health.check(["SUP"]).first)
            guard case .rejected(let diagnosis) = result.outcome else {
                Issue.record("a plan-restricted workspace's check found \(result.outcome)")
                return
            }
            // The wire answer as the OpenAPI description publishes it.
            #expect(diagnosis.evidence.status == 403)
            #expect(diagnosis.evidence.code == "api_plan_restricted")
            #expect(diagnosis.evidence.message == "Active subscription needed.")
            #expect(diagnosis.evidence.requestID?.isEmpty == false)
            #expect(diagnosis.causes.isEmpty, "no break cause fits a plan: no reconnect repairs it")

            let view = try mock.view("SUP")
            #expect(view.state == .broken)
            #expect(view.indicator == .yellow)
            #expect(view.actions == [.revoke])
            #expect(view.warning?.contains("subscription") == true)
            #expect(view.warning?.contains("Reconnecting cannot fix this") == true)

            // A new token meets the same plan: reconnecting fails and the record stays as it was.
            await #expect(throws: ServiceError.self) {
                try await mock.service.lifecycle.reconnect(
                    "SUP", as: AuthorizationRequest(teammate: nil), actor: "test")
            }
            #expect(try mock.view("SUP").state == .broken)
            // Another workspace is not touched by this one's plan.
            #expect(try mock.view("OPS").state == .notConnected)

            // Revoke, the one action offered, works.
            _ = try await mock.service.lifecycle.revoke("SUP", actor: "test")
            #expect(try mock.view("SUP").indicator == .grey)
        }
    }

    @Test("once the plan allows the API again, a check finds the same token healthy")
    func liftingThePlanRestrictionHeals() async throws {
        try await withLiveMock { mock in
            let support = DemoFixture.support.id
            _ = try await mock.control.setPlanRestricted(true, workspace: support)
            _ = try await mock.service.health.check(["BUG"])
            #expect(try mock.view("BUG").state == .broken)
            _ = try await mock.control.setPlanRestricted(false, workspace: support)
            #expect(try await mock.control.world().workspaces.first { $0.idCode == support }?.planRestricted == nil)
            _ = try await mock.service.health.check(["BUG"])
            #expect(try mock.view("BUG").indicator == .green)
        }
    }
}
