import Foundation
import IntercomAPI
import NIOCore
import RelinkTestSupport
import Testing

@testable import IntercomClient

/// `SSL_CERT_FILE`, `HTTPS_PROXY` and `NO_PROXY` as curl, git and Python read them (issue 25).
@Suite("Network settings from the environment")
struct NetworkSettingsTests {
    @Test("HTTPS_PROXY: lower case wins, credentials are kept but never shown, curl's default port")
    func proxy() throws {
        let settings = try NetworkSettings(environment: [
            "HTTPS_PROXY": "http://upper:8080", "https_proxy": "http://us%40er:p%3Ass@proxy.corp.test:3128",
        ])
        let proxy = try #require(settings.httpsProxy)
        #expect(proxy.host == "proxy.corp.test" && proxy.port == 3128)
        #expect(proxy.username == "us@er" && proxy.password == "p:ss")
        #expect(proxy.description == "proxy.corp.test:3128")
        #expect(try ProxyAddress(parsing: "proxy.corp.test").port == 1080)
        #expect(try ProxyAddress(parsing: "10.1.2.3:8080").host == "10.1.2.3")
        #expect(try NetworkSettings(environment: ["HTTPS_PROXY": "  "]).httpsProxy == nil)
    }

    @Test(
        "A proxy relink cannot use is refused at start, naming it without its password",
        arguments: ["https://user:secret-pw@proxy:443", "socks5://proxy:1080", "http://:8080", "http://proxy:99999"])
    func unusableProxy(text: String) {
        #expect {
            try NetworkSettings(environment: ["HTTPS_PROXY": text])
        } throws: { error in
            let words = "\(error)"
            return words.contains("cannot be used") && !words.contains("secret-pw")
        }
    }

    @Test(
        "NO_PROXY matches as curl does",
        arguments: [
            ("localhost", "localhost", 443, true),
            ("localhost", "LOCALHOST", 443, true),
            ("intercom.io", "api.intercom.io", 443, true),
            (".intercom.io", "api.eu.intercom.io", 443, true),
            ("intercom.io", "notintercom.io", 443, false),
            ("api.intercom.io:8443", "api.intercom.io", 443, false),
            ("api.intercom.io:443", "api.intercom.io", 443, true),
            ("127.0.0.1", "127.0.0.1", 443, true),
            ("127.0.0.0/8", "127.1.2.3", 443, true),
            ("10.0.0.0/8", "127.0.0.1", 443, false),
            ("*", "anything.example", 443, true),
            ("a.test, b.test ,c.test", "b.test", 443, true),
            ("", "api.intercom.io", 443, false),
        ])
    func noProxy(list: String, host: String, port: Int, excluded: Bool) {
        #expect(NoProxyList(list).excludes(host: host, port: port) == excluded)
    }

    @Test("Only https URLs to hosts NO_PROXY does not name go through the proxy")
    func proxyChoice() throws {
        let settings = try NetworkSettings(environment: [
            "HTTPS_PROXY": "http://127.0.0.1:3128", "NO_PROXY": "localhost",
        ])
        #expect(settings.proxy(for: URL(string: "https://127.0.0.1:8443/me")!) != nil)
        #expect(settings.proxy(for: URL(string: "https://localhost:8443/me")!) == nil)
        #expect(settings.proxy(for: URL(string: "http://127.0.0.1:9/me")!) == nil)
    }

    @Test("SSL_CERT_FILE that is missing or holds no certificate is said before any request")
    func trustRoots() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relink-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.pem")
        try Data("not a certificate\n".utf8).write(to: empty)
        for path in [directory.appendingPathComponent("missing.pem").path, empty.path] {
            #expect {
                try HTTPTransport(settings: NetworkSettings(extraTrustRoots: path))
            } throws: { error in
                "\(error)".contains("SSL_CERT_FILE=\(path) cannot be used")
            }
        }
    }
}

/// The token exchange's answer (issue 25 §4).
@Suite("The token exchange's answer")
struct TokenAnswerTests {
    static func decode(_ body: String) -> Result<TokenResponse, IntercomFailure> {
        HTTPIntercomClient(endpoint: .custom(baseURL: "http://127.0.0.1:9"), logger: .init(label: "test")).tokenAnswer(
            .init(status: 200, headers: [:], body: ByteBuffer(string: body)))
    }

    @Test(
        "access_token alone, token alone, or both: the token is found; token_type defaults to Bearer",
        arguments: [
            #"{"access_token":"dG9rOmFiYw==","token_type":"Bearer"}"#,
            #"{"token":"dG9rOmFiYw=="}"#,
            #"{"token":"dG9rOmFiYw==","access_token":"dG9rOmFiYw==","token_type":"Bearer"}"#,
        ])
    func eitherField(body: String) throws {
        let answer = try Self.decode(body).get()
        #expect(answer.accessToken == "dG9rOmFiYw==" && answer.tokenType == "Bearer")
    }

    @Test("An answer with neither names the fields it saw, never their values")
    func neither() {
        let body = #"{"token_type":"Bearer","acess_token":"secret-value-123","expires_in":3600}"#
        #expect(HTTPIntercomClient.fieldNames(ByteBuffer(string: body)) == "acess_token, expires_in, token_type")
        #expect(HTTPIntercomClient.fieldNames(ByteBuffer(string: "[1]")) == "none: the body is not a JSON object")
        let failure = Self.decode(body).failure
        #expect(failure?.kind == .notJSON)
        #expect(failure?.message?.contains("neither access_token nor token (its fields: acess_token, expires_in, token_type)") == true)
        #expect(failure?.bodySnippet == nil)
        #expect(failure.map { "\($0)" }?.contains("secret-value-123") == false)
    }
}
