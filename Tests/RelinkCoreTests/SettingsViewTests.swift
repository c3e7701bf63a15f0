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
        let diagnosis = Diagnosis(evidence: Evidence(status: cause == .permissionMissing ? 403 : 401), causes: [cause], isGroundTruth: true)
        _ = try connection.recordCheck(.rejected(diagnosis), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.indicator == .yellow)
        #expect(view.actions == [.reconnect, .revoke])
        let warning = try #require(view.warning)
        #expect(warning.localizedCaseInsensitiveContains("reconnect"))
        if cause == .userRemoved { #expect(warning.contains("new app user")) }
        if cause == .passwordChanged { #expect(warning.contains("jira-bot@acme.test changed their Intercom password")) }
    }

    @Test func aTransientFailureIsShownWithoutChangingTheIndicator() throws {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.transientFailure(reason: "Intercom answered 503"), at: Sample.t0, by: "check")
        let view = SettingsView(project: project, connection: connection)
        #expect(view.indicator == .green)
        #expect(view.notice?.contains("Intercom answered 503") == true)
    }
}
