import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("The mock's redirect URLs: HTTPS, loopback http only for a development app")
struct RedirectRuleTests {
    static let https = "https://relink.example.com/intercom/callback"

    /// The fixture's app, registered as `development` says, with an extra HTTPS URL.
    static func fixture(development: Bool, extra: [String] = [https]) throws -> Fixture {
        try Fixture { world in
            world.registerApp(
                clientID: Fake.clientID, clientSecret: Fake.clientSecret, name: "Intercom for Jira (test)",
                redirectURIs: [Fake.redirect] + extra, installedIn: ["acme"], development: development)
        }
    }

    @Test("a loopback http URL is refused on /oauth unless the app is a development app; HTTPS always works")
    func loopbackNeedsADevelopmentApp() async throws {
        let production = try Self.fixture(development: false)
        try await production.withClient { client in
            let loopback = try await client.get(OAuthTests.login(extra: ["redirect_uri": Fake.redirect]))
            #expect(loopback.status == .badRequest)
            #expect(loopback.header("Location") == nil, "never redirects to a URL Intercom would not")
            #expect(try loopback.errorCode() == "parameter_invalid")
            #expect(loopback.text.contains("HTTPS"))
            // The default (first registered) URL is the loopback one: refused the same way.
            #expect(try await client.get(OAuthTests.login()).status == .badRequest)

            let secure = try await client.get(OAuthTests.login(extra: ["redirect_uri": Self.https]))
            #expect(secure.status == .found)
            #expect(try OAuthTests.redirect(secure).base == Self.https)
        }
        let development = try Self.fixture(development: true)
        try await development.withClient { client in
            let loopback = try await client.get(OAuthTests.login(extra: ["redirect_uri": Fake.redirect]))
            #expect(loopback.status == .found)
            #expect(try OAuthTests.redirect(loopback).base == Fake.redirect)
        }
    }

    @Test("even a development app cannot use plain http to a host that is not loopback")
    func plainHTTPElsewhereIsRefused() async throws {
        let fixture = try Self.fixture(development: true, extra: ["http://relink.example.com/cb"])
        try await fixture.withClient { client in
            let answer = try await client.get(
                OAuthTests.login(extra: ["redirect_uri": "http://relink.example.com/cb"]))
            #expect(answer.status == .badRequest)
            #expect(try answer.errorCode() == "parameter_invalid")
        }
    }

    @Test("a token exchange that names a redirect_uri must name the code's own, and an allowed one")
    func exchangeChecksTheRedirectURI() async throws {
        let fixture = try Self.fixture(development: true)
        try await fixture.withClient { client in
            func code(_ redirect: String) async throws -> String {
                let answer = try await client.get(OAuthTests.login(extra: ["redirect_uri": redirect]))
                return try #require(try OAuthTests.redirect(answer).items["code"])
            }
            func exchange(_ code: String, _ redirect: String?) async throws -> TestResponse {
                var fields = ["code": code, "client_id": Fake.clientID, "client_secret": Fake.clientSecret]
                fields["redirect_uri"] = redirect
                return try await client.post("/auth/eagle/token", form: query(fields))
            }
            let first = try await code(Self.https)
            let other = try await exchange(first, Fake.redirect)
            #expect(other.status == .badRequest)
            #expect(try other.errorCode() == "parameter_invalid")
            let insecure = try await exchange(first, "http://relink.example.com/cb")
            #expect(insecure.status == .badRequest)
            // The refusals did not use the code up: the matching exchange still works.
            let matching = try await exchange(first, Self.https)
            #expect(matching.status == .ok)
            #expect(try matching.decode(TokenResponse.self).tokenType == "Bearer")
            // Naming none is what Intercom's docs do: accepted.
            #expect(try await exchange(try await code(Self.https), nil).status == .ok)
        }
    }

    @Test("the control API refuses to register a URL Intercom would refuse, and marks development apps")
    func registrationAndTheDevelopmentSetting() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            func register(_ uris: [String], development: Bool?) async throws -> TestResponse {
                let body = try JSONEncoder().encode(
                    MockControlAPI.AppEdit(
                        clientID: "new-app", clientSecret: "fake", name: "New", redirectURIs: uris, installedIn: nil,
                        development: development))
                return try await client.post("/__mock/world/apps", json: String(decoding: body, as: UTF8.self))
            }
            let loopback = try await register(["http://127.0.0.1:8123/cb"], development: nil)
            #expect(loopback.status == .badRequest)
            #expect(loopback.text.contains("development"))
            #expect(try await register(["http://relink.example.com/cb"], development: true).status == .badRequest)
            #expect(try await register(["https://x.example/cb#frag"], development: false).status == .badRequest)
            #expect(
                try await register(["http://[::1]:8123/cb", "http://localhost/cb"], development: true).status == .ok)

            let text = try await client.get("/__mock/world").text
            let world = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let apps = try #require(world["apps"] as? [[String: Any]])
            #expect(apps.first { $0["client_id"] as? String == "new-app" }?["development"] as? Bool == true)
            #expect(apps.first { $0["client_id"] as? String == Fake.clientID }?["development"] as? Bool == true)

            // Turning development off is refused while a loopback URL is registered.
            let off = try await client.execute(
                uri: "/__mock/world/apps/new-app/development", method: .put,
                headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"development":false}"#))
            #expect(off.status == .badRequest)
            let unknown = try await client.execute(
                uri: "/__mock/world/apps/nobody/development", method: .put,
                headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"development":true}"#))
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a world saved before the setting decodes with every app a production app")
    func olderWorldsDecode() throws {
        let old = #"""
            {"clientID":"c","clientSecret":{"salt":"00","sha256":"00"},"name":"n",
             "redirectURIs":["http://127.0.0.1/callback"],"installedIn":[]}
            """#
        let app = try JSONDecoder().decode(MockWorld.OAuthApp.self, from: Data(old.utf8))
        #expect(app.development == nil && !app.isDevelopment)
    }

    @Test(
        "the rule itself",
        arguments: [
            ("https://relink.example.com/cb", RedirectURL.Kind.https),
            ("HTTPS://Relink.Example.com/cb?x=1", .https),
            ("https://bücher.example/cb", .https),
            ("http://127.0.0.1/callback", .loopbackHTTP),
            ("http://localhost:8080/cb", .loopbackHTTP),
            ("http://[::1]:9/cb", .loopbackHTTP),
            ("http://127.0.0.2/cb", .insecure),
            ("http://localhost.evil.example/cb", .insecure),
            ("ftp://relink.example.com/cb", .insecure),
            ("https://relink.example.com/cb#x", .hasFragment),
            ("relink.example.com/cb", .notAURL),
            ("", .notAURL),
            ("https://", .notAURL),
        ])
    func rule(url: String, kind: RedirectURL.Kind) {
        #expect(RedirectURL.kind(of: url) == kind)
    }
}
