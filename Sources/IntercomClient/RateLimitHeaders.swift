import Foundation
import IntercomAPI
import NIOHTTP1

/// Intercom's rate-limit headers (`X-RateLimit-Limit`, `-Remaining`, `-Reset`) and `Retry-After`
/// as values.
struct RateLimitHeaders: Equatable, Sendable {
    /// Requests allowed per window.
    var limit: Int?
    /// Requests left in the current window.
    var remaining: Int?
    /// When the window resets (the header is Unix seconds).
    var reset: Date?
    /// When `Retry-After` says to ask again, resolved against the clock when the answer arrived.
    var retryAfter: Date?

    init(limit: Int? = nil, remaining: Int? = nil, reset: Date? = nil, retryAfter: Date? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
        self.retryAfter = retryAfter
    }

    /// The headers of an answer received at `now`; a missing or malformed header is `nil`.
    init(_ headers: HTTPHeaders, now: Date = Date()) {
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
        retryAfter = headers.first(name: RateLimitHeader.retryAfter).flatMap { Self.retryAfter($0, now: now) }
    }

    /// When to ask again: `Retry-After` first, then `X-RateLimit-Reset` (the order of Intercom's SDKs).
    var retryAt: Date? { retryAfter ?? reset }

    /// The headers as a status a pacing caller can use: `nil` unless both `Remaining` and `Reset`
    /// are there. A `Retry-After` means nothing is left until it passes, whatever `Remaining` says.
    var status: RateLimitStatus? {
        if let retryAfter {
            return RateLimitStatus(limit: limit, remaining: 0, reset: max(retryAfter, reset ?? retryAfter))
        }
        guard let remaining, let reset else { return nil }
        return RateLimitStatus(limit: limit, remaining: max(remaining, 0), reset: reset)
    }

    /// A `Retry-After` value: whole seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
    /// and the two obsolete forms RFC 9110 §5.6.7 says a recipient must accept). Anything else, a
    /// negative number included, is ignored.
    static func retryAfter(_ value: String, now: Date) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // A huge number is a header not to believe in full: the waits that use it are bounded.
            guard let seconds = Double(text), seconds.isFinite, seconds < 1e9 else { return nil }
            return now.addingTimeInterval(seconds)
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// IMF-fixdate, RFC 850 and asctime, in that order.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy",
    ]
}
