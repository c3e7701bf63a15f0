import RelinkCore

/// A value of a command's word, of the type its ``ValueKind`` says.
public enum ParsedValue: Equatable, Sendable {
    case text(String)
    case key(ProjectKey)
    case issue(IssueKey)
    case cause(BreakCause)
    case faultKind(FaultRequest.Kind)
    case faultBody(FaultRequest.Body)
    case integer(Int)
    case probability(Double)
    case seed(UInt64)
    case setting(RealAPISetting)
}

/// The words of one command after parsing: positionals and options, each checked against the
/// table and turned into its type. A ``CommandSpec`` builds its ``Command`` from it.
public struct ParsedWords: Sendable {
    let spec: CommandSpec
    /// Positional values in the table's order; a repeating positional's values at the end.
    var positionals: [ParsedValue] = []
    var values: [String: ParsedValue] = [:]
    var flags: Set<String> = []
    /// The line gives a secret option a value: no message quotes any of its words then, since a
    /// password with spaces, unquoted, spills into the words around it.
    var carriesSecret = false

    /// A word as a message may show it.
    func quoted(_ word: String) -> String {
        carriesSecret ? "a word (a value with spaces needs quotes)" : "\"\(word)\""
    }

    /// A usage error for this command, with its usage line.
    func usage(_ message: String) -> UsageError {
        UsageError("\(spec.name): \(message)", synopsis: spec.synopsis)
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func has(_ name: String) -> Bool { values[name] != nil }

    func text(_ name: String) -> String? {
        if case .text(let value)? = values[name] { value } else { nil }
    }

    func integer(_ name: String) -> Int? {
        if case .integer(let value)? = values[name] { value } else { nil }
    }

    func probability(_ name: String) -> Double? {
        if case .probability(let value)? = values[name] { value } else { nil }
    }

    func seed(_ name: String) -> UInt64? {
        if case .seed(let value)? = values[name] { value } else { nil }
    }

    func setting(_ index: Int) -> RealAPISetting? {
        if case .setting(let value)? = positional(index) { value } else { nil }
    }

    func faultBody(_ name: String) -> FaultRequest.Body? {
        if case .faultBody(let value)? = values[name] { value } else { nil }
    }

    /// The positional at `index`, if given.
    func positional(_ index: Int) -> ParsedValue? {
        index < positionals.count ? positionals[index] : nil
    }

    func key(_ index: Int) -> ProjectKey? {
        if case .key(let key)? = positional(index) { key } else { nil }
    }

    func issue(_ index: Int) -> IssueKey? {
        if case .issue(let issue)? = positional(index) { issue } else { nil }
    }

    /// Every positional from `index` on, as text.
    func texts(from index: Int) -> [String] {
        positionals.dropFirst(index).compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    func positionalText(_ index: Int) -> String? {
        if case .text(let text)? = positional(index) { text } else { nil }
    }

    /// Every positional from `index` on, as project keys.
    func keys(from index: Int) -> [ProjectKey] {
        positionals.dropFirst(index).compactMap { if case .key(let key) = $0 { key } else { nil } }
    }
}
