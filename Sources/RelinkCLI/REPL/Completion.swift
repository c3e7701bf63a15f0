import RelinkCore
import RelinkStore

/// What completion offers beyond the command table: the store's project keys and the teammates'
/// emails, read once per REPL (the mock's world is read from the store, never from the mock).
final class CompletionSource: @unchecked Sendable {
    // @unchecked: used from the REPL's one thread only (libedit calls completion while reading).
    let store: Store
    private var teammateEmails: [String]?

    init(store: Store) {
        self.store = store
    }

    var projectKeys: [String] { store.projectKeys.map(\.rawValue) }

    /// The mock world's teammates and the app users the store knows.
    var emails: [String] {
        if let teammateEmails { return teammateEmails }
        var emails = Set(store.projectKeys.compactMap { store.connection(for: $0).state.authorization?.appUser.email })
        if let world = try? store.loadWorld() { emails.formUnion(world.teammates.map(\.email)) }
        let sorted = emails.sorted()
        teammateEmails = sorted
        return sorted
    }
}

/// Tab completion: commands, project keys, causes, flags and teammate emails.
struct Completion {
    let source: CompletionSource

    func candidates(line: String, word: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let completed = line.hasSuffix(" ") || words.isEmpty ? words : Array(words.dropLast())
        let options: [String]
        if completed.isEmpty {
            options = CommandSpec.all.map(\.name)
        } else if let spec = CommandSpec.named(completed[0]) {
            options = arguments(for: spec, after: completed)
        } else {
            options = []
        }
        return options.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }

    private func arguments(for spec: CommandSpec, after words: [String]) -> [String] {
        let last = words.last ?? ""
        if spec.emailFlags.contains(last) { return source.emails }
        if spec.name == "help", words.count == 1 { return CommandSpec.all.map(\.name) }
        if spec.name == "mock" {
            if words.count == 1 { return ["fault", "journal", "reset"] }
            if words.count == 2, words[1] == "fault" { return ["add", "list", "clear"] }
            return []
        }
        let positionals = words.dropFirst().filter { !$0.hasPrefix("--") }
        if spec.name == "break", positionals.count == 1 { return BreakCause.allCases.map(\.rawValue) }
        var options = spec.flags.filter { !words.contains($0) }
        if spec.argument == .projectKey, positionals.isEmpty || spec.name == "check" {
            options += source.projectKeys
        }
        return options
    }
}
