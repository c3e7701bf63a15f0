import Foundation
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Intercom routes")
struct APIRouteTests {
    @Test("GET /me answers the admin with its workspace, as in Intercom's example")
    func meAnswersAdminWithApp() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.get("/me", token: fixture.botToken)
            #expect(response.status == .ok)
            #expect(response.header("X-Request-Id") != nil)
            let admin = try response.decode(Admin.self)
            #expect(admin.type == "admin")
            #expect(admin.id == "1001")
            #expect(admin.email == "jira-bot@acme.test")
            #expect(admin.emailVerified == true)
            #expect(admin.avatar?.type == "avatar")
            #expect(admin.app?.type == "app")
            #expect(admin.app?.idCode == "acme")
            #expect(admin.app?.name == "Acme Support")
            #expect(admin.app?.region == "US")
            #expect(admin.app?.timezone == "America/New_York")
            // The raw keys are Intercom's snake_case ones.
            let object = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
            let app = object?["app"] as? [String: Any]
            #expect(app?["id_code"] as? String == "acme")
            #expect(object?["has_inbox_seat"] as? Bool == true)
        }
    }

    @Test("GET /me follows world edits: its cached answer is dropped when the world changes")
    func meFollowsWorldEdits() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            #expect(try await client.get("/me", token: fixture.botToken).decode(Admin.self).app?.name == "Acme Support")
            let edit = try await client.post(
                "/__mock/world/workspaces", json: #"{"id_code":"acme","name":"Acme Renamed","region":"AU"}"#)
            #expect(edit.status == .ok)
            let admin = try await client.get("/me", token: fixture.botToken).decode(Admin.self)
            #expect(admin.app?.name == "Acme Renamed")
            #expect(admin.app?.region == "AU")
        }
    }

    @Test("a path the mock does not serve answers an error.list 404, as Intercom does")
    func unknownPath() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.get("/contacts", token: fixture.botToken)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "not_found")
        }
    }

    @Test("GET /me tells the EU workspace's region for an EU token")
    func meTellsRegion() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let admin = try await client.get("/me", token: fixture.aliceEUToken).decode(Admin.self)
            #expect(admin.app?.idCode == "acme-eu")
            #expect(admin.app?.region == "EU")
        }
    }

    @Test("missing, malformed and unknown tokens answer 401 unauthorized")
    func unauthenticated() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            for response in [
                try await client.get("/me"),
                try await client.get("/me", token: "not-a-token"),
                try await client.get("/me", headers: [.authorization: "Basic abc"]),
                // A public token id is not a credential.
                try await client.get("/me", token: "tok-1"),
            ] {
                #expect(response.status == .unauthorized)
                #expect(try response.errorCode() == "unauthorized")
                #expect(try response.decode(ErrorList.self).errors.first?.message == "Access Token Invalid")
            }
            // Each error carries a fresh request id.
            let first = try await client.get("/me").header("X-Request-Id")
            let second = try await client.get("/me").header("X-Request-Id")
            #expect(first != second)
            // Shaped like Intercom's: 20 lowercase letters and digits, in the header and the body alike.
            var seen: Set<String> = []
            for _ in 0..<50 {
                let response = try await client.get("/me")
                let id = try #require(response.header("X-Request-Id"))
                #expect(id.count == 20 && id.allSatisfy { $0.isNumber || ("a"..."z").contains($0) }, "\(id)")
                #expect(try response.decode(ErrorList.self).requestID == id)
                seen.insert(id)
            }
            #expect(seen.count == 50)
        }
    }

    @Test("Intercom-Version: every published value passes (1.0–1.4, 2.0–2.17, Unstable, Preview), others answer 400")
    func versionHeader() async throws {
        let fixture = try Fixture()
        let published =
            ["1.0", "1.1", "1.2", "1.3", "1.4"] + (0...17).map { "2.\($0)" } + ["Unstable", "Preview"]
        try await fixture.withClient { client in
            for version in published {
                let response = try await client.get(
                    "/me", token: fixture.botToken, headers: [.init(IntercomVersion.headerName)!: version])
                #expect(response.status == .ok, "version \(version)")
            }
            for version in ["2.18", "1.5", "3.0", "latest", "2.14.0", ""] {
                let response = try await client.get(
                    "/me", token: fixture.botToken, headers: [.init(IntercomVersion.headerName)!: version])
                #expect(response.status == .badRequest, "version \(version)")
                #expect(try response.errorCode() == "intercom_version_invalid")
            }
        }
    }

    @Test("GET /admins lists the teammates of the token's workspace only")
    func adminsList() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let list = try await client.get("/admins", token: fixture.botToken).decode(AdminList.self)
            #expect(list.type == "admin.list")
            #expect(list.admins.map(\.email).sorted() == ["alice@acme.test", "bob@acme.test", "jira-bot@acme.test"])
            #expect(list.admins.allSatisfy { $0.app == nil })
            let eu = try await client.get("/admins", token: fixture.aliceEUToken).decode(AdminList.self)
            #expect(eu.admins.map(\.email) == ["alice@acme.test"])
            #expect(try await client.get("/admins").status == .unauthorized)
        }
    }

    @Test("GET /admins/{id}: a teammate of the workspace, else 404 admin_not_found")
    func adminByID() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let bob = try await client.get("/admins/1003", token: fixture.botToken)
            #expect(bob.status == .ok)
            #expect(try bob.decode(Admin.self).name == "Bob")
            let unknown = try await client.get("/admins/999", token: fixture.botToken)
            #expect(unknown.status == .notFound)
            #expect(try unknown.errorCode() == "admin_not_found")
            // Bob exists, but not in the EU workspace.
            let elsewhere = try await client.get("/admins/1003", token: fixture.aliceEUToken)
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test("GET /conversations/{id}: in the workspace, else 404 not_found")
    func conversation() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let found = try await client.get("/conversations/c1", token: fixture.botToken)
            #expect(found.status == .ok)
            #expect(try found.decode(Conversation.self).id == "c1")
            let other = try await client.get("/conversations/c-eu", token: fixture.botToken)
            #expect(other.status == .notFound)
            #expect(try other.errorCode() == "not_found")
            #expect(try await client.get("/conversations/nope", token: fixture.botToken).status == .notFound)
        }
    }

    @Test("POST /conversations/{id}/reply adds an admin's note; refuses what the mock does not serve")
    func replyNote() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let note = #"{"message_type":"note","type":"admin","admin_id":"1001","body":"Linked to SUP-1"}"#
            let response = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: note)
            #expect(response.status == .ok)
            let conversation = try response.decode(Conversation.self)
            let part = try #require(conversation.conversationParts?.conversationParts.last)
            #expect(part.partType == "note")
            #expect(part.body == "Linked to SUP-1")
            #expect(part.author.type == "admin")
            #expect(part.author.id == "1001")
            // It is kept: reading the conversation shows it.
            let again = try await client.get("/conversations/c1", token: fixture.botToken).decode(Conversation.self)
            #expect(again.conversationParts?.totalCount == 1)

            let quickReply = #"{"message_type":"quick_reply","type":"admin","admin_id":"1001","body":"hi"}"#
            let refused = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: quickReply)
            #expect(refused.status == .badRequest)
            #expect(try refused.errorCode() == "parameter_invalid")
            let garbage = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: "{")
            #expect(garbage.status == .badRequest)
            let stranger = #"{"message_type":"note","type":"admin","admin_id":"4242","body":"x"}"#
            #expect(
                try await client.post("/conversations/c1/reply", token: fixture.botToken, json: stranger).status
                    == .notFound)
            let missing = try await client.post("/conversations/zzz/reply", token: fixture.botToken, json: note)
            #expect(missing.status == .notFound)
            #expect(try await client.post("/conversations/c1/reply", json: note).status == .unauthorized)
        }
    }

    @Test("POST /auth/uninstall kills every token of the app in that workspace, and only there")
    func uninstall() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.post("/auth/uninstall", token: fixture.botToken)
            #expect(response.status == .ok)
            for token in [fixture.botToken, fixture.aliceToken, fixture.bobToken] {
                #expect(try await client.get("/me", token: token).status == .unauthorized)
            }
            #expect(try await client.get("/me", token: fixture.aliceEUToken).status == .ok)
            #expect(try await client.post("/auth/uninstall").status == .unauthorized)
        }
        let world = await fixture.intercom.world
        #expect(world.apps[0].installedIn == ["acme-eu"])
        #expect(world.tokens.filter { !$0.isAlive }.allSatisfy { $0.death?.cause == .appUninstalled })
    }
}
