import Foundation
import Testing

@testable import RelinkCore

@Suite("Records as JSON")
struct CodingTests {
    @Test func projectKeysAreJiraKeysNormalisedToUpperCase() {
        #expect(ProjectKey(rawValue: "sup")?.rawValue == "SUP")
        #expect(ProjectKey(rawValue: "A1_B")?.rawValue == "A1_B")
        for bad in ["", "1AB", "S-P", "SU P", String(repeating: "A", count: 33)] { #expect(ProjectKey(rawValue: bad) == nil) }
    }

    @Test func connectionsRoundTripInEveryState() throws {
        var broken = try Sample.connected()
        _ = try broken.recordCheck(.rejected(Sample.revoked), at: Sample.t0, by: "check")
        var revoked = try Sample.connected()
        _ = try revoked.revoke(at: Sample.t0, by: "revoke")
        for connection in [Connection(projectKey: "OPS"), try Sample.connected(), broken, revoked] {
            let data = try JSONEncoder().encode(connection)
            #expect(try JSONDecoder().decode(Connection.self, from: data) == connection)
        }
    }

    @Test func theConfigurationReadsTheAppsPropertyWithItsDefaults() throws {
        let json = #"{"intercomIssuePanel":{"enabled":false},"conversationLinking":{"notificationTriggers":{"issueTransitioned":{"enabled":true,"reopenConversations":true,"transitions":["Done"]}}},"_version":3}"#
        let settings = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(json.utf8))
        #expect(settings.intercomIssuePanel.enabled == false)
        #expect(settings.intercomIssuePanel.visibleFields.company == ["size", "website"])
        #expect(settings.conversationLinking.notificationTriggers.issueTransitioned.transitions == ["Done"])
        #expect(settings.conversationLinking.notificationTriggers.issueCommented.filterEnabled == false)
        #expect(settings.version == 3)
        let defaults = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data("{}".utf8))
        #expect(defaults == .defaults)
    }

    @Test func aStoreEncodingLeavesOutDefaultSettingsAndEmptyLinks() throws {
        let project = Project(key: "SUP", name: "Support", jiraSite: "acme.atlassian.net")
        let encoder = JSONEncoder()
        encoder.userInfo[.omitDefaults] = true
        let compact = String(decoding: try encoder.encode(project), as: UTF8.self)
        #expect(!compact.contains("settings") && !compact.contains("links"))
        #expect(try JSONDecoder().decode(Project.self, from: Data(compact.utf8)) == project)
        let full = String(decoding: try JSONEncoder().encode(project), as: UTF8.self)
        #expect(full.contains("intercomIssuePanel"))
    }
}
