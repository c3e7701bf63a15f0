import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// Why a lifecycle command failed, with what to do next. Never holds a secret.
///
/// Each failure keeps its own type until a person reads it: a store failure stays a
/// ``RelinkStore/StoreError``, a refusal of the mock's control API a ``MockControlError``.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownProject(ProjectKey, suggestion: String?)
    case refused(LifecycleError)
    case intercom(IntercomFailure, during: String)
    case authorization(String)
    /// Something relink needs to be set up is missing (the OAuth app's credentials).
    case configuration(String)
    case notOnRealAPI(String)
    case missingToken(ProjectKey)
    /// The store could not be read or changed.
    case store(StoreError)
    /// The mock's control API refused, or could not be reached.
    case mock(MockControlError, doing: String)
    /// The task was cancelled (Ctrl-C) before every project was checked: `done` holds the checks
    /// that finished and were recorded, `notChecked` the projects left as they were.
    case checkInterrupted(done: [CheckResult], notChecked: [ProjectKey])
    /// The app's work (links, notes, the outbox) was refused.
    case work(WorkRefusal)

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
        case .store(let error):
            error.description
        case .mock(let error, let doing):
            "\(doing): \(error)"
        case .work(let refusal):
            refusal.description
        case .checkInterrupted(let done, let notChecked):
            "interrupted: checked \(done.count) of \(done.count + notChecked.count); not checked (left as they were): "
                + notChecked.map(\.rawValue).joined(separator: ", ")
        }
    }
}

extension ServiceError {
    /// What `read` gives from the store, a record that cannot be read (`StoreError`) becoming
    /// `.store`: for reads inside functions that throw `ServiceError`.
    static func reading<T>(_ read: @autoclosure () throws(StoreError) -> T) throws(ServiceError) -> T {
        do { return try read() } catch { throw .store(error) }
    }
}
