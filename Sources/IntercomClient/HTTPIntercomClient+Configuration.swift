import AsyncHTTPClient
import IntercomAPI
import NIOCore

extension HTTPIntercomClient {
    /// The AsyncHTTPClient configuration relink recommends for talking to Intercom, for a caller
    /// that owns its `HTTPClient` (and shuts it down) rather than using `HTTPClient.shared`.
    ///
    /// - Redirects are not followed: Intercom's API does not redirect, so a redirect means a wrong
    ///   endpoint, and the answer should say so rather than be chased.
    /// - A refused connection fails at once as ``IntercomFailure/Kind/unreachable``; by default
    ///   AsyncHTTPClient keeps retrying the connect until the request's deadline, which turns a
    ///   down host into a wait of the full timeout for every check.
    /// - No tracer: relink records no spans, and AsyncHTTPClient's default (the global no-op
    ///   tracer) still built a span per request, about 3% of a `check --all`'s CPU.
    /// - `maxConnectionsPerHost` bounds the connections to one host (the shared client allows 8),
    ///   which is what caps the throughput of `check --all`.
    public static func recommendedConfiguration(maxConnectionsPerHost: Int = 8) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnectionsPerHost))
        configuration.connectionPool.retryConnectionEstablishment = false
        // A compressed body is bounded too: at most 25 times the bytes read.
        configuration.decompression = .enabled(limit: .ratio(25))
        configuration.tracing.tracer = nil
        return configuration
    }
}

extension HTTPIntercomClient {
    /// One process-wide client with ``recommendedConfiguration(maxConnectionsPerHost:)``, for callers
    /// that are given none (tests, tools). relink itself passes the client its composition root
    /// builds. Never shut down, like `HTTPClient.shared`, but it does not follow redirects.
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: recommendedConfiguration())
}
