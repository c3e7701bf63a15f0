import RelinkCore

/// Intercom as relink reaches it, real or mock: the API of the host that serves a region, the
/// OAuth endpoints, and a loopback listener for an authorization's redirect.
///
/// The connection service knows Intercom only through this protocol, so it can run against the
/// real API, a live mock or an in-memory fake alike.
public protocol IntercomGateway: Sendable {
    /// The region whose host new connections go to; `nil` when one host serves every region, as a
    /// mock does.
    var defaultRegion: Region? { get }

    /// The authorize page and the token exchange, which are the same for every region.
    var oauthEndpoint: IntercomEndpoint { get }

    /// The API client for the host that serves `region` (`nil`: the default host).
    func client(for region: Region?) -> any IntercomAPIClient

    /// Starts a one-shot listener for the redirect that ends an authorization: where `registeredURI`
    /// (a loopback http URL registered for a development app) points, or on a free loopback port.
    func listenForRedirect(expectedState: String, timeout: Duration, registeredURI: String?) async throws(OAuthError)
        -> any RedirectReceiver
}

/// A listener waiting for the one redirect of an authorization.
public protocol RedirectReceiver: Sendable {
    /// The redirect URI to send in the authorize URL.
    var redirectURI: String { get }

    /// Waits for the redirect and answers its code, after checking its `state`.
    func waitForCode() async throws(OAuthError) -> String
}
