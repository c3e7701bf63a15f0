import Foundation
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("OAuth: simulated login and consent, code exchange")
struct OAuthTests {
    static func login(
        email: String = "bob@acme.test", password: String = Fake.bobPassword, extra: [String: String] = [:]
    ) -> String {
        var items = ["client_id": Fake.clientID, "state": "st-42", "email": email, "password": password]
        items.merge(extra) { $1 }
        return "/oauth?" + query(items)
    }

    /// The query items of a redirect's Location.
    static func redirect(_ response: TestResponse) throws -> (base: String, items: [String: String]) {
        let location = try #require(response.header("Location"))
        let components = try #require(URLComponents(string: location))
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value }
        var base = components
        base.query = nil
        return (base.string ?? "", items)
    }

    @Test("a good login redirects to the first registered URI with code and state")
    func loginRedirects() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.get(Self.login())
            #expect(response.status == .found)
            let (base, items) = try Self.redirect(response)
            #expect(base == Fake.redirect)
            #expect(items["state"] == "st-42")
            #expect(items["code"]?.isEmpty == false)
        }
    }

    @Test("a registered redirect_uri is used; an unknown one or an unknown client is 400 and never redirects")
    func redirectURIAndClient() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let other = try await client.get(Self.login(extra: ["redirect_uri": Fake.otherRedirect]))
            #expect(try Self.redirect(other).base == Fake.otherRedirect)

            let evil = try await client.get(Self.login(extra: ["redirect_uri": "https://evil.example/steal"]))
            #expect(evil.status == .badRequest)
            #expect(evil.header("Location") == nil)

            let unknown = try await client.get(Self.login(extra: ["client_id": "who-knows"]))
            #expect(unknown.status == .badRequest)
            #expect(unknown.header("Location") == nil)
            #expect(try unknown.errorCode() == "parameter_invalid")
        }
    }

    @Test("a wrong password and an unknown teammate get the same 401")
    func wrongCredentials() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let wrong = try await client.get(Self.login(password: "nope"))
            let unknown = try await client.get(Self.login(email: "mallory@acme.test", password: "nope"))
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.header("Location") == nil)
            let wrongMessage = try wrong.decode(ErrorList.self).errors.first?.message
            let unknownMessage = try unknown.decode(ErrorList.self).errors.first?.message
            #expect(wrongMessage == unknownMessage)
        }
    }

    @Test("a teammate outside the workspace, or removed from it, is refused with 403")
    func notInWorkspace() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let outsider = try await client.get(Self.login(extra: ["workspace": "acme-eu"]))
            #expect(outsider.status == .forbidden)
            #expect(outsider.header("Location") == nil)

            try await fixture.intercom.removeTeammate(email: "bob@acme.test", fromWorkspace: "acme")
            let removed = try await client.get(Self.login(extra: ["workspace": "acme"]))
            #expect(removed.status == .forbidden)
            // Another teammate may still authorize for it.
            let alice = try await client.get(
                Self.login(email: "alice@acme.test", password: Fake.alicePassword, extra: ["workspace": "acme"]))
            #expect(alice.status == .found)
        }
    }

    @Test("deny=1 redirects with error=access_denied and the state, and no code")
    func deny() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let response = try await client.get(Self.login(extra: ["deny": "1"]))
            #expect(response.status == .found)
            let (_, items) = try Self.redirect(response)
            #expect(items["error"] == "access_denied")
            #expect(items["state"] == "st-42")
            #expect(items["code"] == nil)
        }
    }

    @Test("form-encoded and JSON exchanges give a bearer token that works; codes are single-use")
    func exchange() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let code1 = try #require(try Self.redirect(try await client.get(Self.login())).items["code"])
            let form = query(["code": code1, "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            let answer = try await client.post("/auth/eagle/token", form: form)
            #expect(answer.status == .ok)
            let token = try answer.decode(TokenResponse.self)
            #expect(token.tokenType == "Bearer")
            #expect(token.token == token.accessToken)
            let me = try await client.get("/me", token: token.token).decode(Admin.self)
            #expect(me.email == "bob@acme.test")

            // Reused code.
            let again = try await client.post("/auth/eagle/token", form: form)
            #expect(again.status == .unauthorized)
            #expect(try again.errorCode() == "unauthorized")

            let code2 = try #require(
                try Self.redirect(
                    try await client.get(
                        Self.login(
                            email: "alice@acme.test", password: Fake.alicePassword, extra: ["workspace": "acme-eu"]))
                ).items["code"])
            let json = #"{"code":"\#(code2)","client_id":"\#(Fake.clientID)","client_secret":"\#(Fake.clientSecret)"}"#
            let jsonAnswer = try await client.post("/auth/eagle/token", json: json)
            #expect(jsonAnswer.status == .ok)
            let euToken = try jsonAnswer.decode(TokenResponse.self).token
            #expect(try await client.get("/me", token: euToken).decode(Admin.self).app?.idCode == "acme-eu")
        }
    }

    @Test("a bad code, a wrong secret and an expired code answer 401")
    func exchangeFailures() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let bad = query(["code": "made-up", "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            #expect(try await client.post("/auth/eagle/token", form: bad).status == .unauthorized)

            let code = try #require(try Self.redirect(try await client.get(Self.login())).items["code"])
            let wrongSecret = query(["code": code, "client_id": Fake.clientID, "client_secret": "guess"])
            #expect(try await client.post("/auth/eagle/token", form: wrongSecret).status == .unauthorized)

            // The code is still good right before it expires…
            let expiring = try #require(try Self.redirect(try await client.get(Self.login())).items["code"])
            fixture.clock.advance(by: MockIntercom.codeLifetime + 1)
            let late = query(["code": expiring, "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            #expect(try await client.post("/auth/eagle/token", form: late).status == .unauthorized)

            let missing = try await client.post("/auth/eagle/token", form: "code=x")
            #expect(missing.status == .badRequest)
        }
    }

    @Test("a code exchanged within its lifetime works; authorizing installs an uninstalled app")
    func codeWithinLifetimeAndReinstall() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.uninstallApp(workspaceID: "acme", clientID: Fake.clientID)
        try await fixture.withClient { client in
            let code = try #require(try Self.redirect(try await client.get(Self.login())).items["code"])
            fixture.clock.advance(by: MockIntercom.codeLifetime - 1)
            let form = query(["code": code, "client_id": Fake.clientID, "client_secret": Fake.clientSecret])
            #expect(try await client.post("/auth/eagle/token", form: form).status == .ok)
        }
        #expect(await fixture.intercom.world.apps[0].installedIn.contains("acme"))
    }
}
