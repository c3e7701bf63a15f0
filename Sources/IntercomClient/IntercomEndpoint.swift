import Foundation

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
    /// The region the host serves (`US`, `EU`, `AU`), or `nil` for a custom base URL.
    public let region: String?

    /// The regions Intercom hosts workspaces in, as `GET /me` names them in `app.region`.
    public static let knownRegions = ["US", "EU", "AU"]

    /// The real Intercom for a region: `US`, `EU` or `AU` (any case).
    ///
    /// An unknown region gets the US host, which is Intercom's default and also serves the token
    /// exchange; callers that take a region from a person check it against ``knownRegions`` first.
    public static func production(region: String) -> IntercomEndpoint {
        let normalized = region.uppercased()
        let host: String
        switch normalized {
        case "EU": host = "https://api.eu.intercom.io"
        case "AU": host = "https://api.au.intercom.io"
        default: host = "https://api.intercom.io"
        }
        return IntercomEndpoint(
            apiBaseURL: host, authorizeURL: "https://app.intercom.com/oauth",
            tokenURL: "https://api.intercom.io/auth/eagle/token",
            region: knownRegions.contains(normalized) ? normalized : "US")
    }

    /// A mock (or any stand-in) serving the API, `/oauth` and `/auth/eagle/token` on one base URL.
    public static func custom(baseURL: String) -> IntercomEndpoint {
        var base = baseURL
        // A trailing slash would give `//me`, which routers treat as another path.
        while base.hasSuffix("/") { base.removeLast() }
        return IntercomEndpoint(
            apiBaseURL: base, authorizeURL: base + "/oauth", tokenURL: base + "/auth/eagle/token", region: nil)
    }

    /// The API base URL, for messages.
    public var description: String { apiBaseURL }

    /// The full URL of an API path such as `/me`.
    func url(_ path: String) -> String {
        apiBaseURL + path
    }
}
