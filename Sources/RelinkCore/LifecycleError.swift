/// A transition the lifecycle refuses, with a message a person can act on.
public enum LifecycleError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyConnected(ProjectKey, ConnectionState.StateName)
    case notConnected(ProjectKey)
    case workspaceChangeNeedsConfirmation(ProjectKey, from: Workspace, to: Workspace)
    /// `app-user` naming the teammate who already is the app user.
    case alreadyAppUser(ProjectKey, String)

    public var description: String {
        switch self {
        case .alreadyConnected(let key, .broken):
            "\(key) already has a connection (broken); use `reconnect \(key)` to repair it."
        case .alreadyConnected(let key, _):
            "\(key) is already connected; use `reconnect \(key)` or `app-user \(key) --as EMAIL`."
        case .notConnected(let key):
            "\(key) is not connected to Intercom; use `connect \(key) --as EMAIL` first."
        case .alreadyAppUser(let key, let email):
            "\(email) is already \(key)'s app user; to replace its token, use `reconnect \(key)`."
        case .workspaceChangeNeedsConfirmation(let key, let from, let to):
            "\(key) was connected to \"\(from.name)\" (\(from.id)); connecting it to \"\(to.name)\" (\(to.id)) "
                + "leaves its conversation links pointing at the old workspace. "
                + "Add --allow-workspace-change to confirm."
        }
    }
}
