/// Why the OAuth authorize step gave no code.
public enum OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The redirect's `state` is missing or not the one sent: possibly a forged redirect.
    case stateMismatch
    /// The redirect carries neither a code nor an error.
    case missingCode
    /// The person declined to authorize the app (`error=access_denied`).
    case accessDenied
    /// Intercom redirected with another `error`.
    case authorizationFailed(error: String, description: String?)
    /// No matching redirect arrived in time.
    case timedOut(after: Duration)
    /// The redirect URL could not be read.
    case invalidRedirect(String)
    /// The loopback listener could not start or failed while listening.
    case listenerFailed(String)

    /// "45 s", "5 min", "2 min 30 s": how long, as a person says it.
    public static func spoken(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds < 60 { return "\(seconds) s" }
        return "\(seconds / 60) min" + (seconds % 60 == 0 ? "" : " \(seconds % 60) s")
    }

    public var description: String {
        switch self {
        case .stateMismatch:
            "The redirect's state does not match the one relink sent; it was ignored. Start the connect again."
        case .missingCode:
            "The redirect carries no authorization code. Start the connect again."
        case .accessDenied:
            "The app was not authorized: the teammate declined access. Connect again and allow access."
        case .authorizationFailed(let error, let description):
            "Intercom refused the authorization (\(error)\(description.map { ": \($0)" } ?? "")). Connect again."
        case .timedOut(let after):
            "Timed out: no authorization redirect arrived in \(Self.spoken(after)). Connect again, or paste the code instead."
        case .invalidRedirect(let reason):
            "The redirect could not be read: \(reason)."
        case .listenerFailed(let reason):
            "The local redirect listener failed: \(reason). Paste the code instead."
        }
    }
}
