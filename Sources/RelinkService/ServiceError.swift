import IntercomClient
import RelinkCore

/// Why a lifecycle command failed, with what to do next. Never holds a secret.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownProject(ProjectKey, suggestion: String?)
    case refused(LifecycleError)
    case intercom(IntercomFailure, during: String)
    case authorization(String)
    case configuration(String)
    case notOnRealAPI(String)
    case missingToken(ProjectKey)

    public var description: String {
        switch self {
        case .unknownProject(let key, let suggestion):
            "no project \(key)" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (projects lists them)"
        case .refused(let error):
            error.description
        case .intercom(let failure, let during):
            "\(during): \(failure)"
        case .authorization(let message), .configuration(let message), .notOnRealAPI(let message):
            message
        case .missingToken(let key):
            "the store has no token for \(key)'s connection (was secrets.json replaced?); reconnect \(key) to authorize again"
        }
    }
}
