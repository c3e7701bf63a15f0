import AsyncHTTPClient
import Foundation
import NIOSSL

/// The HTTP clients every call to Intercom goes through: one direct, and one through the HTTPS
/// proxy when one is set, both with the same TLS trust (the system's roots and `SSL_CERT_FILE`'s).
///
/// AsyncHTTPClient takes its proxy per client, not per request, and knows no `NO_PROXY`: so the
/// choice is made here, per URL (``NetworkSettings/proxy(for:)``). Whoever makes the transport
/// shuts it down.
public final class HTTPTransport: Sendable {
    public let settings: NetworkSettings
    /// The client for requests that go around the proxy (and for every request when none is set).
    public let direct: HTTPClient
    private let proxied: HTTPClient?

    /// Clients for `settings`; fails before any request when `SSL_CERT_FILE` cannot be read.
    /// - Parameter proxying: false for a transport that only ever reaches the mock on this machine.
    public init(
        settings: NetworkSettings, proxying: Bool = true,
        configuration: HTTPClient.Configuration = HTTPIntercomClient.recommendedConfiguration()
    ) throws(NetworkSettingsError) {
        var configuration = configuration
        if let path = settings.extraTrustRoots {
            var tls = configuration.tlsConfiguration ?? TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.certificates(try Self.certificates(at: path))]
            configuration.tlsConfiguration = tls
        }
        self.settings = settings
        direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if proxying, let proxy = settings.httpsProxy {
            var through = configuration
            through.proxy = .server(
                host: proxy.host, port: proxy.port,
                authorization: proxy.username.map { .basic(username: $0, password: proxy.password ?? "") })
            proxied = HTTPClient(eventLoopGroupProvider: .singleton, configuration: through)
        } else {
            proxied = nil
        }
    }

    /// One client, owned by the caller: for tests and benchmarks that bring their own.
    public init(client: HTTPClient) {
        settings = NetworkSettings()
        direct = client
        proxied = nil
    }

    /// The client for a request to `url`.
    public func client(for url: String) -> HTTPClient {
        guard let proxied, let parsed = URL(string: url), settings.proxy(for: parsed) != nil else { return direct }
        return proxied
    }

    /// The proxy a request to `url` goes through, for messages.
    public func proxy(for url: String) -> ProxyAddress? {
        guard proxied != nil, let parsed = URL(string: url) else { return nil }
        return settings.proxy(for: parsed)
    }

    /// Closes both clients.
    public func shutdown() async throws {
        try await direct.shutdown()
        try await proxied?.shutdown()
    }

    /// The certificates of a PEM bundle, read now so that a wrong path is said at start, not at the
    /// first connection inside the pool.
    ///
    /// - Throws: ``NetworkSettingsError/unreadableTrustRoots(path:reason:)``.
    public static func certificates(at path: String) throws(NetworkSettingsError) -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadableTrustRoots(path: path, reason: "no readable file is there")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .unreadableTrustRoots(path: path, reason: "it is not a PEM file of certificates (\(error))")
        }
        guard !certificates.isEmpty else {
            throw .unreadableTrustRoots(path: path, reason: "it holds no PEM certificate")
        }
        return certificates
    }
}
