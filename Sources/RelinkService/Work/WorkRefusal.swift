import RelinkCore

/// Why the app's work (linking, notes, the outbox) was refused, with what to do next.
public enum WorkRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Linking needs the connection, to ask Intercom whether the conversation exists.
    case notConnected(ProjectKey)
    /// The connection is broken: the warning says why and what repairs it.
    case broken(ProjectKey, warning: String)
    case conversationNotFound(String, workspace: Workspace)
    case notLinked(IssueKey, [String])
    case unknownOutboxItem(String)
    /// Work arose on a project that was never connected: its conversations belong to no known workspace.
    case noWorkspace(ProjectKey)

    public var description: String {
        switch self {
        case .notConnected(let key):
            "\(key) is not connected: linking asks Intercom whether the conversation exists; connect \(key) first"
        case .broken(let key, let warning):
            "\(key)'s connection is broken, so Intercom cannot be asked whether the conversation exists. \(warning)"
        case .conversationNotFound(let id, let workspace):
            "Intercom has no conversation \(id) in the \(workspace.name) workspace (\(workspace.id)); nothing was linked"
        case .notLinked(let issue, let ids):
            "\(issue) is not linked to \(ids.joined(separator: ", ")) (links \(issue) lists its links); nothing was unlinked"
        case .unknownOutboxItem(let id):
            "no outbox item \(id) (outbox lists them)"
        case .noWorkspace(let key):
            "\(key) was never connected, so its links name conversations of no known workspace; connect \(key) first"
        }
    }
}
