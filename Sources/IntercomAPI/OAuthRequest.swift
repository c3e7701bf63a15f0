import Foundation

/// One OAuth authorize step: the app's client id, the `state` that ties the redirect to this
/// request, and the redirect URI (the app's registered default when `nil`).
public struct OAuthRequest: Equatable, Sendable {
    public var clientID: String
    public var state: String
    public var redirectURI: String?

    /// A request with a fresh random state unless one is given.
    public init(clientID: String, state: String = OAuthRequest.randomState(), redirectURI: String? = nil) {
        self.clientID = clientID
        self.state = state
        self.redirectURI = redirectURI
    }

    /// 32 bytes from the system's cryptographic generator, as 64 hex digits: unguessable, so a
    /// forged redirect cannot carry it.
    public static func randomState() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
    }

    /// Where to send the person: `authorizeURL?client_id=…&state=…[&redirect_uri=…]`.
    public func authorizeURL(endpoint: IntercomEndpoint) -> URL {
        var components = URLComponents(string: endpoint.authorizeURL) ?? URLComponents()
        var items = components.queryItems ?? []
        items.append(URLQueryItem(name: "client_id", value: clientID))
        items.append(URLQueryItem(name: "state", value: state))
        if let redirectURI { items.append(URLQueryItem(name: "redirect_uri", value: redirectURI)) }
        components.queryItems = items
        // `URLQueryItem` leaves `+`, `&`-free but `:`/`/` as they are; `+` would read as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url ?? URL(string: endpoint.authorizeURL)!
    }

    /// The authorization code of a redirect, once its `state` is checked.
    ///
    /// Throws ``OAuthError/stateMismatch`` when the state is missing or not `expectedState` (checked
    /// first, so a forged redirect learns nothing), ``OAuthError/accessDenied`` for
    /// `error=access_denied`, ``OAuthError/authorizationFailed(error:description:)`` for another
    /// error, ``OAuthError/missingCode`` when there is no code.
    public static func code(fromRedirect redirect: URL, expectedState: String) throws(OAuthError) -> String {
        guard let components = URLComponents(url: redirect, resolvingAgainstBaseURL: false) else {
            throw .invalidRedirect("not a URL")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] where query[item.name] == nil {
            query[item.name] = item.value ?? ""
        }
        guard let state = query["state"], constantTimeEqual(state, expectedState) else {
            throw .stateMismatch
        }
        if let error = query["error"] {
            if error == "access_denied" { throw .accessDenied }
            throw .authorizationFailed(error: error, description: query["error_description"])
        }
        guard let code = query["code"], !code.isEmpty else {
            throw .missingCode
        }
        return code
    }

    /// Compares without stopping at the first difference, so timing tells nothing about the state.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
