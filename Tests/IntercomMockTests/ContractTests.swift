import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

/// Every route the mock serves, success and each error, against the schema Intercom publishes for
/// it (``Published``, written from the 2.14 description): what an official SDK pointed at the mock
/// would decode.
@Suite("Contract: the mock's answers have the published shapes")
struct ContractTests {
    /// The answer's body parsed, checked against `schema`, and (for an error) its request id
    /// matching the `X-Request-Id` header.
    static func conforms(
        _ response: TestResponse, to schema: PublishedSchema, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws -> JSONValue
    {
        let body = try JSONValue.parse(response.text)
        let violations = schema.violations(of: body)
        #expect(violations.isEmpty, "\(schema.name): \(violations)", sourceLocation: sourceLocation)
        if schema.name == "error" {
            #expect(body["type"]?.string == "error.list", sourceLocation: sourceLocation)
            #expect(
                body["request_id"]?.string == response.header("X-Request-Id"), sourceLocation: sourceLocation)
            if case .array(let errors)? = body["errors"] {
                #expect(!errors.isEmpty, "one or more error objects", sourceLocation: sourceLocation)
            }
        }
        return body
    }

    static func errorCode(_ body: JSONValue) -> String? {
        if case .array(let errors)? = body["errors"] { errors.first?["code"]?.string } else { nil }
    }

    @Test("GET /me: admin_with_app; 401 without or with a bad token; 400 for an unknown version; 403 plan")
    func me() async throws {
        let fixture = try Fixture { world in
            world.workspaces[world.workspaces.firstIndex { $0.idCode == "acme-eu" }!].planRestricted = true
        }
        try await fixture.withClient { client in
            let me = try Self.conforms(
                try await client.get("/me", token: fixture.botToken), to: Published.adminWithApp)
            #expect(me["type"]?.string == "admin" && me["app"]?["type"]?.string == "app")
            #expect(me["app"]?["region"]?.string == "US")

            for token in [nil, "not-a-token", "tok-1"] {
                let refused = try await client.get("/me", token: token)
                #expect(refused.status == .unauthorized)
                #expect(Self.errorCode(try Self.conforms(refused, to: Published.error)) == "unauthorized")
            }
            let version = try await client.get(
                "/me", token: fixture.botToken, headers: [.init("Intercom-Version")!: "9.9"])
            #expect(version.status == .badRequest)
            #expect(Self.errorCode(try Self.conforms(version, to: Published.error)) == "intercom_version_invalid")

            let plan = try await client.get("/me", token: fixture.aliceEUToken)
            #expect(plan.status == .forbidden)
            let body = try Self.conforms(plan, to: Published.error)
            #expect(Self.errorCode(body) == "api_plan_restricted")
            if case .array(let errors)? = body["errors"] {
                #expect(errors.first?["message"]?.string == "Active subscription needed.")
            }
        }
    }

    @Test("GET /admins: admin_list of admin; 401")
    func admins() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let list = try Self.conforms(
                try await client.get("/admins", token: fixture.botToken), to: Published.adminList)
            #expect(list["type"]?.string == "admin.list")
            guard case .array(let admins)? = list["admins"] else {
                Issue.record("no admins array")
                return
            }
            #expect(admins.count == 3)
            let refused = try await client.get("/admins", token: "nope")
            #expect(refused.status == .unauthorized)
            _ = try Self.conforms(refused, to: Published.error)
        }
    }

    @Test("GET /admins/{id}: admin; 404 admin_not_found")
    func admin() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            _ = try Self.conforms(try await client.get("/admins/1002", token: fixture.botToken), to: Published.admin)
            let missing = try await client.get("/admins/999999", token: fixture.botToken)
            #expect(missing.status == .notFound)
            #expect(Self.errorCode(try Self.conforms(missing, to: Published.error)) == "admin_not_found")
        }
    }

    @Test("GET /conversations: conversation.list; 401 for a token without the permission; 429 over the limit")
    func conversations() async throws {
        let fixture = try Fixture { $0.rateLimit = .init(appLimitPerMinute: 12, windowSeconds: 10) }  // 2 a window
        try await fixture.withClient { client in
            let list = try Self.conforms(
                try await client.get("/conversations?per_page=1", token: fixture.botToken),
                to: Published.conversationList)
            #expect(list["type"]?.string == "conversation.list")

            let bob = fixture.bobToken
            _ = try await fixture.intercom.edit { world in
                world.tokens[world.tokenIndex(plaintextOrID: bob)!].permissionMissing = true
            }
            let forbidden = try await client.get("/conversations?per_page=1", token: bob)
            #expect(forbidden.status == .unauthorized)
            _ = try Self.conforms(forbidden, to: Published.error)

            // Over the limit (two a window): the third answer of one token is a 429 error.list.
            _ = try await client.get("/me", token: fixture.aliceToken)
            _ = try await client.get("/me", token: fixture.aliceToken)
            let limited = try await client.get("/me", token: fixture.aliceToken)
            #expect(limited.status == .tooManyRequests)
            #expect(Self.errorCode(try Self.conforms(limited, to: Published.error)) == "rate_limit_exceeded")
        }
    }

    @Test("/oauth: a redirect carrying code and state; 400, 401 and 403 as error.list, never a redirect")
    func oauth() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let redirect = try await client.get(OAuthTests.login())
            #expect(redirect.status == .found)
            let (_, items) = try OAuthTests.redirect(redirect)
            #expect(items["state"] == "st-42")
            #expect(items["code"]?.hasSuffix("=") == true)

            let cases: [([String: String], HTTPResponse.Status, String)] = [
                (["client_id": "unknown"], .badRequest, "parameter_invalid"),
                (["password": "wrong"], .unauthorized, "unauthorized"),
                (["workspace": "acme-eu", "email": "bob@acme.test"], .forbidden, "forbidden"),
            ]
            for (extra, status, code) in cases {
                let answer = try await client.get(OAuthTests.login(extra: extra))
                #expect(answer.status == status, "\(extra)")
                #expect(answer.header("Location") == nil)
                #expect(Self.errorCode(try Self.conforms(answer, to: Published.error)) == code)
            }
        }
    }

    @Test("POST /auth/eagle/token: the token answer; 400 without fields, 401 for a bad code or client")
    func tokenExchange() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let code = try #require(try OAuthTests.redirect(try await client.get(OAuthTests.login())).items["code"])
            let form = query(["code": code, "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            let answer = try Self.conforms(
                try await client.post("/auth/eagle/token", form: form), to: Published.tokenAnswer)
            #expect(answer["token_type"]?.string == "Bearer")
            #expect(answer["token"] == answer["access_token"])

            let empty = try await client.post("/auth/eagle/token", form: "")
            #expect(empty.status == .badRequest)
            _ = try Self.conforms(empty, to: Published.error)
            let used = try await client.post("/auth/eagle/token", form: form)
            #expect(used.status == .unauthorized)
            _ = try Self.conforms(used, to: Published.error)
            let wrongClient = try await client.post(
                "/auth/eagle/token",
                form: query(["code": "x=", "client_id": Fake.clientID, "client_secret": "not-the-secret"]))
            #expect(wrongClient.status == .unauthorized)
            _ = try Self.conforms(wrongClient, to: Published.error)
        }
    }

    @Test("the checker itself catches what it should: a missing required key, a wrong type, a null where none may be")
    func checkerFindsViolations() throws {
        #expect(!Published.error.violations(of: try JSONValue.parse(#"{"type":"error.list"}"#)).isEmpty)
        #expect(
            !Published.error.violations(of: try JSONValue.parse(#"{"type":"error.list","errors":[{"message":"x"}]}"#))
                .isEmpty, "an item without code breaks the schema, though Intercom sends such bodies")
        #expect(
            !Published.adminWithApp.violations(
                of: try JSONValue.parse(#"{"type":"admin","id":2633609,"email":"a","name":"n","app":null}"#)
            ).isEmpty, "an integer id")
        #expect(
            !Published.adminWithApp.violations(
                of: try JSONValue.parse(
                    #"{"type":"admin","id":"1","email":"a","name":"n","has_inbox_seat":1,"app":null}"#)
            ).isEmpty, "1 is not a boolean")
        #expect(
            Published.error.violations(
                of: try JSONValue.parse(
                    #"{"type":"error.list","request_id":null,"errors":[{"code":"x","message":null}]}"#)
            ).isEmpty)
    }
}
