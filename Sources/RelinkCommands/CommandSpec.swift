import RelinkCore

/// What a word of a command stands for: how it is checked at parse time, named in usage lines,
/// and completed in the REPL.
public enum ValueKind: Equatable, Sendable {
    case projectKey
    /// A teammate's email.
    case email
    /// A workspace's id code.
    case workspace
    /// A password or other secret: never echoed in an error, never written to history.
    case secret
    case cause
    case faultKind
    case faultBody
    case httpMethod
    /// A path on this machine (a directory for `export`).
    case path
    /// An API path for a fault (`/me`, `/admins/*`, `*`).
    case apiPath
    /// A command name, for `help`.
    case commandName
    /// A real-API setting's name, for `config set` and `config unset`.
    case setting
    /// Free text (a fault id, a comment's words).
    case word
    /// A Jira issue key such as `SUP-12`.
    case issueKey
    /// An issue key (`SUP-12`) or a project key (`SUP`).
    case issueOrProject
    /// An Intercom conversation id.
    case conversationID
    /// An outbox item (`SUP.7`) or a project key (`SUP`).
    case outboxTarget
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A number from 0 to 1.
    case probability
    /// An unsigned 64-bit seed.
    case seed
    /// A field of `intercom.connection.configuration` by its path (`settings`).
    case settingPath
}

/// An option of a command: a flag (`--all`) or an option with a value (`--as EMAIL`).
public struct OptionSpec: Equatable, Sendable {
    /// `--as`.
    public var name: String
    /// The value's placeholder in usage lines (`EMAIL`); `nil` for a flag.
    public var placeholder: String?
    /// The value's kind; `nil` for a flag.
    public var kind: ValueKind?
    /// The command cannot do without it.
    public var required: Bool
    public var help: String

    public var isFlag: Bool { kind == nil }

    /// What a usage error says when a required option is not given.
    var missing: String { "\(name) \(placeholder ?? "") is required" }

    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, placeholder: nil, kind: nil, required: false, help: help)
    }

    public static func value(
        _ name: String, _ placeholder: String, _ kind: ValueKind, required: Bool = false, _ help: String
    ) -> OptionSpec {
        OptionSpec(name: name, placeholder: placeholder, kind: kind, required: required, help: help)
    }
}

/// A positional word of a command, as usage lines, help and completion show it.
public struct PositionalSpec: Equatable, Sendable {
    /// Its placeholder in usage lines (`KEY`).
    public var placeholder: String
    public var kind: ValueKind
    public var optional: Bool
    /// Takes every remaining positional word (`check KEY…`).
    public var repeats: Bool

    public static func required(_ placeholder: String, _ kind: ValueKind) -> PositionalSpec {
        PositionalSpec(placeholder: placeholder, kind: kind, optional: false, repeats: false)
    }

    public static func optional(_ placeholder: String, _ kind: ValueKind) -> PositionalSpec {
        PositionalSpec(placeholder: placeholder, kind: kind, optional: true, repeats: false)
    }

    public static func repeating(_ placeholder: String, _ kind: ValueKind) -> PositionalSpec {
        PositionalSpec(placeholder: placeholder, kind: kind, optional: true, repeats: true)
    }

    /// The rest of the line's words, at least one (`project add KEY NAME…`); the command's builder
    /// says what is missing when there is none.
    public static func rest(_ placeholder: String, _ kind: ValueKind) -> PositionalSpec {
        PositionalSpec(placeholder: placeholder, kind: kind, optional: false, repeats: true)
    }
}

/// One command of the language: its words, its help, and how its parsed words become a
/// ``Command``. The table of them (``CommandTable``) drives parsing, `help`, usage lines and
/// completion, so none of these can disagree with another.
public struct CommandSpec: Sendable {
    /// Builds the command from its parsed words once the required positionals are bound.
    typealias Builder = (ParsedWords) throws(UsageError) -> Command

    /// One word (`show`) or several (`mock fault add`).
    public var name: String
    public var summary: String
    /// More for `help COMMAND`; empty when the summary says it all.
    public var details: String
    /// Every positional in order: the required ones first (``requiredCount``), then the optional and
    /// repeating ones.
    public let positionals: [PositionalSpec]
    public var options: [OptionSpec]
    /// Lines that use the command, shown by `help COMMAND`; together they use every option (tested).
    public var examples: [String]
    /// How many of ``positionals``, from the first, the command cannot do without.
    let requiredCount: Int
    /// Takes the required positionals' words in order, each as its type (or throws the usage error
    /// that names the missing or bad one), and returns the builder that holds them typed. The builder
    /// throws a usage error for what the table cannot say (one of two options, an option that needs
    /// another).
    let bind: @Sendable (inout ArraySlice<String>, ParsedWords) throws(UsageError) -> Builder

    /// A command without required positionals; `positionals` are optional or repeating.
    init(
        _ name: String, summary: String, details: String = "", positionals: [PositionalSpec] = [],
        options: [OptionSpec] = [], examples: [String] = [],
        build: @escaping @Sendable (ParsedWords) throws(UsageError) -> Command
    ) {
        self.init(name, summary, details, required: [], positionals, options, examples) { _, _ in build }
    }

    /// A command with one required positional, which its builder receives typed.
    init<First>(
        _ name: String, summary: String, details: String = "", required first: Required<First>,
        positionals: [PositionalSpec] = [], options: [OptionSpec] = [], examples: [String] = [],
        build: @escaping @Sendable (First, ParsedWords) throws(UsageError) -> Command
    ) {
        self.init(name, summary, details, required: [first.spec], positionals, options, examples) {
            words, parsed throws(UsageError) in
            let value = try first.take(from: &words, parsed)
            return { parsed throws(UsageError) in try build(value, parsed) }
        }
    }

    /// A command with two required positionals, which its builder receives typed, in order.
    init<First, Second>(
        _ name: String, summary: String, details: String = "", required first: Required<First>,
        _ second: Required<Second>, positionals: [PositionalSpec] = [], options: [OptionSpec] = [],
        examples: [String] = [], build: @escaping @Sendable (First, Second, ParsedWords) throws(UsageError) -> Command
    ) {
        self.init(name, summary, details, required: [first.spec, second.spec], positionals, options, examples) {
            words, parsed throws(UsageError) in
            let (one, two) = (try first.take(from: &words, parsed), try second.take(from: &words, parsed))
            return { parsed throws(UsageError) in try build(one, two, parsed) }
        }
    }

    private init(
        _ name: String, _ summary: String, _ details: String, required: [PositionalSpec],
        _ positionals: [PositionalSpec], _ options: [OptionSpec], _ examples: [String],
        bind: @escaping @Sendable (inout ArraySlice<String>, ParsedWords) throws(UsageError) -> Builder
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        self.positionals = required + positionals
        self.requiredCount = required.count
        self.options = options
        self.examples = examples
        self.bind = bind
    }

    /// The name's words.
    public var words: [String] { name.split(separator: " ").map(String.init) }

    /// The usage line, built from the table: `connect KEY --as EMAIL [--workspace ID] [--password PW]`.
    public var synopsis: String {
        var parts = [name]
        for positional in positionals {
            let word = positional.placeholder + (positional.repeats ? "…" : "")
            parts.append(positional.optional ? "[\(word)]" : word)
        }
        for option in options {
            let word = option.placeholder.map { "\(option.name) \($0)" } ?? option.name
            parts.append(option.required ? word : "[\(word)]")
        }
        return parts.joined(separator: " ")
    }

    public func option(named name: String) -> OptionSpec? {
        options.first { $0.name == name }
    }
}
