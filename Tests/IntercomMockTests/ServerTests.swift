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
        let requestID = try #require(
            text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-request-id:") }?
                .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces))
        await server.shutdown()
        #expect(await !RawHTTP.journals(requestID, port: server.port))
    }
}

@Suite("Stopping the mock")
struct StoppingTests {
    @Test("A request held by a long latency fault does not hold up the mock's shutdown")
    func shutdownCutsLatencyShort() async throws {
        let fixture = try Fixture()
        _ = try await fixture.intercom.addFault(FaultSpec(path: "/me", kind: .latency, latencyMs: 600_000))
        let server = try await MockServer.start(intercom: fixture.intercom, logger: Fixture.logger)
        let request = Task {
            try await RawHTTP.exchange(
                port: server.port,
                request: "GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(fixture.botToken)\r\n\r\n")
        }
        await fixture.intercom.stopping.someoneWaits()
        let clock = ContinuousClock()
        let started = clock.now
        await server.shutdown()
        // Without the signal the shutdown waits for the whole ten minutes. The bound only has to
        // tell those apart: on a loaded 2-core machine (load 30) a prompt shutdown took 5-7 s.
        #expect(clock.now - started < .seconds(60))
        // Answered 503 at once, or closed with the server: never the 200 ten minutes later.
        let answer = try? await request.value
        let head = answer.map { String(decoding: $0.bytes.prefix(12), as: UTF8.self) } ?? ""
        #expect(head.isEmpty || head == "HTTP/1.1 503")
    }
}
