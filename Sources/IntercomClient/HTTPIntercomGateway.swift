import AsyncHTTPClient
import IntercomAPI
import Logging
import RelinkCore

/// Intercom over HTTP: the real API (a host per region, or one address with `--real`) or a mock at
/// one base URL.
public struct HTTPIntercomGateway: IntercomGateway {
    /// Where the gateway sends requests.
    public enum Target: Sendable, Equatable {
        /// A mock Intercom at this base URL, which serves every region, `/oauth` and the token exchange.
        case mock(baseURL: String)
        /// The real Intercom API; new connections go to this region's host.
        case real(defaultRegion: Region)
        /// Intercom's real API at one address (a gateway, a stand-in: `--endpoint URL --real`):
        /// authorize at `URL/oauth`, exchange at `URL/auth/eagle/token`, no `/__mock/` control.
        case realAt(baseURL: String)

        /// Whether this is Intercom's real API (at its own hosts or at another address).
        public var isRealAPI: Bool {
            if case .mock = self { false } else { true }
        }
    }

    public let target: Target
    let transport: HTTPTransport
    /// The authorize page for `.real` (the `authorize-url` setting); nil for Intercom's default.
    let authorizeURL: String?
    let timeout: Duration
    let logger: Logger
    /// The `Intercom-Version` every client of this gateway sends.
    public let intercomVersion: String

    /// - Parameter httpClient: shared by every call; the caller owns it and shuts it down.
    public init(
        target: Target, httpClient: HTTPClient, timeout: Duration = .seconds(10),
        intercomVersion: String = IntercomVersion.current, logger: Logger
    ) {
        self.init(
            target: target, transport: HTTPTransport(client: httpClient), timeout: timeout,
            intercomVersion: intercomVersion, logger: logger)
    }

    /// - Parameters:
    ///   - transport: every call goes through it (directly, or through the HTTPS proxy as
    ///     `NO_PROXY` decides); the caller owns it and shuts it down.
    ///   - authorizeURL: the authorize page against Intercom's own hosts; nil for
    ///     `https://app.intercom.com/oauth`. Ignored for a mock or `.realAt`, whose page is `URL/oauth`.
    public init(
        target: Target, transport: HTTPTransport, authorizeURL: String? = nil, timeout: Duration = .seconds(10),
        intercomVersion: String = IntercomVersion.current, logger: Logger
    ) {
        self.intercomVersion = intercomVersion
        self.target = target
        self.transport = transport
        self.authorizeURL = authorizeURL
        self.timeout = timeout
        self.logger = logger
    }

    public var defaultRegion: Region? {
        if case .real(let region) = target { region } else { nil }
    }

    public var oauthEndpoint: IntercomEndpoint { endpoint(for: nil) }

    public func client(for region: Region?) -> any IntercomAPIClient {
        HTTPIntercomClient(
            endpoint: endpoint(for: region), transport: transport, timeout: timeout, intercomVersion: intercomVersion,
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
        case .mock(let baseURL), .realAt(let baseURL): .custom(baseURL: baseURL)
        case .real(let defaultRegion):
            IntercomEndpoint.production(region: region ?? defaultRegion).authorizing(at: authorizeURL)
        }
    }
}

extension LoopbackRedirectListener: RedirectReceiver {}
