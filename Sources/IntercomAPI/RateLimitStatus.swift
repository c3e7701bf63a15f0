import Foundation

/// What one answer's `X-RateLimit-*` headers said about the current window: how many requests it
/// allows (`X-RateLimit-Limit`), how many are left (`-Remaining`) and when it ends (`-Reset`,
/// Unix seconds). Intercom sends them on authenticated answers; a pacing caller reads them.
public struct RateLimitStatus: Equatable, Sendable {
    /// Requests the window allows; `nil` when the header was missing.
    public var limit: Int?
    public var remaining: Int
    public var reset: Date

    public init(limit: Int?, remaining: Int, reset: Date) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }
}
