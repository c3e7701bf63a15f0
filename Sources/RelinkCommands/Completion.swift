import IntercomMockFaults
import RelinkCore

/// What Tab offers in the REPL, read from the table: command names, then, word by word, the
/// values of the positional or option being typed and the options not given yet.
public struct Completion: Sendable {
    /// The values the REPL knows for a kind of word (project keys, emails, workspaces); the kinds
    /// the language itself knows (causes, fault kinds) need no source.
    let values: @Sendable (ValueKind) -> [String]
    /// The paths on this machine that start with the word typed (`export`, `import`): directories
    /// end with `/`, so that Tab goes on into them.
    let paths: @Sendable (String) -> [String]

    public init(
        values: @escaping @Sendable (ValueKind) -> [String], paths: @escaping @Sendable (String) -> [String] = { _ in [] }
    ) {
        self.values = values
        self.paths = paths
    }

    /// The candidates for `word`, the word being typed at the end of `line`.
    public func candidates(line: String, word: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let completed = line.hasSuffix(" ") || words.isEmpty ? words : Array(words.dropLast())
        let options = offers(after: completed, word: word)
        var seen: Set<String> = []
        return options.filter { $0.lowercased().hasPrefix(word.lowercased()) && seen.insert($0).inserted }.sorted()
    }

    private func offers(after completed: [String], word: String) -> [String] {
        guard !completed.isEmpty else { return CommandTable.topLevelNames }
        let matching = CommandTable.all.filter { completed.starts(with: $0.words) }
        guard let spec = matching.max(by: { $0.words.count < $1.words.count }) else {
            // Inside a group's name: offer its next words.
            return CommandTable.all.filter { $0.words.count > completed.count && $0.words.starts(with: completed) }
                .map { $0.words[completed.count] }
        }
        let rest = Array(completed.dropFirst(spec.words.count))
        if let last = rest.last, let option = spec.option(named: last), let kind = option.kind {
            return kind == .path ? paths(word) : values(for: kind)
        }
        var positionals: [String] = []
        var index = 0
        while index < rest.count {
            if let option = spec.option(named: rest[index]) {
                index += option.isFlag ? 1 : 2
            } else {
                positionals.append(rest[index])
                index += 1
            }
        }
        let positionalCount = positionals.count
        var offers = spec.options.map(\.name).filter { !rest.contains($0) }
        if rest.isEmpty {
            // A command that is also a group (`config`, `config set`): its subcommands too.
            offers += CommandTable.all.filter { $0.words.count > completed.count && $0.words.starts(with: completed) }
                .map { $0.words[completed.count] }
        }
        let next =
            spec.positionals.indices.contains(positionalCount)
            ? spec.positionals[positionalCount] : spec.positionals.last.flatMap { $0.repeats ? $0 : nil }
        if let next {
            offers += next.kind == .path ? paths(word) : values(for: next.kind)
            offers += values(of: spec, after: positionals)
        }
        return offers
    }

    /// A value that depends on the words before it: `config set region` takes a region,
    /// `settings SUP a.bool.field` true or false.
    private func values(of spec: CommandSpec, after positionals: [String]) -> [String] {
        switch (spec.name, positionals.count) {
        case ("config set", 1):
            switch RealAPISetting(rawValue: positionals[0].lowercased()) {
            case .region: Region.allCases.map { $0.rawValue.lowercased() }
            default: []
            }
        case ("settings", 2):
            ConnectionConfiguration.settingField(positionals[1])?.kind == .bool ? ["true", "false"] : []
        default: []
        }
    }

    private func values(for kind: ValueKind) -> [String] {
        switch kind {
        case .cause: BreakCause.allCases.map(\.rawValue)
        case .faultKind: FaultSpec.Kind.allCases.map(\.rawValue)
        case .faultBody: FaultSpec.Body.allCases.map(\.rawValue)
        case .httpMethod: ["GET", "POST", "PUT", "DELETE"]
        case .commandName: CommandTable.topLevelNames + CommandTable.helpTopics.filter { !CommandTable.topLevelNames.contains($0) }
        case .setting: RealAPISetting.allCases.map(\.rawValue)
        case .apiPath: ["/me", "/admins", "/auth/eagle/token", "/oauth", "*"]
        case .settingPath: ConnectionConfiguration.settingFields.map(\.path)
        default: values(kind)
        }
    }
}
