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
            ("token_blocked", [.appUninstalled]),
            ("token_not_found", [.tokenRevoked, .appUninstalled]),
            ("token_expired", [.passwordChanged, .tokenRevoked]),
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

    func warning(_ evidence: Evidence, _ diagnosis: Diagnosis? = nil) throws -> String {
        var connection = try Sample.connected()
        _ = try connection.recordCheck(.rejected(diagnosis ?? Diagnosis(evidence: evidence)), at: Sample.t0, by: "check")
        return try #require(SettingsView(project: project, connection: connection).warning)
    }

    @Test(
        "Each documented token code has its own evidence in the warning",
        arguments: [
            ("token_revoked", "Intercom says the token has been revoked, but not why"),
            ("token_suspended", "the token's app is suspended or deleted"),
            ("token_blocked", "the app or the token has been blocked"),
            ("token_expired", "Intercom says the token is expired"),
            ("token_not_found", "Intercom says the token does not exist"),
            ("admin_not_found", "Intercom says the teammate does not exist"),
        ])
    func tokenCodeEvidence(code: String, words: String) throws {
        let text = try warning(Evidence(status: 401, code: code, requestID: "r1"))
        #expect(text.contains(words), "\(text)")
        #expect(text.contains("401 \(code) (request r1)"))
        // The codes read differently: no two share their sentence.
        #expect(!text.contains("Intercom does not say why"))
    }

    @Test("An app held back by Intercom is not promised a repair by Reconnect", arguments: ["token_suspended", "token_blocked"])
    func heldApp(code: String) throws {
        let text = try warning(Evidence(status: 401, code: code))
        #expect(text.contains("Reconnecting helps only once the app is active again"))
        #expect(!text.contains("Reconnect to repair it"))
    }

    @Test("A live token without a scope is a missing permission: the route and scope, no dead-token causes")
    func missingScope() throws {
        let evidence = Evidence(
            status: 401, code: "token_unauthorized", message: "Not authorized to access resource", requestID: "r2",
            endpoint: "GET /conversations")
        let text = try warning(evidence, Diagnosis(missingPermission: evidence))
        #expect(text.contains("lacks the permission \"Read conversations\""), "\(text)")
        #expect(text.contains("on GET /conversations"))
        #expect(text.contains("Developer Hub"))
        for cause in ["password-changed", "token-revoked", "user-removed", "app-uninstalled"] {
            #expect(!text.contains(cause))
        }
    }

    @Test("A scope the answer names is the permission the warning names")
    func namedScope() throws {
        let evidence = Evidence(
            status: 403, code: "forbidden",
            message: "You do not have the required scope (write_conversations) to access this resource",
            endpoint: "POST /conversations/c-1/reply")
        #expect(evidence.namedScope == "write_conversations")
        let text = try warning(evidence)
        #expect(text.contains("lacks the permission \"write_conversations\""), "\(text)")
        // A hostile message names no scope it cannot be.
        #expect(Evidence(status: 403, message: "required scope (a b); rm -rf)").namedScope == nil)
        #expect(Evidence(status: 403, message: "required scope (").namedScope == nil)
    }

    @Test("The allowlist 403 fits no break cause")
    func allowlistFitsNothing() {
        let evidence = Evidence(status: 403, message: "Your IP address is not on the allowlist for API access")
        #expect(evidence.isAddressRefusal)
        #expect(Diagnosis.causesFitting(evidence).isEmpty)
        #expect(evidence.permission == nil)
        #expect(!Evidence(status: 401, message: "Your IP address is not on the allowlist for API access").isAddressRefusal)
    }
}
