import Foundation
import IntercomAPI
import NIOCore
import NIOHTTP1
import Testing

@testable import IntercomClient

/// `Retry-After` before `X-RateLimit-Reset` (design §2; the order of Intercom's Node, Python and
/// Java SDKs: Docs/intercom.md), in the answer's failure, the pacer's status and the retry policy.
@Suite("Retry-After")
struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_760_000_000)

    static func failure(_ status: Int, headers: [(String, String)], body: String = "") -> IntercomFailure {
        HTTPIntercomClient.failure(
            for: .init(status: status, headers: HTTPHeaders(headers), body: ByteBuffer(string: body)))
    }

    @Test(
        "Seconds and the three HTTP-date forms are read; anything else is ignored",
        arguments: [
            ("120", 120.0),
            ("0", 0),
            (" 7 ", 7),
            ("Wed, 08 Oct 2025 09:00:00 GMT", Date(timeIntervalSince1970: 1_759_914_000).timeIntervalSince(now)),
            ("Wednesday, 08-Oct-25 09:00:00 GMT", Date(timeIntervalSince1970: 1_759_914_000).timeIntervalSince(now)),
            ("Wed Oct  8 09:00:00 2025", Date(timeIntervalSince1970: 1_759_914_000).timeIntervalSince(now)),
        ])
    func parses(value: String, seconds: Double) throws {
        let date = try #require(RateLimitHeaders.retryAfter(value, now: Self.now))
        #expect(date.timeIntervalSince(Self.now) == seconds)
    }

    @Test("Negative, fractional, huge and garbled values are not believed", arguments: ["-5", "1.5", "1e9", "99999999999", "", "soon", "Wed, 99 Oct 2025"])
    func ignores(value: String) {
        #expect(RateLimitHeaders.retryAfter(value, now: Self.now) == nil)
    }

    @Test("A 429's wait is Retry-After when it has one, else X-RateLimit-Reset")
    func retryAfterFirst() throws {
        let reset = Int(Date().timeIntervalSince1970) + 50
        let both = Self.failure(429, headers: [("Retry-After", "3"), ("X-RateLimit-Reset", "\(reset)")])
        let waitBoth = try #require(both.rateLimitReset).timeIntervalSinceNow
        #expect(waitBoth > 1 && waitBoth <= 3)
        let resetOnly = Self.failure(429, headers: [("X-RateLimit-Reset", "\(reset)")])
        #expect(resetOnly.rateLimitReset == Date(timeIntervalSince1970: TimeInterval(reset)))
        let withBody = Self.failure(
            429, headers: [("Retry-After", "3")],
            body: #"{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"Exceeded rate limit"}]}"#)
        #expect(try #require(withBody.rateLimitReset).timeIntervalSinceNow <= 3)
    }

    @Test("A 503 with Retry-After says when to ask again; the policy waits that long")
    func serviceUnavailable() throws {
        let failure = Self.failure(
            503, headers: [("Retry-After", "4")],
            body: #"{"type":"error.list","errors":[{"code":"server_error","message":"Service Unavailable"}]}"#)
        #expect(failure.kind == .serverError)
        let at = try #require(failure.rateLimitReset)
        let policy = RetryPolicy(baseDelay: .milliseconds(100), now: { at.addingTimeInterval(-4) })
        #expect(policy.delay(after: failure, attempt: 1) == .seconds(4))
        // Without the header the policy backs off as before.
        let plain = Self.failure(503, headers: [])
        #expect(plain.rateLimitReset == nil)
        #expect(policy.delay(after: plain, attempt: 1) == .milliseconds(100))
    }

    @Test("The policy never waits longer than its bound, however far Retry-After points")
    func bounded() throws {
        let failure = Self.failure(429, headers: [("Retry-After", "86400")])
        let policy = RetryPolicy(maxRateLimitWait: .seconds(60))
        #expect(policy.delay(after: failure, attempt: 1) == .seconds(60))
    }

    @Test("The pacer sees nothing left until Retry-After passes, whatever Remaining says")
    func pacerStatus() throws {
        let headers = HTTPHeaders([
            ("X-RateLimit-Limit", "1000"), ("X-RateLimit-Remaining", "400"),
            ("X-RateLimit-Reset", "\(Int(Self.now.timeIntervalSince1970) + 2)"), ("Retry-After", "9"),
        ])
        let status = try #require(RateLimitHeaders(headers, now: Self.now).status)
        #expect(status.remaining == 0)
        #expect(status.reset == Self.now.addingTimeInterval(9))
        #expect(status.limit == 1000)
        let plain = try #require(
            RateLimitHeaders(
                HTTPHeaders([
                    ("X-RateLimit-Remaining", "400"), ("X-RateLimit-Reset", "\(Int(Self.now.timeIntervalSince1970) + 2)"),
                ]), now: Self.now
            ).status)
        #expect(plain.remaining == 400)
    }
}
