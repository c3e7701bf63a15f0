import IntercomMockStore
import RelinkCommands
import RelinkCore
import RelinkStore

/// The values completion offers that live in the store: project keys, the teammates' emails and
/// the workspaces (the mock's world is read from the store, never from the mock). Read once per REPL.
final class CompletionSource: @unchecked Sendable {
    // @unchecked: used from the REPL's one thread only (libedit calls completion while reading).
    let store: Store
    private var world: (emails: [String], workspaces: [String])?

    init(store: Store) {
        self.store = store
    }

    func values(_ kind: ValueKind) -> [String] {
        switch kind {
        case .projectKey: store.projectKeys.map(\.rawValue)
        case .email: known().emails
        case .workspace: known().workspaces
        case .issueKey: projects.flatMap { $0.links.map(\.issueKey) }
        case .issueOrProject: store.projectKeys.map(\.rawValue) + projects.flatMap { $0.links.map(\.issueKey) }
        case .conversationID: Array(Set(projects.flatMap { $0.links.flatMap(\.conversationIds) })).sorted()
        case .outboxTarget: projects.flatMap { [$0.key.rawValue] + $0.outbox.map(\.id) }
        default: []
        }
    }

    /// Every project; none when a record does not read (completion offers what it can, and the
    /// command itself names the damage).
    private var projects: [Project] { (try? store.projects) ?? [] }

    /// The mock world's teammates and workspaces, and the app users and workspaces the store knows.
    private func known() -> (emails: [String], workspaces: [String]) {
        if let world { return world }
        let authorizations = ((try? store.connections) ?? [:]).values.compactMap(\.state.authorization)
        var emails = Set(authorizations.map(\.appUser.email))
        var workspaces = Set(authorizations.map(\.workspace.id))
        if let saved = try? store.loadWorld() {
            emails.formUnion(saved.teammates.map(\.email))
            workspaces.formUnion(saved.workspaces.map(\.idCode))
        }
        let known = (emails.sorted(), workspaces.sorted())
        world = known
        return known
    }
}
