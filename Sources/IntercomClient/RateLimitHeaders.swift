import Foundation
import IntercomAPI
import NIOHTTP1

/// Intercom's rate-limit headers (`X-RateLimit-Limit`, `-Remaining`, `-Reset`) as values.
struct RateLimitHeaders: Equatable, Sendable {
    /// Requests allowed per window.
    var limit: Int?
    /// Requests left in the current window.
    var remaining: Int?
    /// When the window resets (the header is Unix seconds).
    var reset: Date?

    init(limit: Int? = nil, remaining: Int? = nil, reset: Date? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// The headers of an answer; a missing or malformed header is `nil`.
    init(_ headers: HTTPHeaders) {
        // Only finite, sane numbers: a header of "inf" or "1e300" must not trap a conversion.
        func number(_ name: String) -> Double? {
            guard let value = headers.first(name: name).flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
                value.isFinite, abs(value) < 1e15
            else { return nil }
            return value
        }
        limit = number(RateLimitHeader.limit).map { Int($0) }
        remaining = number(RateLimitHeader.remaining).map { Int($0) }
        reset = number(RateLimitHeader.reset).map { Date(timeIntervalSince1970: $0) }
    }

    /// The headers as a status a pacing caller can use: `nil` unless both `Remaining` and `Reset` are there.
    var status: RateLimitStatus? {
        guard let remaining, let reset else { return nil }
        return RateLimitStatus(limit: limit, remaining: max(remaining, 0), reset: reset)
    }
}
