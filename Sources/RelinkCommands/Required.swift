import IntercomMockFaults
import RelinkCore

/// A positional word a command cannot do without, and how that word becomes the value the
/// command's builder receives. The parser binds every required positional, in the table's order,
/// before it builds: a builder never asks whether one is there, nor of which type it is.
struct Required<Value: Sendable>: Sendable {
    /// How usage lines, help and completion show it.
    let spec: PositionalSpec
    let parse: @Sendable (String, ParsedWords) throws(UsageError) -> Value

    init(
        _ placeholder: String, _ kind: ValueKind,
        parse: @escaping @Sendable (String, ParsedWords) throws(UsageError) -> Value
    ) {
        self.spec = .required(placeholder, kind)
        self.parse = parse
    }

    /// The next positional word as a value, or the usage error that says it is missing or wrong.
    func take(from words: inout ArraySlice<String>, _ parsed: ParsedWords) throws(UsageError) -> Value {
        guard let word = words.popFirst() else { throw parsed.usage(CommandParser.missing(spec)) }
        return try parse(word, parsed)
    }
}

extension Required<ProjectKey> {
    static func projectKey(_ placeholder: String) -> Self {
        Self(placeholder, .projectKey, parse: CommandParser.projectKey)
    }
}

extension Required<IssueKey> {
    static func issueKey(_ placeholder: String) -> Self { Self(placeholder, .issueKey, parse: CommandParser.issueKey) }
}

extension Required<BreakCause> {
    static func cause(_ placeholder: String) -> Self { Self(placeholder, .cause, parse: CommandParser.cause) }
}

extension Required<FaultSpec.Kind> {
    static func faultKind(_ placeholder: String) -> Self {
        Self(placeholder, .faultKind, parse: CommandParser.faultKind)
    }
}

extension Required<RealAPISetting> {
    static func setting(_ placeholder: String) -> Self { Self(placeholder, .setting, parse: CommandParser.setting) }
}

extension Required<Command.DiscardTarget> {
    static func outboxTarget(_ placeholder: String) -> Self {
        Self(placeholder, .outboxTarget, parse: CommandParser.outboxTarget)
    }
}

extension Required<String> {
    static func conversationID(_ placeholder: String) -> Self {
        Self(placeholder, .conversationID, parse: CommandParser.conversationID)
    }

    /// A word of a kind taken as it is, only not empty: `.path`, `.apiPath`, `.email` or `.word`.
    static func text(_ placeholder: String, _ kind: ValueKind) -> Self {
        Self(placeholder, kind) { word, parsed throws(UsageError) in
            try CommandParser.text(word, named: nil, in: parsed)
        }
    }
}
