import Foundation

/// Intercom's rule for a registered OAuth redirect URL: HTTPS, or a loopback `http://` URL
/// (127.0.0.1, localhost, [::1]) for a development app only. `config set redirect-url` and the
/// mock's `/oauth` both apply it.
public enum RedirectURL {
    public enum Kind: Equatable, Sendable {
        case https
        /// Acceptable for a development app only.
        case loopbackHTTP
        /// http to a host that is not loopback, or another scheme.
        case insecure
        /// Intercom appends `?code=…&state=…`; a fragment would swallow them.
        case hasFragment
        case notAURL
    }

    /// The loopback hosts a development app may register over plain http.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "[::1]", "::1"]

    public static func kind(of value: String) -> Kind {
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return .notAURL }
        if components.fragment != nil { return .hasFragment }
        if scheme == "https" { return .https }
        if scheme == "http", loopbackHosts.contains(host) { return .loopbackHTTP }
        return .insecure
    }

    /// Whether an app may register `value`: `development` apps also loopback http ones.
    public static func isRegistrable(_ value: String, development: Bool) -> Bool {
        switch kind(of: value) {
        case .https: true
        case .loopbackHTTP: development
        case .insecure, .hasFragment, .notAURL: false
        }
    }
}
