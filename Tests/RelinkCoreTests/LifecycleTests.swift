import Foundation
import Testing

@testable import RelinkCore

@Suite("The connection lifecycle")
struct LifecycleTests {
    @Test func connectingANewProjectMakesItGreenAndRecordsWhoDidIt() throws {
        var connection = Connection(projectKey: "SUP")
        let event = try connection.connect(Sample.authorization(), by: "connect --as jira-bot@acme.test")
        #expect(connection.state == .connected(Sample.authorization()))
        #expect(event.kind == .connected)
        #expect(event.from == .notConnected && event.to == .connected)
        #expect(event.actor == "connect --as jira-bot@acme.test")
        #expect(event.workspace == Sample.acme && event.appUser == Sample.bot)
        #expect(SettingsView(project: Project(key: "SUP", name: "Support", jiraSite: "acme"), connection: connection).indicator == .green)
    }

    @Test func connectingAConnectedOrBrokenProjectIsRefused() throws {
        var connection = try Sample.connected()
        #expect(throws: LifecycleError.alreadyConnected("SUP", .connected)) {
            try connection.connect(Sample.authorization(token: "tok-2"), by: "test")
        }
        _ = try connection.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check")
        #expect(throws: LifecycleError.alreadyConnected("SUP", .broken)) {
            try connection.connect(Sample.authorization(token: "tok-2"), by: "test")
        }
    }

    @Test func onlyAnAuthenticationAnswerBreaksAConnection() throws {
        var connection = try Sample.connected()
        let transient = try connection.recordCheck(.transientFailure(reason: "Intercom answered 503"), at: Sample.t0, by: "check")
        #expect(transient == nil)
        #expect(connection.state.name == .connected)
        #expect(connection.lastCheck == CheckRecord(at: Sample.t0, result: .transientFailure, reason: "Intercom answered 503"))

        let event = try #require(try connection.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check"))
        #expect(connection.state.name == .broken)
        #expect(event.kind == .broken && event.cause == .tokenRevoked)
        #expect(event.evidence?.requestID == "req-1")
        #expect(connection.lastCheck?.result == .rejected, "the check that found the break is the last check")
    }

    @Test func aRealAPIDiagnosisListsEveryCauseThatFits() throws {
        var connection = try Sample.connected()
        let diagnosis = Diagnosis(evidence: Evidence(status: 401, code: "unauthorized", requestID: "r"))
        let event = try #require(try connection.recordCheck(.rejected(diagnosis), at: Sample.t0, by: "check"))
        #expect(event.cause == nil)
        #expect(event.possibleCauses == [.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled])
        #expect(Diagnosis.causesFitting(Evidence(status: 403, code: "forbidden")) == [.permissionMissing])
        #expect(Diagnosis.isAuthenticationFailure(status: 401) && Diagnosis.isAuthenticationFailure(status: 403))
        for status in [429, 500, 502, 503, 504, 404] { #expect(!Diagnosis.isAuthenticationFailure(status: status)) }
    }

    @Test func aBrokenConnectionStaysBrokenOnAnotherRejectionWithoutANewEvent() throws {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check")
        let later = Sample.t0.addingTimeInterval(60)
        #expect(try connection.recordCheck(.rejected(Sample.revoked), at: later, by: "check") == nil)
        #expect(connection.breakage?.at == Sample.t0)
        #expect(connection.lastCheck?.at == later)
    }

    @Test func reconnectRepairsABrokenConnectionWithANewToken() throws {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check")
        let fresh = Sample.authorization(token: "tok-2", at: 120)
        let event = try connection.reconnect(fresh, by: "reconnect")
        #expect(connection.state == .connected(fresh))
        #expect(event.kind == .reconnected && event.from == .broken && event.to == .connected)
        #expect(connection.lastCheck == nil)
    }

    @Test func reconnectingToAnotherWorkspaceNeedsConfirmation() throws {
        var connection = try Sample.connected()
        let other = Sample.authorization(Sample.europe, token: "tok-2")
        #expect(throws: LifecycleError.workspaceChangeNeedsConfirmation("SUP", from: Sample.acme, to: Sample.europe)) {
            try connection.reconnect(other, by: "reconnect")
        }
        #expect(connection.state.authorization?.workspace == Sample.acme)
        let event = try connection.reconnect(other, by: "reconnect", allowWorkspaceChange: true)
        #expect(event.detail?.contains("workspace changed from Acme Support") == true)
    }

    @Test func revokeForgetsTheAuthorizationButRemembersTheWorkspace() throws {
        var connection = try Sample.connected()
        let event = try connection.revoke(at: Sample.t0, by: "revoke")
        #expect(connection.state == .notConnected)
        #expect(event.kind == .revoked && event.workspace == Sample.acme)
        #expect(throws: LifecycleError.notConnected("SUP")) { try connection.revoke(at: Sample.t0, by: "revoke") }
        // The same workspace again needs no confirmation; another one does.
        var again = connection
        _ = try again.connect(Sample.authorization(token: "tok-3"), by: "connect")
        #expect(throws: LifecycleError.workspaceChangeNeedsConfirmation("SUP", from: Sample.acme, to: Sample.europe)) {
            try connection.connect(Sample.authorization(Sample.europe, token: "tok-3"), by: "connect")
        }
    }

    @Test func changingTheAppUserIsOneTransition() throws {
        var connection = try Sample.connected()
        let event = try connection.changeAppUser(Sample.authorization(Sample.acme, Sample.alice, token: "tok-2"), by: "app-user")
        #expect(event.kind == .appUserChanged)
        #expect(event.detail == "app user jira-bot@acme.test → alice@acme.test")
        #expect(connection.state.authorization?.appUser == Sample.alice)
        var idle = Connection(projectKey: "OPS")
        #expect(throws: LifecycleError.notConnected("OPS")) {
            try idle.changeAppUser(Sample.authorization(), by: "app-user")
        }
    }

    @Test func aHealthyCheckOfABrokenConnectionRecoversIt() throws {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check")
        let event = try #require(try connection.recordCheck(.healthy, at: Sample.t0, by: "check"))
        #expect(event.kind == .recovered && connection.state.name == .connected)
    }

    @Test func checkingANotConnectedProjectIsRefused() {
        var connection = Connection(projectKey: "OPS")
        #expect(throws: LifecycleError.notConnected("OPS")) {
            try connection.recordCheck(.healthy, at: Sample.t0, by: "check")
        }
    }
}
