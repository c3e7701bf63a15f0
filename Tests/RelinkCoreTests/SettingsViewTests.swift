import Foundation
import Testing

@testable import RelinkCore

@Suite("The settings view")
struct SettingsViewTests {
    let project = Project(key: "SUP", name: "Support", jiraSite: "acme.atlassian.net")

    @Test func notConnectedIsGreyWithConnect() {
        let view = SettingsView(project: project, connection: nil)
        #expect(view.indicator == .grey && view.state == .notConnected)
        #expect(view.headline == "Not connected to Intercom")
        #expect(view.actions == [.connect] && view.warning == nil)
    }

    @Test func connectedIsGreenWithCheckRevokeAndChangeAppUser() throws {
        let view = SettingsView(project: project, connection: try Sample.connected())
        #expect(view.indicator == .green)
        #expect(view.actions == [.check, .revoke, .changeAppUser])
        #expect(view.workspace == Sample.acme && view.appUser == Sample.bot && view.since == Sample.t0)
    }

    @Test(arguments: BreakCause.allCases)
    func brokenIsYellowWithAWarningThatSaysWhyAndHowToRepair(cause: BreakCause) throws {
        var connection = try Sample.connected()
        let diagnosis = Diagnosis(
            evidence: Evidence(status: cause == .permissionMissing ? 403 : 401), causes: [cause], isGroundTruth: true)
        _ = try connection.recordCheck(.rejected(diagnosis), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.indicator == .yellow)
        #expect(view.actions == [.reconnect, .revoke])
        let warning = try #require(view.warning)
        #expect(warning.localizedCaseInsensitiveContains("reconnect"))
        if cause == .userRemoved { #expect(warning.contains("new app user")) }
        if cause == .passwordChanged { #expect(warning.contains("jira-bot@acme.test changed their Intercom password")) }
    }

    @Test("403 api_plan_restricted: broken, yellow, the plan notice, Revoke only")
    func aPlanRestrictionOffersNoReconnect() throws {
        var connection = try Sample.connected()
        let evidence = Evidence(status: 403, code: "api_plan_restricted", message: "Active subscription needed.")
        let diagnosis = Diagnosis(evidence: evidence)
        #expect(diagnosis.causes.isEmpty, "a plan limit is no break cause")
        _ = try connection.recordCheck(.rejected(diagnosis), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.state == .broken && view.indicator == .yellow)
        #expect(view.actions == [.revoke])
        let warning = try #require(view.warning)
        #expect(warning.contains("plan") && warning.contains("Reconnecting cannot fix this"))
    }

    @Test("A permission 403 names the permission and says Reconnect helps only once it is granted")
    func aPermissionWarningNamesThePermission() throws {
        var connection = try Sample.connected()
        let evidence = Evidence(status: 403, code: "forbidden", endpoint: "GET /conversations")
        _ = try connection.recordCheck(.rejected(Diagnosis(evidence: evidence)), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.actions == [.reconnect, .revoke])
        let warning = try #require(view.warning)
        #expect(warning.contains("\"Read conversations\""))
        #expect(warning.contains("only after the permission is granted"))
    }

    @Test(
        "The causes that fit each code follow Intercom's sources",
        arguments: [
            ("token_revoked", [BreakCause.tokenRevoked, .appUninstalled]),
            ("token_suspended", [.appUninstalled]),
            ("admin_not_found", [.userRemoved]),
            ("unauthorized", [.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled]),
            ("some_future_code", [.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled]),
        ])
    func causesPerCode(code: String, causes: [BreakCause]) {
        #expect(Diagnosis.causesFitting(Evidence(status: 401, code: code)) == causes)
        #expect(!Diagnosis.causesFitting(Evidence(status: 401, code: code)).contains(.permissionMissing))
    }

    @Test func aTransientFailureIsShownWithoutChangingTheIndicator() throws {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.transientFailure(reason: "Intercom answered 503"), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.indicator == .green)
        #expect(view.notice?.contains("Intercom answered 503") == true)
    }
}
