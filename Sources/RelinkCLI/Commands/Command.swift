import RelinkCore

/// One command of relink's language (DESIGN.md §5), parsed and checked for usage.
enum Command: Equatable, Sendable {
    case projects
    case show(ProjectKey)
    case connect(ProjectKey, teammate: String?, workspace: String?, password: String?, method: AuthorizationMethod)
    case check(keys: [ProjectKey], all: Bool)
    case breakConnection(ProjectKey, BreakCause)
    case reconnect(
        ProjectKey, teammate: String?, workspace: String?, allowWorkspaceChange: Bool, password: String?,
        method: AuthorizationMethod)
    case revoke(ProjectKey)
    case appUser(ProjectKey, teammate: String, allowWorkspaceChange: Bool, password: String?)
    case log(ProjectKey?, limit: Int?)
    case world
    case mockFault(MockFaultCommand)
    case mockJournal(limit: Int?)
    case mockReset
    case export(path: String)
    case help(String?)
    case quit

    enum MockFaultCommand: Equatable, Sendable {
        case add(path: String, kind: String, options: [String: String])
        case list
        case clear(id: String?)
    }
}
