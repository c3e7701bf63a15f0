import Foundation
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Fault injection")
struct FaultTests {
    @Test("a fixed latency fault delays the answer and is journaled")
    func fixedLatency() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.addFault(FaultSpec(path: "/me", kind: .latency, latencyMs: 40))
        try await fixture.withClient { client in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await client.get("/me", token: fixture.botToken)
            #expect(clock.now - start >= .milliseconds(40))
            #expect(response.status == .ok)
            // Other paths are untouched.
            #expect(try await client.get("/admins", token: fixture.botToken).status == .ok)
        }
        let entries = try await fixture.intercom.journalEntries()
        #expect(entries.first?.fault == "f1:latency 40ms")
        #expect(entries.last?.fault == nil)
    }

    @Test("a random latency fault draws from its seed: the same seed gives the same delays")
    func randomLatencyRepeats() async throws {
        func run() async throws -> [String?] {
            let fixture = try Fixture()
            try await fixture.intercom.addFault(
                FaultSpec(path: "*", kind: .latency, latencyMinMs: 0, latencyMaxMs: 5, seed: 7))
            try await fixture.withClient { client in
                for _ in 0..<12 { _ = try await client.get("/me", token: fixture.botToken) }
            }
            return try await fixture.intercom.journalEntries().map(\.fault)
        }
        let first = try await run()
        let second = try await run()
        #expect(first == second)
        #expect(Set(first).count > 1, "delays should vary between 0 and 5 ms")
    }

    @Test("a status fault answers an error.list by default, or an HTML page")
    func statusFault() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.addFault(FaultSpec(path: "/me", kind: .status, status: 503))
        try await fixture.intercom.addFault(FaultSpec(path: "/admins", kind: .status, status: 502, body: .html))
        try await fixture.withClient { client in
            let json = try await client.get("/me", token: fixture.botToken)
            #expect(json.status.code == 503)
            #expect(try json.errorCode() == "server_error")
            let html = try await client.get("/admins", token: fixture.botToken)
            #expect(html.status.code == 502)
            #expect(html.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(html.text.contains("<html>"))
        }
    }

    @Test("a rate_limit fault answers 429 rate_limit_exceeded with the rate-limit headers")
    func rateLimitFault() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.addFault(FaultSpec(path: "/me", method: "GET", kind: .rateLimit, times: 2))
        try await fixture.withClient { client in
            for _ in 0..<2 {
                let response = try await client.get("/me", token: fixture.botToken)
                #expect(response.status == .tooManyRequests)
                #expect(try response.errorCode() == "rate_limit_exceeded")
                #expect(response.header("X-RateLimit-Limit") == "1666", "the app's share of a 10-s window")
                #expect(response.header("X-RateLimit-Remaining") == "0")
                #expect(Int(response.header("X-RateLimit-Reset") ?? "") ?? 0 > 1_800_000_000)
            }
            // `times: 2` used up: the third request passes.
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
        }
        #expect(try await fixture.intercom.faultList().first?.triggered == 2)
    }

    @Test("a seeded probability run repeats exactly, and hits only some requests")
    func seededProbabilityRepeats() async throws {
        let fixture = try Fixture()
        let spec = FaultSpec(path: "/me", kind: .status, status: 500, probability: 0.5, seed: 42)
        func run() async throws -> [Int] {
            try await fixture.intercom.addFault(spec)
            let statuses = try await fixture.withClient { client in
                var statuses: [Int] = []
                for _ in 0..<40 {
                    statuses.append(Int(try await client.get("/me", token: fixture.botToken).status.code))
                }
                return statuses
            }
            try await fixture.intercom.reset()
            return statuses
        }
        let first = try await run()
        let second = try await run()
        #expect(first == second)
        #expect(first.contains(200))
        #expect(first.contains(500))
        // A different seed gives a different run.
        try await fixture.intercom.addFault(
            FaultSpec(path: "/me", kind: .status, status: 500, probability: 0.5, seed: 43))
        let other = try await fixture.withClient { client in
            var statuses: [Int] = []
            for _ in 0..<40 { statuses.append(Int(try await client.get("/me", token: fixture.botToken).status.code)) }
            return statuses
        }
        #expect(other != first)
    }

    @Test("faults through the control API: add, list, delete one, delete all; invalid specs are 400")
    func controlAPI() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let added = try await client.post(
                "/__mock/faults", json: #"{"path":"/me","kind":"status","status":500,"probability":1,"seed":9}"#)
            #expect(added.status == .ok)
            #expect(added.text.contains(#""id" : "f1""#))
            _ = try await client.post("/__mock/faults", json: #"{"path":"*","kind":"latency","latency_ms":1}"#)
            let list = try await client.get("/__mock/faults")
            #expect(list.text.contains("f1") && list.text.contains("f2"))
            #expect(try await client.get("/me", token: fixture.botToken).status.code == 500)

            #expect(try await client.execute(uri: "/__mock/faults/f1", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/__mock/faults/f1", method: .delete).status == .notFound)
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
            #expect(try await client.execute(uri: "/__mock/faults", method: .delete).status == .noContent)
            #expect(try await client.get("/__mock/faults").text.contains("f2") == false)

            for bad in [
                #"{"path":"/me","kind":"status"}"#,
                #"{"path":"/me","kind":"latency"}"#,
                #"{"path":"/me","kind":"drop","probability":2}"#,
                #"{"path":"/me","kind":"explode"}"#,
            ] {
                #expect(try await client.post("/__mock/faults", json: bad).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("a drop fault closes the connection without any HTTP answer (live server)")
    func dropClosesSocket() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.addFault(FaultSpec(path: "/me", kind: .drop, times: 1))
        try await fixture.withLiveServer { server in
            let dropped = try await RawHTTP.exchange(port: server.port, request: "GET /me HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(dropped.closedByPeer)
            #expect(dropped.bytes.isEmpty)
            // The server lives on: the next request is answered.
            let answered = try await RawHTTP.exchange(
                port: server.port, request: "GET /me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(String(decoding: answered.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 401"))
            let journal = try await fixture.intercom.journalEntries()
            #expect(journal.first?.status == nil)
            #expect(journal.first?.fault == "f1:drop")
        }
    }
}

@Suite("Faults with hostile numbers")
struct HostileFaultTests {
    @Test(
        "Latencies past a day or with an inverted range are refused, never drawn",
        arguments: [
            FaultSpec(path: "/me", kind: .latency, latencyMs: 1_000_000_000_000),
            FaultSpec(path: "/me", kind: .latency, latencyMs: -1),
            FaultSpec(path: "/me", kind: .latency, latencyMinMs: 0, latencyMaxMs: Int.max),
            FaultSpec(path: "/me", kind: .latency, latencyMinMs: Int.min, latencyMaxMs: 0),
            FaultSpec(path: "/me", kind: .latency, latencyMinMs: 5, latencyMaxMs: 4),
        ])
    func refused(spec: FaultSpec) async throws {
        let intercom = MockIntercom(world: MockWorld())
        await #expect(throws: MockError.self) { try await intercom.addFault(spec) }
    }
}
