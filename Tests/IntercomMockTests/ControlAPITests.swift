import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Control API: world, journal")
struct ControlAPITests {
    @Test("GET /__mock/world shows the world without a digest, salt or secret")
    func redactedWorld() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.get("/__mock/world")
            #expect(response.status == .ok)
            let text = response.text
            #expect(text.contains("jira-bot@acme.test"))
            #expect(text.contains(#""status" : "alive""#))
            #expect(text.contains(#""client_id" : "relink-test-client""#))
            for forbidden in ["sha256", "salt", "digest", fixture.botToken, Fake.clientSecret, Fake.botPassword] {
                #expect(!text.contains(forbidden), "\(forbidden) leaked")
            }
            let world = fixture.world
            let worldHashes = world.tokens.map(\.digest) + world.teammates.map(\.password.sha256)
            #expect(worldHashes.allSatisfy { !text.contains($0) })
        }
    }

    @Test("world edits: workspace, teammate, password, memberships, app, conversation")
    func worldEdits() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            func send(_ method: HTTPRequest.Method, _ uri: String, _ json: String) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: method, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: json))
            }
            #expect(
                try await send(
                    .post, "/__mock/world/workspaces", #"{"id_code":"acme-au","name":"Acme AU","region":"AU"}"#
                ).status == .ok)
            #expect(
                try await send(.post, "/__mock/world/workspaces", #"{"id_code":"x","name":"X","region":"MARS"}"#).status
                    == .badRequest)
            let added = try await send(
                .post, "/__mock/world/teammates",
                #"{"email":"carol@acme.test","name":"Carol","password":"fake-carol","workspaces":["acme-au"]}"#)
            #expect(added.status == .ok)
            #expect(
                try await send(
                    .post, "/__mock/world/teammates",
                    #"{"email":"dan@acme.test","name":"Dan","password":"x","workspaces":["nowhere"]}"#
                ).status == .notFound)

            func login(_ email: String, _ password: String, _ workspace: String) async throws -> Int {
                let uri =
                    "/oauth?"
                    + query([
                        "client_id": Fake.clientID, "state": "s", "email": email, "password": password,
                        "workspace": workspace,
                    ])
                return Int(try await client.get(uri).status.code)
            }
            #expect(try await login("carol@acme.test", "fake-carol", "acme-au") == 302)
            #expect(
                try await send(.put, "/__mock/world/teammates/carol@acme.test/password", #"{"password":"fake-2"}"#)
                    .status == .ok)
            #expect(try await login("carol@acme.test", "fake-carol", "acme-au") == 401)
            #expect(try await login("carol@acme.test", "fake-2", "acme-au") == 302)

            #expect(try await login("carol@acme.test", "fake-2", "acme") == 403)
            #expect(
                try await send(
                    .post, "/__mock/world/memberships", #"{"teammate":"carol@acme.test","workspace":"acme"}"#
                ).status == .ok)
            #expect(try await login("carol@acme.test", "fake-2", "acme") == 302)
            let removed = try await send(
                .delete, "/__mock/world/memberships", #"{"teammate":"bob@acme.test","workspace":"acme"}"#)
            #expect(removed.status == .ok)
            #expect(try await client.get("/me", token: fixture.bobToken).status == .unauthorized)
            #expect(try await login("bob@acme.test", Fake.bobPassword, "acme") == 403)
            // Adding bob back lifts the refusal.
            _ = try await send(.post, "/__mock/world/memberships", #"{"teammate":"bob@acme.test","workspace":"acme"}"#)
            #expect(try await login("bob@acme.test", Fake.bobPassword, "acme") == 302)

            let app = try await send(
                .post, "/__mock/world/apps",
                #"{"client_id":"other","client_secret":"fake-other","name":"Other","redirect_uris":["http://127.0.0.1:9/o"],"development":true}"#
            )
            #expect(app.status == .ok)
            #expect(!app.text.contains("fake-other"))
            #expect(
                try await send(.post, "/__mock/world/conversations", #"{"id":"c9","workspace":"acme"}"#).status == .ok)
            #expect(try await client.get("/conversations/c9", token: fixture.botToken).status == .ok)
            #expect(try await send(.post, "/__mock/world/conversations", #"{"id":"c9"}"#).status == .badRequest)
        }
    }

    @Test("the journal shows requests in order, tokens only as public ids or [redacted]")
    func journal() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            _ = try await client.get("/me", token: fixture.botToken)
            _ = try await client.get("/admins", token: "stolen-or-made-up")
            _ = try await client.get("/me")
            let response = try await client.get("/__mock/journal")
            let entries = try Self.decodeJournal(response.text)
            #expect(entries.map(\.path) == ["/me", "/admins", "/me"])
            #expect(entries.map(\.status) == [200, 401, 401])
            #expect(entries.map(\.token) == [TokenID.of(token: fixture.botToken), "[redacted]", nil])
            #expect(entries.allSatisfy { !$0.requestID.isEmpty })
            #expect(!response.text.contains(fixture.botToken))
            #expect(!response.text.contains("stolen-or-made-up"))
            let limited = try Self.decodeJournal(try await client.get("/__mock/journal?limit=1").text)
            #expect(limited.map(\.status) == [401])
        }
    }

    static func decodeJournal(_ text: String) throws -> [JournalEntry] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([JournalEntry].self, from: Data(text.utf8))
    }
}

@Suite("Control API: token inspection")
struct InspectRouteTests {
    private func inspect(_ client: some TestClientProtocol, _ json: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/__mock/tokens/inspect", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: json))
    }

    @Test("One token, or many in their order with null for one the mock does not hold")
    func oneOrMany() async throws {
        let fixture = try Fixture()
        _ = try await fixture.intercom.revokeToken(fixture.bobToken)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        try await fixture.withClient { client in
            let one = try await inspect(client, #"{"token":"\#(fixture.bobToken)"}"#)
            #expect(one.status == .ok)
            let single = try decoder.decode(MockControlAPI.TokenInspection.self, from: Data(one.text.utf8))
            #expect(single.cause == .tokenRevoked && !single.alive)

            let many = try await inspect(
                client, #"{"tokens":["\#(fixture.botToken)","not-a-token-ünïcødé","\#(fixture.bobToken)"]}"#)
            #expect(many.status == .ok)
            let answer = try decoder.decode(MockControlAPI.InspectManyAnswer.self, from: Data(many.text.utf8))
            #expect(answer.inspections.count == 3)
            #expect(answer.inspections[0]?.alive == true)
            #expect(answer.inspections[1] == nil)
            #expect(answer.inspections[2]?.cause == .tokenRevoked)
            #expect(answer.inspections[2]?.id == fixture.world.tokens[3].id)
            #expect(!many.text.contains(fixture.botToken) && !many.text.contains(fixture.bobToken))

            #expect(try await inspect(client, #"{"tokens":[]}"#).text.contains(#""inspections""#))
            #expect(try await inspect(client, #"{"token":"nope"}"#).status == .notFound)
        }
    }

    @Test("A body that is neither shape, or more tokens than the limit, is refused with 400")
    func refused() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            #expect(try await inspect(client, #"{"tokn":"x"}"#).status == .badRequest)
            #expect(try await inspect(client, #"{"tokens":"x"}"#).status == .badRequest)
            #expect(try await inspect(client, "not json").status == .badRequest)
            let tooMany = (0...MockControlAPI.InspectManyRequest.limit).map { "\"t\($0)\"" }.joined(separator: ",")
            let answer = try await inspect(client, #"{"tokens":[\#(tooMany)]}"#)
            #expect(answer.status == .badRequest)
            #expect(answer.text.contains("at most 1000 tokens"))
        }
    }
}
