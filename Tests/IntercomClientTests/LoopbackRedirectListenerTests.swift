import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import NIOCore
import RelinkCore
import RelinkTestSupport
import Testing

@testable import IntercomClient

@Suite("LoopbackRedirectListener")
struct LoopbackRedirectListenerTests {
    /// One GET against the listener; the status and body.
    private func get(_ url: String) async throws -> (Int, String) {
        // A guard against a hang, not a synchronisation: generous, for a machine busy with builds.
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test("A wrong state gets 400 and does not complete; the matching redirect does, then nothing listens")
    func acceptsOneMatchingRedirect() async throws {
        let state = OAuthRequest.randomState()
        let listener = try await LoopbackRedirectListener.start(expectedState: state, timeout: .seconds(30))
        #expect(listener.redirectURI == "http://127.0.0.1:\(listener.port)/callback")

        let (wrongStatus, wrongPage) = try await get(listener.redirectURI + "?code=forged&state=not-the-state")
        #expect(wrongStatus == 400)
        #expect(wrongPage.contains("state"))

        let (otherPathStatus, _) = try await get("http://127.0.0.1:\(listener.port)/favicon.ico")
        #expect(otherPathStatus == 404)

        let (status, page) = try await get(listener.redirectURI + "?code=the-code&state=\(state)")
        #expect(status == 200)
        #expect(page.contains("You can close this tab"))
        #expect(try await listener.waitForCode() == "the-code")

        // One-shot: the socket is closed once the code is in.
        await #expect(throws: (any Error).self) {
            let request = HTTPClientRequest(url: listener.redirectURI + "?code=second&state=\(state)")
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(1))
        }
    }

    @Test("A denial with the matching state ends the wait with accessDenied")
    func denial() async throws {
        let listener = try await LoopbackRedirectListener.start(expectedState: "s1", timeout: .seconds(30))
        let (status, _) = try await get(listener.redirectURI + "?error=access_denied&state=s1")
        #expect(status == 400)
        await #expect(throws: OAuthError.accessDenied) { try await listener.waitForCode() }
    }

    @Test("Without a redirect it times out")
    func timesOut() async throws {
        let listener = try await LoopbackRedirectListener.start(
            expectedState: "s1", timeout: .milliseconds(100), path: "/cb")
        #expect(listener.redirectURI.hasSuffix("/cb"))
        await #expect(throws: OAuthError.timedOut(after: .milliseconds(100))) { try await listener.waitForCode() }
    }
}

@Suite("LoopbackRedirectListener against a browser that hangs up")
struct RedirectWithoutReaderTests {
    /// Sends one request on a raw socket and closes it at once, without reading the answer: the
    /// listener's page then cannot be written, as when a browser closes the tab early.
    private func sendAndHangUp(port: Int, path: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(connected == 0)
        // Reset rather than a graceful close, so every write of the answer fails.
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } == request.count)
    }

    @Test("A denial whose page cannot be written still ends the wait with accessDenied", arguments: 0..<20)
    func denialWithoutReader(round: Int) async throws {
        let listener = try await LoopbackRedirectListener.start(expectedState: "s\(round)", timeout: .seconds(10))
        try sendAndHangUp(port: listener.port, path: "/callback?error=access_denied&state=s\(round)")
        await #expect(throws: OAuthError.accessDenied) { try await listener.waitForCode() }
    }

    @Test("A code whose page cannot be written is still received")
    func codeWithoutReader() async throws {
        let listener = try await LoopbackRedirectListener.start(expectedState: "s", timeout: .seconds(10))
        try sendAndHangUp(port: listener.port, path: "/callback?code=the-code&state=s")
        #expect(try await listener.waitForCode() == "the-code")
    }
}
