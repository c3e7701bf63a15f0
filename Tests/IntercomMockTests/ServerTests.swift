import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("In-process server")
struct ServerTests {
    @Test("start listens on an OS-chosen loopback port; shutdown stops listening")
    func startAndShutdown() async throws {
        let fixture = try Fixture()
        let server = try await MockServer.start(intercom: fixture.intercom, logger: Fixture.logger)
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let answer = try await RawHTTP.exchange(
            port: server.port,
            request:
                "GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(fixture.botToken)\r\nConnection: close\r\n\r\n")
        let text = String(decoding: answer.bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.contains(#""id_code":"acme""#))
        await server.shutdown()
        #expect(await !RawHTTP.isListening(port: server.port))
    }
}
