import Foundation
import IntercomMockWorld

extension MockIntercom {
    /// Applies a rate-limit edit to the world and saves it; the counts start afresh, so new limits
    /// take effect at once instead of after the window in progress. Throws ``MockError`` for an
    /// edit that cannot apply, or a persistence error.
    public func setRateLimit(_ edit: MockControlAPI.RateLimitEdit) throws -> MockWorld.RateLimit {
        let limits = try edit.applied(to: world.rateLimit)
        try commit { $0.rateLimit = limits }
        try withActivity {
            // Every process on the store forgets its counts when it reads the mark.
            pendingLines.append(.mark(.rateLimitsChanged))
            rateCounters.removeAll()
        }
        return limits
    }

    /// The rate-limit counts as they stand, counting every process's requests (for inspection and tests).
    public func rateLimitCounters() throws -> RateLimitCounters {
        try withActivity { rateCounters }
    }
}
