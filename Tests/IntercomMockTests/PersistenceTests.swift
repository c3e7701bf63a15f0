import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkStore
import RelinkTestSupport
import Testing

@testable import IntercomMock

@Suite("World persistence")
struct PersistenceTests {
    @Test("a world saved and loaded again is the same world, as sorted, pretty JSON")
    func roundTrip() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let file = directory.appendingPathComponent("world.json")
        let persistence = try Store(directory: directory)
        #expect(try persistence.loadWorld() == nil)
        let world = try Fixture().world
        try persistence.replaceWorld(with: world)
        #expect(try persistence.loadWorld() == world)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"apps\" : ["))
        // No temporary file is left behind.
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: directory.path)).contains { $0.hasSuffix(".tmp") })
    }

    @Test("world.json holds no secret: no token, password, client secret or code in plaintext")
    func noSecretsOnDisk() async throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let file = directory.appendingPathComponent("world.json")
        let fixture = try Fixture(persistence: try Store(directory: directory))
        var secrets = [
            fixture.botToken, fixture.aliceToken, fixture.bobToken, fixture.aliceEUToken, Fake.clientSecret,
            Fake.botPassword, Fake.alicePassword, Fake.bobPassword, "fake-new-password",
        ]
        secrets += try await fixture.withClient { client in
            // Leave a pending code and a freshly exchanged token in the world.
            let login =
                "/oauth?"
                + query([
                    "client_id": Fake.clientID, "state": "s", "email": "bob@acme.test", "password": Fake.bobPassword,
                ])
            let pending = try OAuthTests.redirect(try await client.get(login)).items["code"] ?? ""
            let used = try OAuthTests.redirect(try await client.get(login)).items["code"] ?? ""
            let form = query(["code": used, "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            let token = try await client.post("/auth/eagle/token", form: form).decode(TokenResponse.self).token
            return [pending, used, token]
        }
        try await fixture.intercom.changePassword(teammateEmail: "alice@acme.test", newPassword: "fake-new-password")
        let text = try String(contentsOf: file, encoding: .utf8)
        for secret in secrets {
            #expect(!secret.isEmpty)
            #expect(!text.contains(secret), "a secret reached world.json")
        }
        // What is there instead: digests, and the state that matters.
        let saved = try #require(try Store(directory: directory).loadWorld())
        #expect(saved.tokens.count == 5)
        #expect(saved.pendingCodes.count == 1)
        #expect(saved.tokens.filter { !$0.isAlive }.count == 2)
    }

    @Test("a restarted mock loads the saved world: dead tokens stay dead")
    func survivesRestart() async throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let fixture = try Fixture(persistence: try Store(directory: directory))
        try await fixture.intercom.revokeToken(fixture.botToken)
        let restarted = try MockIntercom.load(from: try Store(directory: directory), logger: Fixture.logger)
        let bot = try #require(await restarted.world.tokens.first { $0.teammateID == "1001" })
        #expect(bot.death?.cause == .tokenRevoked)
        try await MockServer.buildApplication(intercom: restarted, logger: Fixture.logger).test(.router) {
            client async throws in
            #expect(try await client.get("/me", token: fixture.botToken).status == .unauthorized)
            #expect(try await client.get("/me", token: fixture.bobToken).status == .ok)
        }
    }

    @Test("a damaged world.json is reported with its path and the problem, and never overwritten")
    func damagedFile() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let file = directory.appendingPathComponent("world.json")
        let damage = Data(#"{"workspaces": [ {"idCode": 3 "#.utf8)
        try damage.write(to: file)
        let persistence = try Store(directory: directory)
        do {
            _ = try MockIntercom.load(from: persistence, logger: Fixture.logger)
            Issue.record("a damaged world loaded")
        } catch let error as StoreError {
            #expect(error.description.contains(file.path))
            #expect(error.description.contains("not a valid mock world"))
        }
        #expect(throws: StoreError.self) { try persistence.replaceWorld(with: MockWorld()) }
        #expect(try Data(contentsOf: file) == damage)
    }

    @Test("reset puts the world back as loaded and clears faults and journal")
    func reset() async throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let fixture = try Fixture(persistence: try Store(directory: directory))
        try await fixture.withClient { client in
            let id = TokenID.of(token: fixture.botToken)
            _ = try await client.post("/__mock/causes", json: #"{"cause":"token-revoked","token":"\#(id)"}"#)
            _ = try await client.post("/__mock/faults", json: #"{"path":"/admins","kind":"status","status":500}"#)
            #expect(try await client.get("/me", token: fixture.botToken).status == .unauthorized)
            #expect(try await client.post("/__mock/reset").status == .ok)
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
            #expect(try await client.get("/admins", token: fixture.botToken).status == .ok)
            #expect(try await client.get("/__mock/faults").text.contains("f1") == false)
            let journal = try JSONSerialization.jsonObject(
                with: Data(try await client.get("/__mock/journal").text.utf8))
            #expect((journal as? [Any])?.count == 2)
        }
        #expect(try Store(directory: directory).loadWorld() == fixture.world)
    }
}
