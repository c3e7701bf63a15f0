import AsyncHTTPClient
import IntercomAPI
import Logging
import RelinkCore

/// Intercom over HTTP: the real API (a host per region) or a mock at one base URL.
public struct HTTPIntercomGateway: IntercomGateway {
    /// Where the gateway sends requests.
    public enum Target: Sendable, Equatable {
        /// A mock Intercom at this base URL, which serves every region, `/oauth` and the token exchange.
        case mock(baseURL: String)
        /// The real Intercom API; new connections go to this region's host.
        case real(defaultRegion: Region)
    }

    public let target: Target
    let httpClient: HTTPClient
    let timeout: Duration
    let logger: Logger
    /// The `Intercom-Version` every client of this gateway sends.
    public let intercomVersion: String

    /// - Parameter httpClient: shared by every call; the caller owns it and shuts it down.
    public init(
        target: Target, httpClient: HTTPClient, timeout: Duration = .seconds(10),
        intercomVersion: String = IntercomVersion.current, logger: Logger
    ) {
        self.intercomVersion = intercomVersion
        self.target = target
        self.httpClient = httpClient
        self.timeout = timeout
        self.logger = logger
    }

    public var defaultRegion: Region? {
        if case .real(let region) = target { region } else { nil }
    }

    public var oauthEndpoint: IntercomEndpoint { endpoint(for: nil) }

    public func client(for region: Region?) -> any IntercomAPIClient {
        HTTPIntercomClient(
            endpoint: endpoint(for: region), httpClient: httpClient, timeout: timeout, intercomVersion: intercomVersion,
            logger: logger)
    }

    public func listenForRedirect(expectedState: String, timeout: Duration, registeredURI: String?)
        async throws(OAuthError) -> any RedirectReceiver
    {
        if let registeredURI {
            return try await LoopbackRedirectListener.start(
                expectedState: expectedState, timeout: timeout, registeredURI: registeredURI)
        }
        return try await LoopbackRedirectListener.start(expectedState: expectedState, timeout: timeout)
    }

    func endpoint(for region: Region?) -> IntercomEndpoint {
        switch target {
        case .mock(let baseURL): .custom(baseURL: baseURL)
        case .real(let defaultRegion): .production(region: region ?? defaultRegion)
        }
    }
}

extension LoopbackRedirectListener: RedirectReceiver {}
