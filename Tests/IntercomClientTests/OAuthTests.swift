import Foundation
import IntercomAPI
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkTestSupport
import Testing

@testable import IntercomClient

@Suite("OAuth code flow")
struct OAuthTests {
    @Test("Authorize through the mock's login, exchange the code, and /me answers as that teammate")
    func fullCodeFlow() async throws {
        try await MockHarness.with { mock in
            let state = OAuthRequest.randomState()
            let code = try await MockAuthorizer(logger: quietLogger).authorize(
                endpoint: mock.endpoint, clientID: MockHarness.clientID, email: MockHarness.alice,
                password: MockHarness.password, workspace: MockHarness.otherWorkspace, state: state,
                redirectURI: MockHarness.redirectURI
            ).get()
            // Intercom's codes may end in `=`: the mock's do, and the code survives the redirect and the form.
            #expect(code.hasSuffix("="))
            let client = mock.client()
            let token = try await client.exchange(
                code: code, clientID: MockHarness.clientID, clientSecret: MockHarness.clientSecret
            ).get()
            #expect(token.tokenType == "Bearer")
            #expect(token.token == token.accessToken)
            let admin = try await client.me(token: token.accessToken).get()
            #expect(admin.email == MockHarness.alice)
            #expect(admin.app?.idCode == MockHarness.otherWorkspace)
            #expect(admin.app?.region == "EU")

            // A code is single-use.
            let again = try #require(
                await client.exchange(
                    code: code, clientID: MockHarness.clientID, clientSecret: MockHarness.clientSecret
                )
                .failure)
            #expect(again.kind == .authRejected)
        }
    }

    @Test("A wrong client secret is refused")
    func wrongSecret() async throws {
        try await MockHarness.with { mock in
            let code = try await MockAuthorizer(logger: quietLogger).authorize(
                endpoint: mock.endpoint, clientID: MockHarness.clientID, email: MockHarness.bot,
                password: MockHarness.password, workspace: nil, state: "s", redirectURI: nil
            ).get()
            let failure = try #require(
                await mock.client().exchange(code: code, clientID: MockHarness.clientID, clientSecret: "wrong").failure)
            #expect(failure.kind == .authRejected)
            #expect(!failure.description.contains(code))
        }
    }

    @Test("A wrong password is refused with the teammate named")
    func wrongPassword() async throws {
        try await MockHarness.with { mock in
            let failure = try #require(
                await MockAuthorizer(logger: quietLogger).authorize(
                    endpoint: mock.endpoint, clientID: MockHarness.clientID, email: MockHarness.bot,
                    password: "not-it", workspace: nil, state: "s", redirectURI: nil
                ).failure)
            #expect(failure.kind == .authRejected)
            #expect(failure.status == 401)
            #expect(failure.message?.contains(MockHarness.bot) == true)
            #expect(!failure.description.contains("not-it"))
        }
    }

    @Test("A removed teammate cannot authorize: another teammate is needed")
    func removedTeammate() async throws {
        try await MockHarness.with { mock in
            _ = try await mock.control.applyCause(
                CauseRequest(cause: .userRemoved, teammate: MockHarness.bot, workspace: MockHarness.workspace))
            let failure = try #require(
                await MockAuthorizer(logger: quietLogger).authorize(
                    endpoint: mock.endpoint, clientID: MockHarness.clientID, email: MockHarness.bot,
                    password: MockHarness.password, workspace: MockHarness.workspace, state: "s", redirectURI: nil
                ).failure)
            #expect(failure.kind == .forbidden)
            #expect(failure.status == 403)
            #expect(failure.message?.contains(MockHarness.bot) == true)
            #expect(failure.message?.contains("another teammate") == true)
        }
    }

    @Test("The authorize URL carries client id, state and redirect URI")
    func authorizeURL() throws {
        let request = OAuthRequest(clientID: "abc", state: "s+1", redirectURI: "http://127.0.0.1:5/callback")
        let url = request.authorizeURL(endpoint: .production(region: .eu))
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(components.host == "app.intercom.com")
        #expect(components.path == "/oauth")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items == ["client_id": "abc", "state": "s+1", "redirect_uri": "http://127.0.0.1:5/callback"])
    }

    @Test("A random state is 32 bytes of hex and differs every time")
    func randomState() {
        let first = OAuthRequest.randomState()
        #expect(first.count == 64)
        #expect(first.allSatisfy { $0.isHexDigit })
        #expect(first != OAuthRequest.randomState())
    }

    @Test("A redirect's code is read only when its state matches")
    func codeFromRedirect() throws {
        let good = try #require(URL(string: "http://127.0.0.1:5/callback?code=abc&state=good"))
        #expect(try OAuthRequest.code(fromRedirect: good, expectedState: "good") == "abc")

        let cases: [(String, OAuthError)] = [
            ("code=abc&state=bad", .stateMismatch),
            ("code=abc", .stateMismatch),
            ("state=good", .missingCode),
            ("error=access_denied&state=good", .accessDenied),
            (
                "error=server_error&error_description=boom&state=good",
                .authorizationFailed(error: "server_error", description: "boom")
            ),
            // A forged redirect with the wrong state learns nothing, even about a denial.
            ("error=access_denied&state=bad", .stateMismatch),
        ]
        for (query, expected) in cases {
            let url = try #require(URL(string: "http://127.0.0.1:5/callback?\(query)"))
            #expect(throws: expected) { try OAuthRequest.code(fromRedirect: url, expectedState: "good") }
        }
        // Codes that end in `=`, raw or percent-encoded, come back whole; the form encodes `=`.
        for query in ["code=ab%2Bc%3D%3D&state=good", "code=ab%2Bc==&state=good"] {
            let url = try #require(URL(string: "https://relink.example/callback?\(query)"))
            #expect(try OAuthRequest.code(fromRedirect: url, expectedState: "good") == "ab+c==")
        }
        #expect(HTTPIntercomClient.formEncode([("code", "ab+c==")]) == "code=ab%2Bc%3D%3D")
        #expect(OAuthError.stateMismatch.description.contains("state"))
        #expect(OAuthError.accessDenied.description.contains("declined"))
    }
}
