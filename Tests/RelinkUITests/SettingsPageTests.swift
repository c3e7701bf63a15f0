import Foundation
import RelinkCore
import RelinkFixtures
import RelinkStore
import RelinkTestSupport
import Testing

@testable import RelinkUI

/// The page through its server on a port the OS picks, over plain HTTP as a browser (or an
/// attacker's page) would speak to it.
@Suite("The settings page over HTTP")
struct SettingsPageTests {
    /// A backend that runs nothing: it records the lines the page asked for.
    final class RecordingBackend: SettingsPageBackend {
        let lines = Box<[String]>([])
        var intercomDescription: String { "the mock" }
        var isRealAPI: Bool { realAPI }
        let realAPI: Bool

        init(realAPI: Bool = false) { self.realAPI = realAPI }

        func run(_ line: String) async -> PageCommandResult {
            lines.update { $0.append(line) }
            return PageCommandResult(status: 0, output: "ran \(line)")
        }

        func checkAfterWorldChange(_ keys: [ProjectKey]) async {}
    }

    /// A demo store in its own directory, and the page over it.
    struct Served {
        let directory: TemporaryDirectory
        let store: Store
        let backend: RecordingBackend
        let page: RunningSettingsPage
        var http: PageHTTP { PageHTTP(port: page.port) }

        /// The page's token, as the page embeds it.
        func token() async throws -> String {
            let body = try await http.get("/").body
            let marker = "name=\"relink-token\" content=\""
            let start = try #require(body.range(of: marker)).upperBound
            return String(body[start...].prefix { $0 != "\"" })
        }
    }

    /// Runs `body` against a fresh page, and stops the page after it, whatever happened.
    static func withPage(
        realAPI: Bool = false, readOnlyReason: String? = nil, populate: (Store) throws -> Void = DemoFixture.write,
        _ body: (Served) async throws -> Void
    ) async throws {
        let served = try await serve(realAPI: realAPI, readOnlyReason: readOnlyReason, populate: populate)
        do {
            try await body(served)
        } catch {
            await served.page.shutdown()
            throw error
        }
        await served.page.shutdown()
    }

    static func serve(
        realAPI: Bool = false, readOnlyReason: String? = nil, populate: (Store) throws -> Void = DemoFixture.write
    ) async throws -> Served {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url.appendingPathComponent("store"))
        try populate(store)
        let backend = RecordingBackend(realAPI: realAPI)
        let page = try await SettingsPage.start(
            store: store, backend: backend,
            configuration: SettingsPage.Configuration(readOnlyReason: readOnlyReason), logger: quietLogger)
        return Served(directory: directory, store: store, backend: backend, page: page)
    }

    @Test func printsALoopbackURLAndAnswersAtIt() async throws {
        try await Self.withPage { served in
            #expect(served.page.url == "http://127.0.0.1:\(served.page.port)/")
            let answer = try await served.http.get("/")
            #expect(answer.status == 200)
            #expect(answer.body.contains("<td>Customer Support</td>"))
            #expect(answer.headers.contains("Content-Security-Policy: default-src 'none'"))
        }
    }

    @Test(arguments: ["evil.test", "evil.test:80", "localhost", "127.0.0.1", "[::1]"])
    func aForeignHostIsRefused(host: String) async throws {
        try await Self.withPage { served in
            let answer = try await served.http.get("/projects/SUP", host: host)
            #expect(answer.status == 421)
            #expect(!answer.body.contains("Customer Support"))
            // The port must match too: a rebinding page on another port names its own.
            let otherPort = try await served.http.get("/", host: "127.0.0.1:\(served.page.port + 1)")
            #expect(otherPort.status == 421)
            let posted = try await served.http.post(
                "/projects/WEB/actions/reconnect", body: "token=\(try await served.token())", host: host)
            #expect(posted.status == 421)
            #expect(served.backend.lines.value.isEmpty)
        }
    }

    @Test func aPostWithoutThePagesTokenIsRefused() async throws {
        try await Self.withPage { served in
            let none = try await served.http.post("/projects/WEB/actions/reconnect")
            #expect(none.status == 403)
            let wrong = try await served.http.post(
                "/projects/WEB/actions/reconnect", headers: ["X-Relink-Token": String(repeating: "0", count: 64)])
            #expect(wrong.status == 403)
            let token = try await served.token()
            let otherSite = try await served.http.post(
                "/projects/WEB/actions/reconnect", headers: ["X-Relink-Token": token, "Origin": "http://evil.test"])
            #expect(otherSite.status == 403)
            #expect(served.backend.lines.value.isEmpty, "a refused POST ran a command")

            let accepted = try await served.http.post("/projects/WEB/actions/reconnect", body: "token=\(token)")
            #expect(accepted.status == 200)
            #expect(served.backend.lines.value == ["reconnect WEB"])
        }
    }

    @Test func onlyWhatTheViewOffersNowIsRun() async throws {
        try await Self.withPage { served in
            let token = ["X-Relink-Token": try await served.token()]
            // OPS is not connected: nothing to revoke; SUP is connected: nothing to reconnect.
            #expect(try await served.http.post("/projects/OPS/actions/revoke", headers: token).status == 409)
            #expect(try await served.http.post("/projects/SUP/actions/reconnect", headers: token).status == 409)
            #expect(try await served.http.post("/projects/SUP/actions/rm%20-rf", headers: token).status == 404)
            #expect(
                try await served.http.post("/projects/SUP/actions/break-token-revoked", headers: token).status == 200)
            #expect(try await served.http.post("/projects/SUP/actions/check", headers: token).status == 200)
            #expect(served.backend.lines.value == ["break SUP token-revoked", "check SUP"])
        }
    }

    @Test func theProjectMirrorsShowWordForWord() async throws {
        try await Self.withPage { served in
            let project = try #require(try served.store.project("WEB"))
            let view = SettingsView(project: project, connection: try served.store.connection(for: "WEB"))
            let page = try await served.http.get("/projects/WEB").body
            #expect(
                page.contains(
                    "<span class=\"indicator yellow\"><span class=\"dot\" aria-hidden=\"true\">●</span> yellow</span>"))
            #expect(page.contains(">\(view.headline)<"))
            let warning = try #require(view.warning)
            #expect(page.contains(HTML.escape(warning)))
            #expect(page.contains("data-action=\"reconnect\">Reconnect</button>"))
            // Revoke sits in the "⋯" menu, not beside Reconnect.
            let menu = try #require(page.range(of: "<details class=\"menu\">"))
            #expect(try #require(page.range(of: "data-action=\"revoke\"")).lowerBound > menu.lowerBound)
            // The timeline is log's words.
            for event in try served.store.events(for: "WEB") {
                #expect(page.contains(HTML.escape(event.summary)))
            }
        }
    }

    /// As `show` has it since issue 28: a connection whose token the store lost is not green, and
    /// the page lets Reconnect repair it.
    @Test func aConnectionWhoseTokenWasLostIsYellowAndReconnectable() async throws {
        try await Self.withPage { served in
            let tokenID = try #require(try served.store.connection(for: "SUP").state.authorization?.tokenID)
            try served.store.update { $0.forgetToken(id: tokenID) }
            let page = try await served.http.get("/projects/SUP").body
            #expect(page.contains("data-indicator=\"yellow\""))
            #expect(page.contains(HTML.escape("The store has lost the app user's token")))
            let answer = try await served.http.post(
                "/projects/SUP/actions/reconnect", headers: ["X-Relink-Token": try await served.token()])
            #expect(answer.status == 200)
            #expect(served.backend.lines.value == ["reconnect SUP"])
        }
    }

    @Test func againstTheRealAPIReconnectIsLeftToATerminal() async throws {
        try await Self.withPage(realAPI: true) { served in
            let page = try await served.http.get("/projects/WEB").body
            #expect(!page.contains("data-action=\"reconnect\""))
            #expect(page.contains("<code>relink reconnect WEB</code>"))
            #expect(!page.contains("Simulate"))
            let token = ["X-Relink-Token": try await served.token()]
            #expect(try await served.http.post("/projects/WEB/actions/reconnect", headers: token).status == 409)
            #expect(
                try await served.http.post("/projects/SUP/actions/break-password-changed", headers: token).status == 409
            )
            #expect(served.backend.lines.value.isEmpty)
        }
    }

    @Test func aReadOnlyPageOffersNothingAndRefusesEveryPost() async throws {
        try await Self.withPage(readOnlyReason: "shown to a customer") { served in
            let page = try await served.http.get("/projects/WEB").body
            #expect(!page.contains("<form class=\"action\""))
            #expect(page.contains("Read-only"))
            let answer = try await served.http.post(
                "/projects/WEB/actions/reconnect", headers: ["X-Relink-Token": try await served.token()])
            #expect(answer.status == 403)
            #expect(served.backend.lines.value.isEmpty)
        }
    }

    /// Root writes anywhere, so only another user sees a directory without write permission.
    @Test(.enabled(if: getuid() != 0, "root may write to any directory"))
    func aStoreThatCannotBeWrittenGivesAReadOnlyPage() async throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("store")
        try DemoFixture.write(to: try Store(directory: url))
        chmod(url.path, 0o555)
        defer { chmod(url.path, 0o755) }
        let store = try Store(directory: url)
        let backend = RecordingBackend()
        let page = try await SettingsPage.start(store: store, backend: backend, logger: quietLogger)
        let body = try? await PageHTTP(port: page.port).get("/projects/WEB").body
        await page.shutdown()
        #expect(body?.contains("<form class=\"action\"") == false)
    }

    @Test func noSecretOfTheDemoStoreReachesAPageOrTheEventStream() async throws {
        try await Self.withPage { served in
            let secrets = try served.store.allSecrets
            #expect(secrets.count >= 5, "the demo store's tokens, passwords and client secret")
            var texts: [String] = []
            for path in ["/", "/fragment/projects", "/?q=acme", "/assets/page.js", "/assets/page.css"] {
                texts.append(try await served.http.get(path).body)
            }
            for key in served.store.projectKeys {
                texts.append(try await served.http.get("/projects/\(key)").body)
                texts.append(try await served.http.get("/fragment/projects/\(key)").body)
            }
            // A change while the stream is open: the stream says only that something changed.
            let stream = try await PageHTTP.OpenStream(port: served.page.port, path: "/events?project=SUP")
            try await stream.read { $0.contains("event: hello") }
            let other = try Store(directory: served.store.directory)
            try other.update { $0.storeToken("fake-token-written-by-another-process", id: "tok-other") }
            texts.append(try await stream.read { $0.contains("event: changed") })
            let token = try await served.token()
            texts.append(
                try await served.http.post("/projects/SUP/actions/check", headers: ["X-Relink-Token": token]).body)
            for text in texts {
                for secret in secrets + ["fake-token-written-by-another-process"] {
                    #expect(!text.contains(secret), "a secret reached the page")
                }
            }
        }
    }

    @Test func aChangeByAnotherStoreReachesTheEventStreamAndTheFragment() async throws {
        try await Self.withPage { served in
            let stream = try await PageHTTP.OpenStream(port: served.page.port, path: "/events?project=OPS")
            try await stream.read { $0.contains("event: hello") }
            // Another Store over the same directory is what another relink process is.
            let other = try Store(directory: served.store.directory)
            var project = try #require(try other.project("OPS"))
            project.name = "Operations (renamed elsewhere)"
            try other.update { $0.put(project) }
            try await stream.read { $0.contains("event: changed") }
            let fragment = try await served.http.get("/fragment/projects/OPS").body
            #expect(fragment.contains("Operations (renamed elsewhere)"))
        }
    }

    @Test func tenThousandProjectsAreListedAPageAtATime() async throws {
        try await Self.withPage(populate: { store in
            _ = try LargeStoreGenerator(projectCount: 10_000, includeWorld: false).generate(into: store)
        }) { served in
            let first = try await served.http.get("/")
            #expect(first.status == 200)
            #expect(first.body.components(separatedBy: "<tr data-key=").count - 1 == 50)
            #expect(first.body.contains("Page 1 of 200"))
            #expect(first.body.contains("10000 projects"))
            let last = try await served.http.get("/?page=200").body
            #expect(last.contains("Showing 9951–10000 of 10000"))
            #expect(!last.contains("rel=\"next\""))
            let key = LargeStoreGenerator.key(4321)
            let filtered = try await served.http.get("/?q=\(key)").body
            #expect(filtered.contains("<tr data-key=\"\(key)\">"))
            #expect(filtered.components(separatedBy: "<tr data-key=").count - 1 < 50)
            let yellow = try await served.http.get("/?indicator=yellow").body
            #expect(
                !yellow.contains(
                    "indicator green\"><span class=\"dot\" aria-hidden=\"true\">●</span> green</span></td>"))
        }
    }

    @Test func namesFromTheStoreAreEscaped() async throws {
        try await Self.withPage(populate: { store in
            try DemoFixture.write(to: store)
            var project = try #require(try store.project("OPS"))
            project.name = "<script>alert(1)</script>"
            try store.update { $0.put(project) }
        }) { served in
            for path in ["/", "/projects/OPS"] {
                let body = try await served.http.get(path).body
                #expect(!body.contains("<script>alert(1)</script>"))
                #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }
}
