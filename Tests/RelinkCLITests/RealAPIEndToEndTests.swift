import Foundation
import RealAPIStandIn
import RelinkCore
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 25: relink reconnects against Intercom's real API as an administrator does it, through
/// the built binary, over TLS, against `RealIntercomStandIn` (`--endpoint URL --real`): the paste,
/// token and listen flows in the REPL and with `-c`, Ctrl-C at each prompt, an untrusted
/// certificate, a CONNECT proxy with `NO_PROXY`, and a token answer with only `access_token`.
@Suite("The real API, end to end")
struct RealAPIEndToEndTests {
    /// The demo's workspace as the stand-in serves it: WEB reconnects to the same workspace and app user.
    static let demoWorkspace = StandInWorkspace(Workspace(id: "acme4sup", name: "Acme Support", region: .us))

    @Test(
        "REPL: Ctrl-C at the paste and token prompts returns to relink> with nothing done; then paste and token reconnect WEB"
    )
    func replFlows() async throws {
        try await RealIntercomStandIn.with { standIn in
            let real = try await RealCase(standIn)
            standIn.setTokenAnswerShape(.accessTokenOnly)
            let before = try await real.show("WEB")
            let repl = try PseudoTerminalSession(
                try relinkExecutable(), ["--store", real.store, "--endpoint", standIn.baseURL, "--real"],
                environment: real.terminalEnvironment)
            #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")
            #expect(repl.screen.contains("Intercom: the real API at \(standIn.baseURL)."), "\(repl.screen)")

            // Ctrl-C at the paste prompt: straight back to the prompt, nothing asked of Intercom.
            var mark = repl.mark
            repl.type("reconnect WEB --paste\n")
            #expect(await repl.expect("Code or redirect URL: ", after: mark), "\(repl.screen[mark...])")
            #expect(repl.screen[mark...].contains("state="))
            // The counter starts after a second of waiting; at a prompt relink waits for the person,
            // so it never draws (the bounded wait is for a thing that must not happen).
            #expect(!(await repl.expect("waiting for Intercom", after: mark, within: 1.5)), "\(repl.screen[mark...])")
            #expect(repl.screen.hasSuffix("Code or redirect URL: "), "the prompt was covered: \(repl.screen[mark...])")
            mark = repl.mark
            repl.type("\u{3}")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            #expect(repl.screen[mark...].contains("interrupted"))
            #expect(!repl.screen[mark...].contains("Check the network"))

            // Ctrl-C at the hidden token prompt, likewise.
            mark = repl.mark
            repl.type("reconnect WEB --token\n")
            #expect(await repl.expect("Access token (not shown): ", after: mark), "\(repl.screen[mark...])")
            #expect(await repl.expectEchoOff())
            mark = repl.mark
            repl.type("\u{3}")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            #expect(repl.screen[mark...].contains("interrupted"))
            #expect(standIn.requests.isEmpty, "an interrupted prompt reached Intercom: \(standIn.requests)")
            #expect(try await real.show("WEB")["state"] as? String == "broken")

            // The paste flow: the printed authorize URL's state, a minted code, the redirect pasted back.
            mark = repl.mark
            repl.type("reconnect WEB --paste\n")
            #expect(await repl.expect("Code or redirect URL: ", after: mark), "\(repl.screen[mark...])")
            let state = try #require(Self.state(in: String(repl.screen[mark...])))
            let code = standIn.mintCode(workspace: Self.demoWorkspace)
            mark = repl.mark
            repl.type("https://relink.example.com/intercom/callback?code=\(code)&state=\(state)\n")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            try await real.expectGreen("WEB", keeping: before)
            #expect(standIn.requests.map(\.path).contains("/auth/eagle/token"))

            // The token flow at its hidden prompt.
            let token = standIn.issueToken(workspace: Self.demoWorkspace)
            mark = repl.mark
            repl.type("reconnect WEB --token\n")
            #expect(await repl.expect("Access token (not shown): ", after: mark))
            #expect(await repl.expectEchoOff())
            repl.type(token + "\n")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            #expect(!repl.screen.contains(token), "the token was echoed")
            try await real.expectGreen("WEB", keeping: before)
            repl.type("quit\n")
            #expect(await repl.waitForExit() == 0)
        }
    }

    @Test("-c on a terminal: paste reconnects (exit 0); Ctrl-C at the token prompt exits 130 with nothing done")
    func commandFlows() async throws {
        try await RealIntercomStandIn.with { standIn in
            let real = try await RealCase(standIn)
            let before = try await real.show("WEB")

            let interrupted = try real.session(standIn, "reconnect WEB --token")
            #expect(await interrupted.expect("Access token (not shown): "), "\(interrupted.screen)")
            #expect(await interrupted.expectEchoOff())
            interrupted.type("\u{3}")
            #expect(await interrupted.waitForExit() == 130, "\(interrupted.screen)")
            #expect(interrupted.screen.contains("interrupted"))
            #expect(try await real.show("WEB")["state"] as? String == "broken")

            let paste = try real.session(standIn, "reconnect WEB --paste")
            #expect(await paste.expect("Code or redirect URL: "), "\(paste.screen)")
            let state = try #require(Self.state(in: paste.screen))
            paste.type(
                "https://relink.example.com/cb?code=\(standIn.mintCode(workspace: Self.demoWorkspace))&state=\(state)\n"
            )
            #expect(await paste.waitForExit() == 0, "\(paste.screen)")
            try await real.expectGreen("WEB", keeping: before)

            let token = standIn.issueToken(workspace: Self.demoWorkspace)
            let hidden = try real.session(standIn, "reconnect WEB --token")
            #expect(await hidden.expect("Access token (not shown): "), "\(hidden.screen)")
            #expect(await hidden.expectEchoOff())
            hidden.type(token + "\n")
            #expect(await hidden.waitForExit() == 0, "\(hidden.screen)")
            #expect(!hidden.screen.contains(token), "the token was echoed")
            try await real.expectGreen("WEB", keeping: before)
        }
    }

    @Test("--listen on the configured loopback redirect URL: the browser's GET reconnects; Ctrl-C says after how long")
    func listenFlows() async throws {
        try await RealIntercomStandIn.with { standIn in
            var real = try await RealCase(standIn)
            let before = try await real.show("WEB")
            let port = try Self.freeLoopbackPort()
            let redirect = "http://127.0.0.1:\(port)/relink/callback"
            real.terminalEnvironment["INTERCOM_REDIRECT_URI"] = redirect

            let stopped = try real.session(standIn, "reconnect WEB --listen")
            #expect(await stopped.expect("Waiting for Intercom's redirect"), "\(stopped.screen)")
            stopped.type("\u{3}")
            #expect(await stopped.waitForExit() == 130, "\(stopped.screen)")
            #expect(stopped.screen.contains("Ctrl-C after"), "\(stopped.screen)")
            #expect(!stopped.screen.contains("within"), "\(stopped.screen)")

            let listen = try real.session(standIn, "reconnect WEB --listen")
            #expect(await listen.expect("Waiting for Intercom's redirect"), "\(listen.screen)")
            #expect(listen.screen.contains("redirect_uri=\(redirect)"), "\(listen.screen)")
            var state = try #require(Self.state(in: listen.screen))
            var code = standIn.mintCode(workspace: Self.demoWorkspace)
            var answer = try await Self.browserGET(port: port, path: "/relink/callback?code=\(code)&state=\(state)")
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(await listen.waitForExit() == 0, "\(listen.screen)")
            try await real.expectGreen("WEB", keeping: before)

            // In the REPL: Ctrl-C while listening is back at the prompt; then the redirect reconnects.
            let repl = try PseudoTerminalSession(
                try relinkExecutable(), ["--store", real.store, "--endpoint", standIn.baseURL, "--real"],
                environment: real.terminalEnvironment)
            #expect(await repl.expect("relink> "), "no prompt: \(repl.screen)")
            var mark = repl.mark
            repl.type("reconnect WEB --listen\n")
            #expect(await repl.expect("Waiting for Intercom's redirect", after: mark), "\(repl.screen[mark...])")
            repl.type("\u{3}")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            #expect(repl.screen[mark...].contains("Ctrl-C after"), "\(repl.screen[mark...])")
            mark = repl.mark
            repl.type("reconnect WEB --listen\n")
            #expect(await repl.expect("Waiting for Intercom's redirect", after: mark), "\(repl.screen[mark...])")
            state = try #require(Self.state(in: String(repl.screen[mark...])))
            code = standIn.mintCode(workspace: Self.demoWorkspace)
            answer = try await Self.browserGET(port: port, path: "/relink/callback?code=\(code)&state=\(state)")
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
            #expect(repl.screen[mark...].contains("reconnected"), "\(repl.screen[mark...])")
            repl.type("quit\n")
            #expect(await repl.waitForExit() == 0)
            try await real.expectGreen("WEB", keeping: before)
        }
    }

    @Test("A certificate no trusted CA signed: its own message, exit 1, no verdict; without SSL_CERT_FILE likewise")
    func untrustedCertificate() async throws {
        try await RealIntercomStandIn.with { standIn in
            let real = try await RealCase(standIn)
            let other = try TestCertificateAuthority(name: "Somebody Else's CA")
            var environment = real.pipeEnvironment
            environment["SSL_CERT_FILE"] = try other.writeCA(into: real.directory.url, fileName: "other.pem").path
            let result = try await runRelink(
                ["--store", real.store, "--endpoint", standIn.baseURL, "--real", "-c", "reconnect WEB --token"],
                input: standIn.issueToken(workspace: Self.demoWorkspace) + "\n", environment: environment)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("certificate"), "\(result.stderr)")
            #expect(result.stderr.contains("127.0.0.1"), "\(result.stderr)")
            #expect(!result.stderr.contains("Check the network"), "\(result.stderr)")
            #expect(try await real.show("WEB")["state"] as? String == "broken")

            // A bundle that cannot be read is bad usage, said at start.
            environment["SSL_CERT_FILE"] = real.directory.file("missing.pem").path
            let unreadable = try await runRelink(
                ["--store", real.store, "--endpoint", standIn.baseURL, "--real", "-c", "projects"],
                environment: environment)
            #expect(unreadable.status == 2, "\(unreadable)")
            #expect(unreadable.stderr.contains("SSL_CERT_FILE="), "\(unreadable.stderr)")
        }
    }

    /// Issue 28's finding that held: an answer 302 to another host is not followed, so the token
    /// is never sent there. The other host is a second stand-in the same CA vouches for, so that
    /// a followed redirect would reach it over TLS and show in its log.
    @Test("A 302 to another host is not followed: the token never reaches it, and it is no verdict")
    func redirectToAnotherHostIsNotFollowed() async throws {
        try await RealIntercomStandIn.with { standIn in
            try await RealIntercomStandIn.with(authority: standIn.authority) { other in
                let real = try await RealCase(standIn)
                standIn.setAnswer(
                    CannedAnswer(
                        status: 302, body: "", contentType: "text/plain", headers: ["Location": other.localhostURL + "/me"]),
                    for: .me)
                let token = standIn.issueToken(workspace: Self.demoWorkspace)
                let reconnect = try await runRelink(
                    ["--store", real.store, "--endpoint", standIn.baseURL, "--real", "-c", "reconnect WEB --token"],
                    input: token + "\n", environment: real.pipeEnvironment)
                #expect(reconnect.status == 1, "\(reconnect)")
                #expect(!reconnect.stdout.contains(token) && !reconnect.stderr.contains(token))
                let check = try await runRelink(
                    ["--store", real.store, "--endpoint", standIn.baseURL, "--real", "-c", "check SUP"],
                    environment: real.pipeEnvironment)
                #expect(other.requests.isEmpty, "the redirect was followed: \(other.requests)")
                #expect(standIn.requests.contains { $0.path == "/me" && $0.status == 302 }, "\(standIn.requests)")
                #expect(try await real.show("WEB")["state"] as? String == "broken")
                #expect(try await real.show("SUP")["state"] as? String == "connected")
            }
        }
    }

    @Test(
        "HTTPS_PROXY tunnels the real API through CONNECT; NO_PROXY's hosts go direct; a refusing proxy is no verdict")
    func proxy() async throws {
        try await RealIntercomStandIn.with { standIn in
            try await ConnectProxy.with(mode: .tunnel) { proxy in
                let real = try await RealCase(standIn)
                let before = try await real.show("WEB")
                var environment = real.pipeEnvironment
                environment["HTTPS_PROXY"] = proxy.url
                environment["NO_PROXY"] = "localhost"
                func reconnect(at endpoint: String) async throws -> RunResult {
                    try await runRelink(
                        ["--store", real.store, "--endpoint", endpoint, "--real", "-c", "reconnect WEB --token"],
                        input: standIn.issueToken(workspace: Self.demoWorkspace) + "\n", environment: environment)
                }
                let tunnelled = try await reconnect(at: standIn.baseURL)
                #expect(tunnelled.status == 0, "\(tunnelled)")
                #expect(proxy.tunnelledTargets.contains("127.0.0.1:\(standIn.port)"), "\(proxy.attempts)")
                try await real.expectGreen("WEB", keeping: before)

                let count = proxy.attempts.count
                let direct = try await reconnect(at: standIn.localhostURL)
                #expect(direct.status == 0, "\(direct)")
                #expect(proxy.attempts.count == count, "NO_PROXY=localhost went through the proxy: \(proxy.attempts)")

                proxy.setMode(.refuse(status: 403))
                let refused = try await reconnect(at: standIn.baseURL)
                #expect(refused.status == 1, "\(refused)")
                #expect(refused.stderr.contains(proxy.url) || refused.stderr.contains("proxy"), "\(refused.stderr)")
                try await real.expectGreen("WEB", keeping: before)
            }
        }
    }

    @Test("The mock is reached directly whatever HTTPS_PROXY says; a proxy URL that cannot be used is bad usage (2)")
    func mockIgnoresTheProxy() async throws {
        let (directory, store, _) = try await demoTerminal()
        _ = directory
        try await ConnectProxy.with(mode: .refuse(status: 403)) { proxy in
            let checked = try await runRelink(
                ["--store", store, "-c", "check SUP"], environment: ["HTTPS_PROXY": proxy.url, "NO_PROXY": ""])
            #expect(checked.status == 0, "\(checked)")
            #expect(proxy.attempts.isEmpty, "\(proxy.attempts)")
        }
        let unusable = try await runRelink(
            ["--store", store, "-c", "projects"],
            environment: ["HTTPS_PROXY": "socks5://user:hunter2@proxy.example:1080", "https_proxy": ""])
        #expect(unusable.status == 2, "\(unusable)")
        #expect(unusable.stderr.contains("HTTPS_PROXY="), "\(unusable.stderr)")
        #expect(!unusable.stderr.contains("hunter2"), "a proxy password reached a message: \(unusable.stderr)")
    }

    @Test("--real refuses the mock's commands as against api.intercom.io, saying where Intercom is")
    func mockCommandsRefused() async throws {
        try await RealIntercomStandIn.with { standIn in
            let real = try await RealCase(standIn)
            for command in ["break WEB token-revoked", "world", "mock journal"] {
                let result = try await runRelink(
                    ["--store", real.store, "--endpoint", standIn.baseURL, "--real", "--json", "-c", command],
                    environment: real.pipeEnvironment)
                #expect(result.status == 1, "\(command): \(result)")
                #expect(result.stdout.contains("\"code\""), "\(command): \(result)")
                if command != "break WEB token-revoked" {
                    #expect(result.stdout.contains("the real API at \(standIn.baseURL)"), "\(command): \(result)")
                }
            }
            #expect(standIn.requests.isEmpty, "\(standIn.requests)")
        }
    }

    @Test("Mock: Ctrl-C once the token is minted commits it to the project, never leaves it held by nobody")
    func interruptAfterMinting() async throws {
        let (directory, store, repl) = try await startedREPL()
        _ = directory
        var mark = repl.mark
        repl.type("mock fault add /me latency --latency-ms 4000 --times 1\n")
        #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
        mark = repl.mark
        repl.type("reconnect WEB\n")
        // The slow answer is /me's, after the exchange. Ctrl-C only once the mock's journal shows the
        // exchange answered, so the token is minted whatever the machine's load: the counter alone
        // can show while the exchange itself is slow.
        #expect(await Self.journalShows("/auth/eagle/token", in: store), "the exchange never happened")
        repl.type("\u{3}")
        #expect(await repl.expect("relink> ", after: mark), "\(repl.screen[mark...])")
        #expect(repl.screen[mark...].contains("reconnected"), "\(repl.screen[mark...])")
        #expect(repl.screen[mark...].contains("interrupted"), "\(repl.screen[mark...])")
        #expect(!repl.screen[mark...].contains("Check the network"), "\(repl.screen[mark...])")
        repl.type("quit\n")
        #expect(await repl.waitForExit() == 0)
        let show = try await runRelink(["--store", store, "--json", "-c", "show WEB"])
        #expect(show.stdout.contains("\"state\":\"connected\""), "\(show.stdout)")
        let world = try await runRelink(["--store", store, "-c", "world"])
        #expect(!world.stdout.contains("no project holds it"), "a minted token was left behind: \(world.stdout)")
    }

    // MARK: Support

    /// Whether the mock's request journal in `store` comes to name `path` within 20 s (it is
    /// written by the process under test; read here as a person would tail it).
    static func journalShows(_ path: String, in store: String) async -> Bool {
        let journal = URL(fileURLWithPath: store).appendingPathComponent("mock-journal.jsonl")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: journal, encoding: .utf8), text.contains(path) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The `state` of the last authorize URL in `text`.
    static func state(in text: String) -> String? {
        guard let range = text.range(of: "state=", options: .backwards) else { return nil }
        let value = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || "-_.~%".contains($0) }
        return value.isEmpty ? nil : String(value)
    }

    /// A loopback port nobody listens on now (the OS's pick, released).
    static func freeLoopbackPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socketFD, address, length) == 0 && getsockname(socketFD, address, &length) == 0
            }
        }
        struct NoPort: Error {}
        guard bound else { throw NoPort() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// What a browser does when Intercom redirects it to the loopback listener: one GET.
    static func browserGET(port: Int, path: String) async throws -> String {
        try await offThePool {
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socketFD) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            struct NotConnected: Error {}
            guard connected else { throw NotConnected() }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { send(socketFD, $0.baseAddress, $0.count, 0) }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while answer.count < 1 << 20 {
                let count = recv(socketFD, &buffer, buffer.count, 0)
                if count <= 0 { break }
                answer += buffer[0..<count]
            }
            return String(decoding: answer, as: UTF8.self)
        }
    }
}

/// A copy of the demo store with WEB broken, the stand-in's CA in `SSL_CERT_FILE` and its OAuth
/// app's credentials in the environment; no proxy from the machine the tests run on.
struct RealCase {
    let directory: TemporaryDirectory
    let store: String
    /// For a pseudo-terminal: the whole environment.
    var terminalEnvironment: [String: String]
    /// For ``runRelink(_:input:environment:workingDirectory:)``: what it adds to the test's own.
    var pipeEnvironment: [String: String]

    init(_ standIn: RealIntercomStandIn) async throws {
        let (directory, store, environment) = try await demoTerminal()
        standIn.registerApp()
        let ca = try standIn.authority.writeCA(into: directory.url)
        let extra = [
            "SSL_CERT_FILE": ca.path, "INTERCOM_CLIENT_ID": RealIntercomStandIn.clientID,
            "INTERCOM_CLIENT_SECRET": RealIntercomStandIn.clientSecret, "HTTPS_PROXY": "", "https_proxy": "",
            "NO_PROXY": "", "no_proxy": "",
        ]
        self.directory = directory
        self.store = store
        terminalEnvironment = environment.merging(extra) { $1 }
        pipeEnvironment = extra
    }

    /// relink with `-c command` against the stand-in, on a pseudo-terminal.
    func session(_ standIn: RealIntercomStandIn, _ command: String) throws -> PseudoTerminalSession {
        try PseudoTerminalSession(
            try relinkExecutable(), ["--store", store, "--endpoint", standIn.baseURL, "--real", "-c", command],
            environment: terminalEnvironment)
    }

    /// `show KEY --json`, read from the store.
    func show(_ key: String) async throws -> [String: Any] {
        let result = try await runRelink(["--store", store, "--json", "-c", "show \(key)"])
        #expect(result.status == 0, "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The project is green, on the same workspace with the same app user, its settings and links kept.
    func expectGreen(_ key: String, keeping before: [String: Any]) async throws {
        let after = try await show(key)
        #expect(after["indicator"] as? String == "green", "\(after)")
        #expect(after["state"] as? String == "connected", "\(after)")
        #expect((after["workspace"] as? [String: Any])?["id"] as? String == "acme4sup", "\(after)")
        #expect((after["appUser"] as? [String: Any])?["id"] as? String == "2633609", "\(after)")
        for field in ["settings", "links"] {
            let was = try JSONSerialization.data(withJSONObject: before[field] ?? NSNull(), options: .sortedKeys)
            let now = try JSONSerialization.data(withJSONObject: after[field] ?? NSNull(), options: .sortedKeys)
            #expect(was == now, "\(field) changed")
        }
    }
}
