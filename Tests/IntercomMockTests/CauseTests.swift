import Foundation
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Break causes")
struct CauseTests {
    /// The status `/me` answers for each token.
    static func statuses(_ client: any TestClientProtocol, _ tokens: [String]) async throws -> [Int] {
        var result: [Int] = []
        for token in tokens { result.append(Int(try await client.get("/me", token: token).status.code)) }
        return result
    }

    @Test("password-changed kills every token of that teammate, in every workspace, and only theirs")
    func passwordChanged() async throws {
        let fixture = try Fixture()
        let report = try await fixture.intercom.changePassword(
            teammateEmail: "alice@acme.test", newPassword: "fake-new")
        #expect(report.killed.count == 2)
        try await fixture.withClient { client in
            let all = [fixture.aliceToken, fixture.aliceEUToken, fixture.botToken, fixture.bobToken]
            let statuses = try await Self.statuses(client, all)
            #expect(statuses == [401, 401, 200, 200])
            let dead = try await client.get("/me", token: fixture.aliceToken)
            #expect(try dead.errorCode() == "unauthorized")
            // The old password no longer logs in; the new one does.
            let base = ["client_id": Fake.clientID, "state": "s", "email": "alice@acme.test"]
            let old = try await client.get("/oauth?" + query(base.merging(["password": Fake.alicePassword]) { $1 }))
            #expect(old.status == .unauthorized)
            let new = try await client.get("/oauth?" + query(base.merging(["password": "fake-new"]) { $1 }))
            #expect(new.status == .found)
        }
    }

    @Test("token-revoked kills that one token (by plaintext or public id); it answers token_revoked")
    func tokenRevoked() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.revokeToken(fixture.botToken)
        let bobID = try #require(await fixture.intercom.world.tokens.first { $0.teammateID == "1003" }?.id)
        try await fixture.intercom.revokeToken(bobID)
        try await fixture.withClient { client in
            let all = [fixture.botToken, fixture.bobToken, fixture.aliceToken, fixture.aliceEUToken]
            let statuses = try await Self.statuses(client, all)
            #expect(statuses == [401, 401, 200, 200])
            let revoked = try await client.get("/me", token: fixture.botToken)
            #expect(try revoked.errorCode() == "token_revoked")
        }
        await #expect(throws: MockError.self) { try await fixture.intercom.revokeToken("no-such-token") }
    }

    @Test("user-removed kills the teammate's tokens for that workspace only and refuses their next login")
    func userRemoved() async throws {
        let fixture = try Fixture()
        let report = try await fixture.intercom.removeTeammate(email: "alice@acme.test", fromWorkspace: "acme")
        #expect(report.killed.map(\.workspace) == ["acme"])
        try await fixture.withClient { client in
            let all = [fixture.aliceToken, fixture.aliceEUToken, fixture.botToken, fixture.bobToken]
            let statuses = try await Self.statuses(client, all)
            #expect(statuses == [401, 200, 200, 200])
            let login = try await client.get(
                "/oauth?"
                    + query([
                        "client_id": Fake.clientID, "state": "s", "email": "alice@acme.test",
                        "password": Fake.alicePassword, "workspace": "acme",
                    ]))
            #expect(login.status == .forbidden)
            // She no longer appears among the workspace's admins.
            let admins = try await client.get("/admins", token: fixture.botToken).decode(AdminList.self)
            #expect(!admins.admins.map(\.email).contains("alice@acme.test"))
        }
    }

    @Test("app-uninstalled kills the app's tokens in that workspace and marks it uninstalled")
    func appUninstalled() async throws {
        let fixture = try Fixture()
        let report = try await fixture.intercom.uninstallApp(workspaceID: "acme", clientID: Fake.clientID)
        #expect(report.killed.count == 3)
        try await fixture.withClient { client in
            let all = [fixture.botToken, fixture.aliceToken, fixture.bobToken, fixture.aliceEUToken]
            let statuses = try await Self.statuses(client, all)
            #expect(statuses == [401, 401, 401, 200])
        }
        #expect(await fixture.intercom.world.apps[0].installedIn == ["acme-eu"])
    }

    @Test("permission-missing keeps the token alive: /me and /admins answer, conversations answer 401")
    func permissionMissing() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.withdrawPermission(token: fixture.botToken)
        try await fixture.intercom.withdrawPermission(teammateEmail: "alice@acme.test", workspaceID: "acme-eu")
        try await fixture.withClient { client in
            let all = [fixture.botToken, fixture.aliceEUToken, fixture.aliceToken, fixture.bobToken]
            // Intercom documents no 403 for /me: the token still authenticates there.
            #expect(try await Self.statuses(client, all) == [200, 200, 200, 200])
            #expect(try await client.get("/admins", token: fixture.botToken).status.code == 200)
            var conversations: [Int] = []
            for token in all {
                conversations.append(Int(try await client.get("/conversations", token: token).status.code))
            }
            #expect(conversations == [401, 401, 200, 200])
            let denied = try await client.get("/conversations", token: fixture.botToken)
            #expect(try denied.errorCode() == "token_unauthorized")
            #expect(denied.header("X-RateLimit-Limit") != nil)
        }
        let bot = try #require(await fixture.intercom.world.tokens.first { $0.teammateID == "1001" })
        #expect(bot.isAlive)
    }

    @Test("permission-missing refuses the teammate's consent until it is restored, then everything answers")
    func permissionMissingRefusesConsentUntilRestored() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.withdrawPermission(token: fixture.botToken)
        let world = await fixture.intercom.world
        let bot = try #require(world.tokens.first { $0.teammateID == "1001" })
        let teammate = try #require(world.teammate(id: bot.teammateID))
        #expect(teammate.lacksPermission(in: bot.workspaceID))

        let report = try await fixture.intercom.apply(
            CauseRequest(cause: .permissionMissing, token: fixture.botToken, restore: true))
        #expect(report.restricted.map(\.id) == [bot.id])
        let restored = await fixture.intercom.world
        #expect(restored.teammate(id: bot.teammateID)?.lacksPermission(in: bot.workspaceID) == false)
        let status = try await fixture.withClient { client in
            try await client.get("/conversations", token: fixture.botToken).status.code
        }
        #expect(status == 200)
        await #expect(throws: MockError.self) {
            try await fixture.intercom.apply(CauseRequest(cause: .tokenRevoked, token: fixture.botToken, restore: true))
        }
    }

    @Test("causes through POST /__mock/causes report what they killed; missing fields are 400, unknown names 404")
    func causesThroughControlAPI() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.post(
                "/__mock/causes", json: #"{"cause":"password-changed","teammate":"bob@acme.test"}"#)
            #expect(response.status == .ok)
            let report = try JSONDecoder().decode(BreakReport.self, from: Data(response.text.utf8))
            #expect(report.cause == .passwordChanged)
            #expect(report.killed.map(\.teammate) == ["bob@acme.test"])
            #expect(!response.text.contains(fixture.bobToken))
            #expect(try await client.get("/me", token: fixture.bobToken).status == .unauthorized)

            let revoke = try await client.post(
                "/__mock/causes", json: #"{"cause":"token-revoked","token":"\#(fixture.botToken)"}"#)
            #expect(revoke.status == .ok)
            #expect(try await client.get("/me", token: fixture.botToken).status == .unauthorized)

            let uninstall = try await client.post(
                "/__mock/causes", json: #"{"cause":"app-uninstalled","workspace":"acme-eu"}"#)
            #expect(uninstall.status == .ok)
            #expect(try await client.get("/me", token: fixture.aliceEUToken).status == .unauthorized)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .ok)

            let removal = try await client.post(
                "/__mock/causes", json: #"{"cause":"user-removed","teammate":"alice@acme.test","workspace":"acme"}"#)
            #expect(removal.status == .ok)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .unauthorized)

            let missing = try await client.post("/__mock/causes", json: #"{"cause":"user-removed"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("teammate"))
            let unknown = try await client.post(
                "/__mock/causes", json: #"{"cause":"password-changed","teammate":"nobody@acme.test"}"#)
            #expect(unknown.status == .notFound)
            let badCause = try await client.post("/__mock/causes", json: #"{"cause":"meteor"}"#)
            #expect(badCause.status == .badRequest)
        }
    }
}
