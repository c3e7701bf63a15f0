import AsyncHTTPClient
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

@Suite("HTTPIntercomClient against a live mock")
struct HTTPIntercomClientTests {
    @Test("GET /me decodes the admin with its workspace")
    func meDecodes() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let admin = try await mock.client().me(token: token).get()
            #expect(admin.id == "100")
            #expect(admin.email == MockHarness.bot)
            #expect(admin.app?.idCode == MockHarness.workspace)
            #expect(admin.app?.name == "Acme Support")
            #expect(admin.app?.region == "US")
        }
    }

    @Test("GET /admins lists the workspace's teammates")
    func adminsList() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let admins = try await mock.client().admins(token: token).get()
            #expect(Set(admins.map(\.email)) == [MockHarness.bot, MockHarness.alice])
        }
    }

    @Test(
        "Every break cause makes /me answer 401 authRejected",
        arguments: [BreakCause.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled])
    func breakCauseRejects(cause: BreakCause) async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let client = mock.client()
            _ = try await client.me(token: token).get()

            let request =
                switch cause {
                case .passwordChanged: CauseRequest(cause: cause, teammate: MockHarness.bot)
                case .tokenRevoked: CauseRequest(cause: cause, token: token)
                case .userRemoved:
                    CauseRequest(cause: cause, teammate: MockHarness.bot, workspace: MockHarness.workspace)
                case .appUninstalled: CauseRequest(cause: cause, workspace: MockHarness.workspace)
                case .permissionMissing: CauseRequest(cause: cause, token: token)
                }
            let report = try await mock.control.applyCause(request)
            #expect(report.killed.count == 1)

            let failure = try #require(await client.me(token: token).failure)
            #expect(failure.kind == .authRejected)
            #expect(failure.status == 401)
            #expect(failure.code == (cause == .tokenRevoked ? "token_revoked" : "unauthorized"))
            #expect(failure.requestID?.isEmpty == false)
            #expect(failure.breaksConnection)
            #expect(!failure.isTransient)
            #expect(!failure.description.contains(token))
        }
    }

    @Test("permission-missing: /me still answers, the conversations probe answers 401 token_unauthorized")
    func permissionMissing() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            #expect(await mock.client().conversationsProbe(token: token).failure == nil)
            let report = try await mock.control.applyCause(CauseRequest(cause: .permissionMissing, token: token))
            #expect(report.restricted.count == 1)
            #expect(await mock.client().me(token: token).failure == nil, "Intercom documents no 403 for /me")
            let failure = try #require(await mock.client().conversationsProbe(token: token).failure)
            // As Intercom answers a live token without the scope; the service confirms it with /me.
            #expect(failure.kind == .authRejected)
            #expect(failure.status == 401)
            #expect(failure.code == "token_unauthorized")
            #expect(failure.breaksConnection)
        }
    }

    @Test("A 500 and a 503 are transient server errors", arguments: [500, 503])
    func serverErrors(status: Int) async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: status))
            let failure = try #require(await mock.client().me(token: token).failure)
            #expect(failure.kind == .serverError)
            #expect(failure.status == status)
            #expect(failure.code == "server_error")
            #expect(failure.requestID != nil)
            #expect(failure.isTransient)
            #expect(!failure.breaksConnection)
        }
    }

    @Test("A 429 is rate limited, with the reset time from X-RateLimit-Reset")
    func rateLimited() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .rateLimit))
            let before = Date()
            let failure = try #require(await mock.client().me(token: token).failure)
            let after = Date()
            #expect(failure.kind == .rateLimited)
            #expect(failure.status == 429)
            #expect(failure.code == "rate_limit_exceeded")
            let reset = try #require(failure.rateLimitReset)
            // The mock's window is 10 s from when it answered, somewhere between `before` and
            // `after` (seconds apart on a loaded machine), and the header has whole seconds.
            #expect(reset.timeIntervalSince(before) > -1)
            #expect(reset.timeIntervalSince(after) <= 11)
            #expect(failure.isTransient)
            #expect(!failure.breaksConnection)
        }
    }

    @Test("Latency past the client's timeout is a timeout")
    func latencyTimesOut() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .latency, latencyMs: 3_000))
            let failure = try #require(await mock.client(timeout: .milliseconds(200)).me(token: token).failure)
            #expect(failure.kind == .timeout)
            #expect(failure.status == nil)
            #expect(failure.isTransient)
        }
    }

    @Test("A dropped connection is unreachable")
    func droppedConnection() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .drop))
            // relink's own configuration (a pooled connection the server closed is not silently
            // retried until the deadline, as HTTPClient.shared may), and a deadline far beyond
            // any load: only the drop can end this request, so the test cannot pass for a timeout
            // and cannot fail for one on a busy machine.
            let httpClient = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: HTTPIntercomClient.recommendedConfiguration())
            let client = HTTPIntercomClient(
                endpoint: mock.endpoint, httpClient: httpClient, timeout: .seconds(120), logger: quietLogger)
            let answer = await client.me(token: token)
            try await httpClient.shutdown()
            let failure = try #require(answer.failure)
            #expect(failure.kind == .unreachable, "\(failure)")
            #expect(failure.isTransient)
            #expect(!failure.breaksConnection)
        }
    }

    @Test("An HTML 502 page is notJSON, transient, with a snippet")
    func htmlBody() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 502, body: .html))
            let failure = try #require(await mock.client().me(token: token).failure)
            #expect(failure.kind == .notJSON)
            #expect(failure.status == 502)
            #expect(failure.bodySnippet?.hasPrefix("<html>") == true)
            // No body to carry it: the request id comes from the X-Request-Id header.
            #expect(failure.requestID?.isEmpty == false)
            #expect(failure.isTransient)
            #expect(!failure.breaksConnection)
        }
    }

    @Test("An HTML 403 from something that is not Intercom does not break the connection")
    func htmlForbidden() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 403, body: .html))
            let failure = try #require(await mock.client().me(token: token).failure)
            #expect(failure.kind == .notJSON)
            #expect(!failure.breaksConnection)
        }
    }

    @Test("An unknown Intercom-Version is a bad request with intercom_version_invalid")
    func invalidVersion() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let base = mock.client()
            let client = HTTPIntercomClient(
                endpoint: base.endpoint, transport: base.transport, intercomVersion: "9.99", logger: base.logger)
            let failure = try #require(await client.me(token: token).failure)
            #expect(failure.kind == .badRequest)
            #expect(failure.status == 400)
            #expect(failure.code == "intercom_version_invalid")
            #expect(failure.message == "The requested version could not be found")
            #expect(!failure.isTransient)
        }
    }

    /// `HTTPClient.shared` keeps retrying a refused connect until the request's deadline (which made
    /// a test of it the suite's slowest, at 30 s and more); relink's own clients never use it.
    @Test("With the recommended configuration a closed port is unreachable at once, not at the deadline")
    func closedPortFailsFast() async throws {
        // Start and stop a mock: its port is then closed (and not reused by the OS this quickly).
        let endpoint = try await MockHarness.with { $0.endpoint }
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPIntercomClient.recommendedConfiguration())
        let client = HTTPIntercomClient(
            endpoint: endpoint, httpClient: httpClient, timeout: .seconds(30), logger: quietLogger)
        let started = ContinuousClock.now
        let failure = await client.me(token: "fake-token").failure
        let elapsed = ContinuousClock.now - started
        try await httpClient.shutdown()
        #expect(failure?.kind == .unreachable)
        #expect(failure?.status == nil)
        #expect(failure?.isTransient == true)
        // Generous: the point is "not the 30 s deadline".
        #expect(elapsed < .seconds(10))
    }

    @Test("With the recommended configuration a redirect is not followed")
    func redirectNotFollowed() async throws {
        try await MockHarness.with { mock in
            let httpClient = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: HTTPIntercomClient.recommendedConfiguration())
            // The mock's /oauth answers 302: as an API answer it is neither success nor JSON.
            let client = HTTPIntercomClient(endpoint: mock.endpoint, httpClient: httpClient, logger: quietLogger)
            let answer = await client.send(
                .GET,
                mock.endpoint.authorizeURL + "?client_id=\(MockHarness.clientID)&email=\(MockHarness.bot)&password="
                    + MockHarness.password, token: nil)
            try await httpClient.shutdown()
            #expect(try answer.get().status == 302)
        }
    }

    @Test("A body over the limit is tooLarge")
    func bodyTooLarge() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let failure = try #require(await mock.client(maxBodyBytes: 64).me(token: token).failure)
            #expect(failure.kind == .tooLarge)
            #expect(!failure.isTransient)
        }
    }

    @Test("A note lands in the conversation; an unknown conversation is notFound")
    func replyWithNote() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let client = mock.client()
            let conversation = try await client.replyWithNote(
                conversationID: "c-1", adminID: "100", body: "Linked to SUP-1", token: token
            ).get()
            #expect(conversation.conversationParts?.conversationParts.last?.body == "Linked to SUP-1")
            let missing = try #require(
                await client.replyWithNote(conversationID: "c-404", adminID: "100", body: "x", token: token).failure)
            #expect(missing.kind == .notFound)
            #expect(!missing.isTransient)
        }
    }

    @Test("Uninstall kills the token")
    func uninstall() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            let client = mock.client()
            _ = try await client.uninstall(token: token).get()
            #expect(await client.me(token: token).failure?.kind == .authRejected)
        }
    }

    @Test("Form encoding escapes what would change the meaning of a secret")
    func formEncoding() {
        #expect(HTTPIntercomClient.formEncode([("a b", "x+y&z=é/")]) == "a+b=x%2By%26z%3D%C3%A9%2F")
        #expect(HTTPIntercomClient.formEncode([("code", "c-1"), ("client_id", "id.2")]) == "code=c-1&client_id=id.2")
    }

    @Test("Regions map to Intercom's hosts; a custom base serves everything")
    func endpoints() {
        #expect(IntercomEndpoint.production(region: .us).apiBaseURL == "https://api.intercom.io")
        #expect(IntercomEndpoint.production(region: .eu).apiBaseURL == "https://api.eu.intercom.io")
        #expect(IntercomEndpoint.production(region: .au).apiBaseURL == "https://api.au.intercom.io")
        #expect(IntercomEndpoint.production(region: .au).tokenURL == "https://api.intercom.io/auth/eagle/token")
        #expect(IntercomEndpoint.production(region: .eu).authorizeURL == "https://app.intercom.com/oauth")
        let mock = IntercomEndpoint.custom(baseURL: "http://127.0.0.1:9/")
        #expect(mock.apiBaseURL == "http://127.0.0.1:9")
        #expect(mock.authorizeURL == "http://127.0.0.1:9/oauth")
        #expect(mock.tokenURL == "http://127.0.0.1:9/auth/eagle/token")
    }
}
