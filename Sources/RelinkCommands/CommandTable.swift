import RelinkCore

/// A group of commands as `help` lists them.
public struct CommandGroup: Sendable {
    /// The word `help` takes for it (`help mock`).
    public var keyword: String
    public var title: String
    public var commands: [CommandSpec]
}

/// relink's command language as one table (DESIGN.md §5). Parsing, `help`, `help COMMAND`, usage
/// lines and completion all read it; a command is one entry and nowhere else. The entries are
/// grouped in files by what they act on (`CommandTable+Connections`, `+Mock`, `+Work`, `+Cases`,
/// `+Config`); `all` keeps the order `help` lists them in.
public enum CommandTable {
    public static let all: [CommandSpec] = connections + mock + work + cases + config + page + repl

    /// The commands as `help` groups them; `help GROUP` lists one group by its keyword.
    public static let groups: [CommandGroup] = [
        CommandGroup(keyword: "connections", title: "Connections", commands: connections),
        CommandGroup(keyword: "mock", title: "The mock Intercom", commands: mock),
        CommandGroup(keyword: "work", title: "The app's work", commands: work),
        CommandGroup(keyword: "cases", title: "Cases and the store", commands: cases),
        CommandGroup(keyword: "real-api", title: "Real-API settings", commands: config),
        CommandGroup(keyword: "page", title: "The settings page in a browser", commands: page),
        CommandGroup(keyword: "repl", title: "The REPL", commands: repl),
    ]

    /// The commands a `help` topic names: a group's, every one for `all`, none for `mock serve`
    /// (the shell's, not the REPL's), else those under the name (`mock fault`).
    public static func commands(forHelpTopic topic: String) -> [CommandSpec] {
        if topic == "all" { return all }
        if let group = groups.first(where: { $0.keyword == topic }) { return group.commands }
        return topic == "mock serve" ? [] : entries(under: topic)
    }

    /// What `help` takes besides a command's name: a group's keyword, or `all` for every command.
    public static var helpTopics: [String] { groups.map(\.keyword) + ["all"] }

    /// The REPL's own: `help` and `quit`.
    static let repl: [CommandSpec] = [
        CommandSpec(
            "help", summary: "the commands by group, one group, or one command in detail",
            details:
                "help alone lists the groups; help GROUP (connections, mock, work, cases, real-api, page, repl) lists "
                + "a group's commands with what each does; help all lists every command; help COMMAND shows "
                + "one in detail. From the shell, relink --help shows relink's options and relink mock serve "
                + "--help the standalone mock.",
            positionals: [.repeating("COMMAND", .commandName)],
            examples: ["help", "help connections", "help reconnect", "help mock fault add"]
        ) { words throws(UsageError) in
            let topic = words.positionals.compactMap { if case .text(let word) = $0 { word } else { nil } }
            guard !topic.isEmpty else { return .help(nil) }
            let name = topic.joined(separator: " ")
            guard helpTopics.contains(name) || name == "mock serve" || all.contains(where: { $0.name == name || $0.words.starts(with: topic) }) else {
                let suggestion = Suggestion.closest(to: name, in: all.map(\.name) + helpTopics)
                throw UsageError(
                    "no command \(words.quoted(name))" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""))
            }
            return .help(name)
        },
        CommandSpec("quit", summary: "leave the REPL (Ctrl-D too)", examples: ["quit"]) { _ in .quit },
    ]

    /// Names as `help` lists them, in the table's order, each once (`mock` stands for its subcommands).
    public static var topLevelNames: [String] {
        var seen: Set<String> = []
        return all.compactMap { seen.insert($0.words[0]).inserted ? $0.words[0] : nil }
    }

    /// The entry for `name` (`show`, `mock fault add`).
    public static func named(_ name: String) -> CommandSpec? {
        all.first { $0.name == name }
    }

    /// The entries whose name starts with `topic`'s words (`mock` names all of mock's).
    public static func entries(under topic: String) -> [CommandSpec] {
        let words = topic.split(separator: " ").map(String.init)
        return all.filter { $0.words.starts(with: words) }
    }

    /// The entry a line's words name, and how many words its name took.
    ///
    /// - Parameter quoting: whether a message may quote the line's words (not when it carries a secret).
    static func spec(for words: [String], quoting: Bool = true) throws(UsageError) -> (CommandSpec, Int) {
        let first = words[0] == "exit" ? "quit" : words[0]
        let candidates = all.filter { $0.words[0] == first }
        guard !candidates.isEmpty else {
            let suggestion = Suggestion.closest(to: first, in: topLevelNames)
            throw UsageError(
                (quoting ? "unknown command \(TerminalText.quotedWord(first))" : "unknown command")
                    + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "") + " (help lists the commands)")
        }
        let given = [first] + words.dropFirst()
        if let match = candidates.filter({ given.starts(with: $0.words) }).max(by: { $0.words.count < $1.words.count })
        {
            return (match, match.words.count)
        }
        // A group (`mock`, `mock fault`) without a known next word.
        var prefix = [first]
        while let next = given.dropFirst(prefix.count).first,
            candidates.contains(where: { $0.words.starts(with: prefix + [next]) })
        {
            prefix.append(next)
        }
        let nexts = candidates.filter { $0.words.starts(with: prefix) }.map { $0.words[prefix.count] }
        var expected: [String] = []
        for word in nexts where !expected.contains(word) { expected.append(word) }
        let list: String
        if let last = expected.last, expected.count > 1 {
            list = expected.dropLast().joined(separator: ", ") + " or " + last
        } else {
            list = expected.joined()
        }
        let got = given.dropFirst(prefix.count).first.map { quoting ? ", not \(TerminalText.quotedWord($0))" : "" } ?? ""
        throw UsageError(
            "\(prefix.joined(separator: " ")): expected \(list)\(got)",
            synopsis: candidates.filter { $0.words.starts(with: prefix) }.map(\.synopsis).joined(separator: "\n       ")
        )
    }
}
