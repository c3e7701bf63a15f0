import AsyncHTTPClient
import Foundation
import IntercomAPI
import NIOCore
import NIOPosix
import Testing

@testable import IntercomClient

@Suite("--listen on the loopback URL registered for a development app")
struct RegisteredLoopbackListenerTests {
    /// A listener on `http://localhost:PORT/intercom/callback` for a port that was free a moment
    /// before: the OS picks it, releases it, and the listener binds it. Another test's server can
    /// take a released port in between (it did, under load), so up to ten ports are tried.
    static func listenerOnAFreePort() async throws -> (LoopbackRedirectListener, registered: String, port: Int) {
        var lastFailure: OAuthError?
        for _ in 0..<10 {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let port = try #require(channel.localAddress?.port)
            try await channel.close()
            let registered = "http://localhost:\(port)/intercom/callback"
            do {
                let listener = try await LoopbackRedirectListener.start(
                    expectedState: "st-1", timeout: .seconds(30), registeredURI: registered)
                return (listener, registered, port)
            } catch {
                lastFailure = error
            }
        }
        throw try #require(lastFailure)
    }

    @Test("the listener binds the registered port and path and answers the URL exactly as registered")
    func listensWhereRegistered() async throws {
        let (listener, registered, port) = try await Self.listenerOnAFreePort()
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
