import IntercomMockFaults
import RelinkCore

/// One command of relink's language (DESIGN.md §5), parsed, checked for usage, and with every
/// value already of its type.
public enum Command: Equatable, Sendable {
    case projects
    case show(ProjectKey)
    case connect(ProjectKey, teammate: String?, workspace: String?, password: String?, method: AuthorizationMethod)
    /// `exitCode`: exit 3 when a connection checked is broken.
    case check(keys: [ProjectKey], all: Bool, deep: Bool = false, exitCode: Bool = false)
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
    /// `mock allowlist WORKSPACE [--off]`: the workspace's IP allowlist refuses this machine, or no longer.
    case mockAllowlist(workspace: String, refuses: Bool)
    /// `links`: every project's links; with an issue, its links; with a project, the project's.
    case links(IssueKey?, project: ProjectKey?)
    case link(IssueKey, conversations: [String])
    case unlink(IssueKey, conversations: [String])
    case comment(IssueKey, text: String)
    /// `assignee` nil: unassigned (`assign SUP-12 none`).
    case assign(IssueKey, assignee: String?)
    case transition(IssueKey, status: String)
    case outbox(ProjectKey?)
    case outboxDeliver(ProjectKey?)
    case outboxDiscard(DiscardTarget)
    case mockConversation(id: String)
    case export(path: String)
    /// `import PATH [--replace]`: rebuild a case from a support bundle.
    case importBundle(path: String, replace: Bool)
    /// `project add KEY NAME [--site SITE]`.
    case projectAdd(ProjectKey, name: String, site: String?)
    /// `project remove KEY [--force]`.
    case projectRemove(ProjectKey, force: Bool)
    /// `settings KEY [PATH [VALUE]]`: every setting, one, or one set to a value of its type.
    case settings(ProjectKey, path: String?, value: ConnectionConfiguration.SettingValue?)
    case verify
    case config(ConfigCommand)
    /// `ui [--port N] [--open] [--read-only]`: the settings page in a browser, served by this process.
    case ui(port: Int?, open: Bool, readOnly: Bool)
    /// `help`, or `help COMMAND` with the command's name as the table spells it (`mock fault add`).
    case help(String?)
    case quit

    /// `config`, `config set`, `config unset`: the real-API settings.
    public enum ConfigCommand: Equatable, Sendable {
        case show
        case set(RealAPISetting, value: String)
        /// `config set client-secret`: the value is read at a hidden prompt, never from the line.
        case setSecret(RealAPISetting)
        case unset(RealAPISetting)
    }

    /// `outbox discard SUP.7` (one item) or `outbox discard SUP` (all of the project's).
    public enum DiscardTarget: Equatable, Sendable {
        case item(String)
        case project(ProjectKey)
    }

    public enum MockFaultCommand: Equatable, Sendable {
        /// `mock fault add`, with every option checked against the fault's kind: the mock's own type.
        case add(FaultSpec)
        case list
        case clear(id: String?)
    }
}
