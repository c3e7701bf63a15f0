import Foundation
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

    /// The files and directories whose path starts with `word` (`~/` is the home directory, and is
    /// kept as typed); directories end with `/`. Hidden entries only when the word asks for them.
    @Sendable static func paths(startingWith word: String) -> [String] {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let expanded = word.hasPrefix("~/") ? home + word.dropFirst(1) : word
        let slash = expanded.lastIndex(of: "/")
        let directory = slash.map { String(expanded[...$0]) } ?? ""
        let prefix = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
        let typedDirectory = word.lastIndex(of: "/").map { String(word[...$0]) } ?? ""
        guard
            let entries = try? FileManager.default.contentsOfDirectory(
                atPath: directory.isEmpty ? FileManager.default.currentDirectoryPath : directory)
        else { return [] }
        return entries.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
            .prefix(200).map { entry in
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: directory + entry, isDirectory: &isDirectory)
                return typedDirectory + entry + (isDirectory.boolValue ? "/" : "")
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
