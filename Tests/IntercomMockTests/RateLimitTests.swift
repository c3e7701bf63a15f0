import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Rate limit")
struct RateLimitTests {
    @Test("authenticated answers count down; over the limit is 429 until the window resets; per token")
    func countsDownAndResets() async throws {
        let fixture = try Fixture { $0.rateLimit = .init(limit: 3, windowSeconds: 10) }
        try await fixture.withClient { client in
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await client.get("/me", token: fixture.botToken)
                #expect(response.status == .ok)
                #expect(response.header(RateLimitHeader.limit) == "3")
                remaining.append(response.header(RateLimitHeader.remaining))
            }
            #expect(remaining == ["2", "1", "0"])
            let over = try await client.get("/me", token: fixture.botToken)
            #expect(over.status == .tooManyRequests)
            #expect(try over.errorCode() == "rate_limit_exceeded")
            #expect(over.header(RateLimitHeader.remaining) == "0")
            // The clock starts at 1_800_000_000, a multiple of 10: the window ends 10 s later.
            #expect(over.header(RateLimitHeader.reset) == "1800000010")
            // Another token has its own budget.
            #expect(try await client.get("/me", token: fixture.bobToken).status == .ok)
            // Unauthenticated answers carry no rate-limit headers.
            #expect(try await client.get("/me").header(RateLimitHeader.limit) == nil)

            fixture.clock.advance(by: 10)
            let next = try await client.get("/me", token: fixture.botToken)
            #expect(next.status == .ok)
            #expect(next.header(RateLimitHeader.remaining) == "2")
        }
    }

    @Test("PUT /__mock/world/rate-limit changes the limit")
    func controlChangesLimit() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            #expect(try await client.get("/me", token: fixture.botToken).header(RateLimitHeader.limit) == "1000")
            let edit = try await client.execute(
                uri: "/__mock/world/rate-limit", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"limit":1,"window_seconds":60}"#))
            #expect(edit.status == .ok)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .ok)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .tooManyRequests)
            let bad = try await client.execute(
                uri: "/__mock/world/rate-limit", method: .put,
                body: ByteBuffer(string: #"{"limit":1,"window_seconds":0}"#))
            #expect(bad.status == .badRequest)
        }
    }
}
