import AsyncHTTPClient
import Foundation
import IntercomAPI
import NIOCore
import NIOPosix
import NIOSSL
import RealAPIStandIn
import Testing

/// The test infrastructure for issue 25 proves itself here, with AsyncHTTPClient alone: the
/// stand-in's TLS, its answers, and the CONNECT proxy. relink's own code is not involved.
@Suite("The real-API stand-in and the CONNECT proxy")
struct RealAPIStandInTests {
    // MARK: TLS

    @Test("HTTPS to the stand-in verifies with its CA written as ca.pem, by IP and by name")
    func trustedByCA() async throws {
        try await withTemporaryDirectory { directory in
            try await RealIntercomStandIn.with { standIn in
                let caFile = try standIn.authority.writeCA(into: directory)
                #expect(caFile.lastPathComponent == "ca.pem")
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile.path))]
                try await withClient(tls: tls) { client in
                    for base in [standIn.baseURL, standIn.localhostURL] {
                        let (status, body) = try await get(client, base + "/me")
                        #expect(status == 401)
                        #expect(body.contains("\"Access Token Invalid\""))
                    }
                }
            }
        }
    }

    @Test("Without the CA, or trusting an unrelated CA, the handshake fails with CERTIFICATE_VERIFY_FAILED")
    func untrusted() async throws {
        try await RealIntercomStandIn.with { standIn in
            let unrelated = try TestCertificateAuthority(name: "an unrelated CA")
            for tls in [TLSConfiguration.makeClientConfiguration(), try unrelated.clientTLSConfiguration()] {
                try await withClient(tls: tls) { client in
                    let error = await #expect(throws: NIOSSLError.self) {
                        _ = try await get(client, standIn.baseURL + "/me")
                    }
                    guard case .handshakeFailed(.sslError(let stack)) = error else {
                        Issue.record("expected handshakeFailed(.sslError), got \(String(describing: error))")
                        return
                    }
                    #expect(stack.contains { "\($0)".contains("CERTIFICATE_VERIFY_FAILED") })
                }
            }
            #expect(standIn.requests.isEmpty, "no request may reach the server over an unverified connection")
        }
    }

    // MARK: The API

    @Test(
        "The token exchange answers in each shape; /me answers the admin with its workspace",
        arguments: [TokenAnswerShape.both, .accessTokenOnly, .tokenOnly, .neither])
    func exchange(shape: TokenAnswerShape) async throws {
        try await RealIntercomStandIn.with { standIn in
            standIn.registerApp()
            standIn.setTokenAnswerShape(shape)
            let code = standIn.mintCode()
            try await withClient(tls: try standIn.authority.clientTLSConfiguration()) { client in
                let (status, body) = try await postForm(
                    client, standIn.baseURL + "/auth/eagle/token",
                    ["code": code, "client_id": RealIntercomStandIn.clientID,
                     "client_secret": RealIntercomStandIn.clientSecret])
                #expect(status == 200)
                let fields = try #require(
                    try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
                #expect(fields["token_type"] == "Bearer")
                switch shape {
                case .both:
                    #expect(Set(fields.keys) == ["token_type", "token", "access_token"])
                    #expect(fields["token"] == fields["access_token"])
                case .accessTokenOnly: #expect(Set(fields.keys) == ["token_type", "access_token"])
                case .tokenOnly: #expect(Set(fields.keys) == ["token_type", "token"])
                case .neither: #expect(Set(fields.keys) == ["token_type"])
                }
                // A code is single use.
                let (again, _) = try await postForm(
                    client, standIn.baseURL + "/auth/eagle/token",
                    ["code": code, "client_id": RealIntercomStandIn.clientID,
                     "client_secret": RealIntercomStandIn.clientSecret])
                #expect(again == 401)

                guard let token = fields["access_token"] ?? fields["token"] else { return }
                let (meStatus, meBody) = try await get(client, standIn.baseURL + "/me", token: token)
                #expect(meStatus == 200)
                let admin = try JSONDecoder().decode(Admin.self, from: Data(meBody.utf8))
                #expect(admin.id == RealIntercomStandIn.teammate.id)
                #expect(admin.email == RealIntercomStandIn.teammate.email)
                #expect(admin.app?.idCode == RealIntercomStandIn.workspace.idCode)
                #expect(admin.app?.region == "US")
                #expect(admin.emailVerified == true)
            }
            // The log says whether Authorization came, never the token, the code or the secret.
            let log = standIn.requests
            #expect(log.map(\.route) == [.tokenExchange, .tokenExchange] + (shape == .neither ? [] : [.me]))
            #expect(log.map(\.hadAuthorization) == [false, false] + (shape == .neither ? [] : [true]))
            #expect(log.map(\.intercomVersion) == [nil, nil] + (shape == .neither ? [] : ["2.14"]))
            #expect(!"\(log)".contains(code))
        }
    }

    @Test("A killed token is answered 401 error.list; the other routes serve a live one")
    func killedToken() async throws {
        try await RealIntercomStandIn.with { standIn in
            standIn.addConversation(id: "c-1")
            let token = standIn.issueToken()
            try await withClient(tls: try standIn.authority.clientTLSConfiguration()) { client in
                let (adminsStatus, adminsBody) = try await get(client, standIn.baseURL + "/admins", token: token)
                #expect(adminsStatus == 200)
                #expect(try JSONDecoder().decode(AdminList.self, from: Data(adminsBody.utf8)).admins.count == 1)
                let (listStatus, listBody) = try await get(
                    client, standIn.baseURL + "/conversations?per_page=1", token: token)
                #expect(listStatus == 200)
                #expect(try JSONDecoder().decode(ConversationList.self, from: Data(listBody.utf8)).totalCount == 1)
                let (oneStatus, _) = try await get(client, standIn.baseURL + "/conversations/c-1", token: token)
                #expect(oneStatus == 200)
                let reply = try JSONEncoder().encode(
                    AdminReplyRequest.note(adminID: RealIntercomStandIn.teammate.id, body: "linked to OPS-1"))
                let (replyStatus, _) = try await post(
                    client, standIn.baseURL + "/conversations/c-1/reply", token: token, json: reply)
                #expect(replyStatus == 200)
                #expect(standIn.conversation(id: "c-1")?.conversationParts?.conversationParts.last?.body == "linked to OPS-1")
                let (missing, _) = try await get(client, standIn.baseURL + "/conversations/c-404", token: token)
                #expect(missing == 404)
                let (mock, _) = try await get(client, standIn.baseURL + "/__mock/world", token: token)
                #expect(mock == 404)

                standIn.killToken(token)
                let (status, body) = try await get(client, standIn.baseURL + "/me", token: token)
                #expect(status == 401)
                let errors = try JSONDecoder().decode(ErrorList.self, from: Data(body.utf8))
                #expect(errors.type == "error.list")
                #expect(errors.requestID?.isEmpty == false)
                #expect(errors.errors == [.init(code: "unauthorized", message: "Access Token Invalid")])
            }
        }
    }

    @Test("A canned answer reproduces a real one for its count, then the route serves again")
    func cannedAnswer() async throws {
        try await RealIntercomStandIn.with { standIn in
            let token = standIn.issueToken()
            standIn.setAnswer(
                .errorList(status: 429, code: "rate_limit_exceeded", message: "Rate Limit Exceeded",
                           headers: ["Retry-After": "7"], times: 1),
                for: .me)
            try await withClient(tls: try standIn.authority.clientTLSConfiguration()) { client in
                var request = HTTPClientRequest(url: standIn.baseURL + "/me")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status.code == 429)
                #expect(response.headers.first(name: "Retry-After") == "7")
                let (status, _) = try await get(client, standIn.baseURL + "/me", token: token)
                #expect(status == 200)
            }
        }
    }

    // MARK: The proxy

    @Test("Through the CONNECT proxy, HTTPS to the stand-in works and the tunnel is recorded")
    func throughProxy() async throws {
        try await RealIntercomStandIn.with { standIn in
            let token = standIn.issueToken()
            try await ConnectProxy.with { proxy in
                try await withClient(
                    tls: try standIn.authority.clientTLSConfiguration(),
                    proxy: .server(host: proxy.host, port: proxy.port)
                ) { client in
                    for base in [standIn.baseURL, standIn.localhostURL] {
                        let (status, _) = try await get(client, base + "/me", token: token)
                        #expect(status == 200)
                    }
                }
                #expect(proxy.tunnelledTargets == ["127.0.0.1:\(standIn.port)", "localhost:\(standIn.port)"])
                // A client without the proxy leaves no trace in it: how a test checks NO_PROXY.
                try await withClient(tls: try standIn.authority.clientTLSConfiguration()) { client in
                    _ = try await get(client, standIn.localhostURL + "/me", token: token)
                }
                #expect(proxy.attempts.count == 2)
            }
        }
    }

    @Test(
        "A refusing proxy surfaces as AHC's invalidProxyResponse (403) or proxyAuthenticationRequired (407)",
        arguments: [403, 407])
    func refusingProxy(status: Int) async throws {
        try await RealIntercomStandIn.with { standIn in
            try await ConnectProxy.with(mode: .refuse(status: status)) { proxy in
                try await withClient(
                    tls: try standIn.authority.clientTLSConfiguration(),
                    proxy: .server(host: proxy.host, port: proxy.port)
                ) { client in
                    let error = await #expect(throws: HTTPClientError.self) {
                        _ = try await get(client, standIn.baseURL + "/me")
                    }
                    #expect(error == (status == 407 ? .proxyAuthenticationRequired : .invalidProxyResponse))
                }
                #expect(proxy.attempts.map(\.status) == [status])
                #expect(proxy.tunnelledTargets.isEmpty)
            }
            #expect(standIn.requests.isEmpty)
        }
    }

    @Test("The proxy tunnels only to loopback: another target is refused 403 without a connection")
    func loopbackOnly() async throws {
        #expect(ConnectProxy.isLoopback("127.0.0.1"))
        #expect(ConnectProxy.isLoopback("127.8.9.10"))
        #expect(ConnectProxy.isLoopback("localhost"))
        #expect(ConnectProxy.isLoopback("[::1]"))
        #expect(!ConnectProxy.isLoopback("api.intercom.io"))
        #expect(!ConnectProxy.isLoopback("10.0.0.1"))
        #expect(!ConnectProxy.isLoopback("127.0.0.1.example.com"))
        try await ConnectProxy.with { proxy in
            try await withClient(tls: nil, proxy: .server(host: proxy.host, port: proxy.port)) { client in
                let error = await #expect(throws: HTTPClientError.self) {
                    _ = try await get(client, "https://example.invalid/me")
                }
                #expect(error == .invalidProxyResponse)
            }
            #expect(proxy.attempts.map(\.target) == ["example.invalid:443"])
            #expect(proxy.attempts.map(\.status) == [403])
        }
    }
}

// MARK: Helpers

/// A client that fails at once on a connection error (no retry loop until the connect timeout),
/// shut down whatever `body` does.
func withClient<T>(
    tls: TLSConfiguration?, proxy: HTTPClient.Configuration.Proxy? = nil,
    _ body: (HTTPClient) async throws -> T
) async throws -> T {
    var configuration = HTTPClient.Configuration(tlsConfiguration: tls, proxy: proxy)
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(5))
    let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

func get(_ client: HTTPClient, _ url: String, token: String? = nil) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.headers.add(name: "Accept", value: "application/json")
    request.headers.add(name: "Intercom-Version", value: "2.14")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    return try await send(client, request)
}

func post(_ client: HTTPClient, _ url: String, token: String, json: Data) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Authorization", value: "Bearer \(token)")
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: json))
    return try await send(client, request)
}

func postForm(_ client: HTTPClient, _ url: String, _ fields: [String: String]) async throws -> (Int, String) {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let form = fields.sorted { $0.key < $1.key }.map {
        "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)"
    }.joined(separator: "&")
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
    request.body = .bytes(ByteBuffer(string: form))
    return try await send(client, request)
}

func send(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> (Int, String) {
    let response = try await client.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: body))
}

func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("relink-standin-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
