import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import NIOCore
import NIOHTTP1
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

    @Test("A timeout says it timed out, and after how long as a person says it")
    func timeoutMessage() {
        #expect(
            OAuthError.timedOut(after: .seconds(300)).description
                == "Timed out: no authorization redirect arrived in 5 min. Connect again, or paste the code instead.")
        #expect(OAuthError.spoken(.seconds(45)) == "45 s")
        #expect(OAuthError.spoken(.seconds(150)) == "2 min 30 s")
    }

    @Test("Cancelling the waiter stops the listener at once, long before its timeout")
    func cancelledWaiter() async throws {
        let listener = try await LoopbackRedirectListener.start(
            expectedState: "s1", timeout: .seconds(300), path: "/cb")
        let waiter = Task { try await listener.waitForCode() }
        waiter.cancel()
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: OAuthError.self) { try await waiter.value }
        #expect(clock.now - start < .seconds(30))
    }
}

@Suite("LoopbackRedirectListener against a browser that hangs up")
struct RedirectWithoutReaderTests {
    struct HungUp: Error {}

    /// The page cannot be written (the browser went away): the outcome still stands. Decided on
    /// the route itself, so no socket timing is involved (a raw socket reset raced the server's
    /// read under load and lost the request itself).
    @Test(
        "A denial or a code whose page cannot be written still ends the wait",
        arguments: [
            ("/callback?error=access_denied&state=s", Result<String, OAuthError>.failure(.accessDenied)),
            ("/callback?code=the-code&state=s", .success("the-code")),
        ])
    func pageCannotBeWritten(uri: String, expected: Result<String, OAuthError>) async {
        let route = RedirectRoute(expectedState: "s", path: "/callback", port: 9)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri)
        let outcome = await route.answer(head) { _, _ in throw HungUp() }
        #expect(outcome == expected)
    }
}
