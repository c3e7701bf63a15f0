/// A setting relink needs to reach the real Intercom API, as `config` names it (DESIGN.md §5).
public enum RealAPISetting: String, CaseIterable, Codable, Sendable {
    /// The OAuth app's client id (Developer Hub → your app → Basic information).
    case clientID = "client-id"
    /// The OAuth app's client secret: kept only in the store's 0600 secrets file, never shown.
    case clientSecret = "client-secret"
    /// The redirect URL registered for the OAuth app, sent as `redirect_uri`.
    case redirectURL = "redirect-url"
    /// The region whose host new connections go to: us, eu or au.
    case region
    /// The `Intercom-Version` every request carries.
    case intercomVersion = "intercom-version"
    /// The page a person authorizes at against Intercom's own hosts (default
    /// `https://app.intercom.com/oauth` for every region; Docs/intercom.md gives the sources).
    case authorizeURL = "authorize-url"

    /// Whether the value is a secret: typed at a hidden prompt, shown redacted.
    public var isSecret: Bool { self == .clientSecret }

    /// The environment variable that overrides the stored value, if one does.
    public var environmentVariable: String? {
        switch self {
        case .clientID: "INTERCOM_CLIENT_ID"
        case .clientSecret: "INTERCOM_CLIENT_SECRET"
        case .redirectURL: "INTERCOM_REDIRECT_URI"
        case .region, .intercomVersion, .authorizeURL: nil
        }
    }
}
