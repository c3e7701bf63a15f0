import Foundation
import RelinkCore

/// Where relink finds Intercom: the API host, the authorize page and the token exchange.
///
/// The real API has one host per region but a single authorize page and a single token exchange
/// (design §2); a mock serves all three on one base URL.
public struct IntercomEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The API base, no trailing slash, e.g. `https://api.eu.intercom.io`.
    public let apiBaseURL: String
    /// The page a person is sent to for the OAuth authorize step.
    public let authorizeURL: String
    /// Where an authorization code is exchanged for a token.
    public let tokenURL: String
    /// The region the host serves, or `nil` for a custom base URL.
    public let region: Region?

    /// The real Intercom for a region.
    public static func production(region: Region) -> IntercomEndpoint {
        let host =
            switch region {
            case .us: "https://api.intercom.io"
            case .eu: "https://api.eu.intercom.io"
            case .au: "https://api.au.intercom.io"
            }
        return IntercomEndpoint(
            apiBaseURL: host, authorizeURL: "https://app.intercom.com/oauth",
            tokenURL: "https://api.intercom.io/auth/eagle/token", region: region)
    }

    /// A mock (or any stand-in) serving the API, `/oauth` and `/auth/eagle/token` on one base URL.
    public static func custom(baseURL: String) -> IntercomEndpoint {
        var base = baseURL
        // A trailing slash would give `//me`, which routers treat as another path.
        while base.hasSuffix("/") { base.removeLast() }
        return IntercomEndpoint(
            apiBaseURL: base, authorizeURL: base + "/oauth", tokenURL: base + "/auth/eagle/token", region: nil)
    }

    /// This endpoint with its authorize page at `authorizeURL` (nil: unchanged).
    public func authorizing(at authorizeURL: String?) -> IntercomEndpoint {
        guard let authorizeURL else { return self }
        return IntercomEndpoint(apiBaseURL: apiBaseURL, authorizeURL: authorizeURL, tokenURL: tokenURL, region: region)
    }

    /// The API base URL, for messages.
    public var description: String { apiBaseURL }

    /// The full URL of an API path such as `/me`.
    public func url(_ path: String) -> String {
        apiBaseURL + path
    }
}
