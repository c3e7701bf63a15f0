import AsyncHTTPClient
import Foundation
import IntercomAPI
import NIOCore
import NIOPosix
import Testing

@testable import IntercomClient

@Suite("--listen on the loopback URL registered for a development app")
struct RegisteredLoopbackListenerTests {
    /// A port no one listens on now: bound by the OS, then released. Another process could take it
    /// in between; on a loopback test machine that is rare, and the test then fails loudly, never hangs.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    @Test("the listener binds the registered port and path and answers the URL exactly as registered")
    func listensWhereRegistered() async throws {
        let port = try await Self.freePort()
        let registered = "http://localhost:\(port)/intercom/callback"
        let listener = try await LoopbackRedirectListener.start(
            expectedState: "st-1", timeout: .seconds(30), registeredURI: registered)
        #expect(listener.redirectURI == registered)
        #expect(listener.port == port && listener.path == "/intercom/callback")
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/intercom/callback?code=abc%3D&state=st-1")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 200)
        #expect(try await listener.waitForCode() == "abc=")
    }

    @Test("a registered URL that is not loopback http is refused before anything listens")
    func refusesOtherURLs() async {
        for url in ["https://relink.example.com/cb", "http://relink.example.com/cb", "not a url"] {
            await #expect(throws: OAuthError.self, "\(url)") {
                _ = try await LoopbackRedirectListener.start(
                    expectedState: "s", timeout: .seconds(1), registeredURI: url)
            }
        }
    }
}
