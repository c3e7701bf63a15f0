import Foundation
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ui` in the REPL and `relink ui` from the shell, through the built binary.
@Suite("The settings page's commands")
struct SettingsPageCommandTests {
    /// The URL in `text`'s "The settings page: URL" line.
    static func url(in text: String) throws -> (url: String, port: Int) {
        let marker = "The settings page: http://127.0.0.1:"
        let start = try #require(text.range(of: marker)).upperBound
        let digits = text[start...].prefix { $0.isNumber }
        let port = try #require(Int(digits))
        return ("http://127.0.0.1:\(port)/", port)
    }

    /// The page's token, as the page embeds it.
    static func token(_ http: PageHTTP) async throws -> String {
        let body = try await http.get("/").body
        let start = try #require(body.range(of: "name=\"relink-token\" content=\"")).upperBound
        return String(body[start...].prefix { $0 != "\"" })
    }

    @Test func theREPLServesThePageInTheBackgroundAndItsActionsAreTypedCommands() async throws {
        let (directory, _, repl) = try await startedREPL()
        defer { withExtendedLifetime(directory) {} }  // the store lives in it until the test ends
        var mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("ui\r")
        #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
        let (_, port) = try Self.url(in: String(repl.screen[mark...]))
        let http = PageHTTP(port: port)
        #expect(try await http.get("/projects/SUP").body.contains("Connected to Acme Support"))

        // Typed in the REPL, seen by the page.
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("revoke SUP\r")
        #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
        #expect(try await http.get("/fragment/projects/SUP").body.contains("Not connected to Intercom"))

        // Done on the page, logged as typed.
        let answer = try await http.post(
            "/projects/BUG/actions/revoke", headers: ["X-Relink-Token": try await Self.token(http)])
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.body.contains("revoked: connected → not_connected"))
        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("log BUG\r")
        #expect(await repl.expect("by relink revoke", after: mark), "\(repl.screen[mark...])")

        mark = repl.mark
        #expect(await repl.expectEditing())
        repl.type("quit\r")
        #expect(await repl.expectEndOfOutput(), "\(repl.screen[mark...])")
        #expect(await repl.waitForExit() == 0)
        // The page stopped with the session.
        #expect((try? await http.get("/")) == nil)
    }

    @Test func relinkUIServesUntilInterruptedAndEndsCleanly() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let child = try ChildProcess(try relinkExecutable(), ["--store", store, "ui"])
        let line = try #require(await child.nextLine())
        let (url, port) = try Self.url(in: line)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let http = PageHTTP(port: port)
        #expect(try await http.get("/").status == 200)
        #expect(try await http.get("/", host: "rebound.example:\(port)").status == 421)
        child.process.interrupt()
        await child.process.waitForExit()
        #expect(child.process.terminationStatus == 0)
    }

    @Test func relinkUIReadOnlyOffersNoActionOverAWritableStore() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let child = try ChildProcess(
            try relinkExecutable(), ["--fixture", "demo", "--store", store, "ui", "--read-only"])
        let (page, answer) = try await Self.reconnectWEBThroughThePage(of: child)
        #expect(page.contains("Read-only: started with ui --read-only"))
        #expect(!page.contains("<form class=\"action\""))
        #expect(answer.status == 403)
        let log = try await runRelink(["--store", store, "-c", "log WEB"])
        #expect(!log.stdout.contains("reconnected"))
    }

    /// A store its user cannot write, as another user sees it (nobody, through setpriv, when the
    /// tests run as root: root writes anywhere, so a chmod alone proves nothing).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aStoreTheUserCannotWriteGivesAReadOnlyPage() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        #expect(try await runRelink(["--fixture", "demo", "--store", store.path, "-c", "projects"]).status == 0)
        chmod(directory.url.path, 0o755)
        chmod(store.path, 0o755)
        for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
            chmod(store.appendingPathComponent(name).path, 0o644)
        }
        try? FileManager.default.removeItem(at: store.appendingPathComponent(".lock"))
        let child = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", try relinkExecutable().path, "--store", store.path, "ui"])
        let (page, answer) = try await Self.reconnectWEBThroughThePage(of: child)
        #expect(page.contains("Read-only:"), "\(page.prefix(2000))")
        #expect(!page.contains("<form class=\"action\""))
        #expect(answer.status == 403)
    }

    /// WEB's page from a running `relink ui`, and the answer to the page's Reconnect with its token;
    /// then the child is stopped. A line before the URL (relink's note that the store is
    /// read-only) is passed over.
    static func reconnectWEBThroughThePage(of child: ChildProcess) async throws -> (page: String, answer: PageHTTP.Answer) {
        var line = try #require(await child.nextLine())
        if !line.contains("http://") { line = try #require(await child.nextLine()) }
        let http = PageHTTP(port: try url(in: line).port)
        let page = try await http.get("/projects/WEB").body
        let answer = try await http.post(
            "/projects/WEB/actions/reconnect", headers: ["X-Relink-Token": try await token(http)])
        child.process.interrupt()
        await child.process.waitForExit()
        return (page, answer)
    }

    @Test func aTakenPortIsAFailureWithItsCode() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let first = try ChildProcess(
            try relinkExecutable(), ["--fixture", "demo", "--store", store, "ui"])
        let line = try #require(await first.nextLine())
        let (_, port) = try Self.url(in: line)
        let second = try await runRelink(["--store", store, "--json", "ui", "--port", String(port)])
        first.process.interrupt()
        await first.process.waitForExit()
        #expect(second.status == 1)
        #expect(second.stdout.contains("\"code\":\"settings_page_failed\""), "\(second.stdout)\(second.stderr)")
    }
}
