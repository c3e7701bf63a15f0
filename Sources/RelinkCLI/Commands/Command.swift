import RelinkCore

/// One command of relink's language (DESIGN.md §5), parsed and checked for usage.
enum Command: Equatable, Sendable {
    case projects
    case show(ProjectKey)
    case connect(ProjectKey, teammate: String?, workspace: String?, password: String?, method: ConnectMethod)
    case check(keys: [ProjectKey], all: Bool)
    case breakConnection(ProjectKey, BreakCause)
    case reconnect(
        ProjectKey, teammate: String?, workspace: String?, allowWorkspaceChange: Bool, password: String?, method: ConnectMethod)
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

    /// How to authorize against the real API.
    enum ConnectMethod: Equatable, Sendable {
        /// A browser and a one-shot loopback listener for the redirect.
        case browser
        /// Print the authorize URL, then read the code (or the whole redirect URL) pasted back.
        case pasteCode
        /// An access token typed at a hidden prompt.
        case accessToken
    }

    enum MockFaultCommand: Equatable, Sendable {
        case add(path: String, kind: String, options: [String: String])
        case list
        case clear(id: String?)
    }
}
