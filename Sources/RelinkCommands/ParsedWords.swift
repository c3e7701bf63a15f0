import IntercomMockFaults
import RelinkCore

/// A value of a command's word, of the type its ``ValueKind`` says.
public enum ParsedValue: Sendable {
    case text(String)
    case key(ProjectKey)
    case issue(IssueKey)
    case cause(BreakCause)
    case faultKind(FaultSpec.Kind)
    case faultBody(FaultSpec.Body)
    case integer(Int)
    case probability(Double)
    case seed(UInt64)
    case setting(RealAPISetting)
    /// A field of `intercom.connection.configuration`, found by its path.
    case settingField(ConnectionConfiguration.SettingField)
}

/// The words of one command after parsing: optional positionals and options, each checked against
/// the table and turned into its type. A ``CommandSpec`` builds its ``Command`` from it and from its
/// required positionals, which its builder receives typed (``Required``).
public struct ParsedWords: Sendable {
    let spec: CommandSpec
    /// The optional and repeating positionals' values in the table's order, after the required ones
    /// (index 0 is the first positional that may be left out); a repeating positional's at the end.
    var positionals: [ParsedValue] = []
    var values: [String: ParsedValue] = [:]
    var flags: Set<String> = []
    /// The line gives a secret option a value: no message quotes any of its words then, since a
    /// password with spaces, unquoted, spills into the words around it.
    var carriesSecret = false

    /// A word as a message may show it.
    func quoted(_ word: String) -> String {
        carriesSecret ? "a word (a value with spaces needs quotes)" : TerminalText.quotedWord(word)
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

    /// A required option's text (the parser checks that it is given, with the same message).
    func required(_ name: String) throws(UsageError) -> String {
        guard let value = text(name) else { throw usage(spec.option(named: name)?.missing ?? "\(name) is required") }
        return value
    }

    func settingField(_ index: Int) -> ConnectionConfiguration.SettingField? {
        if case .settingField(let field)? = positional(index) { field } else { nil }
    }

    func faultBody(_ name: String) -> FaultSpec.Body? {
        if case .faultBody(let value)? = values[name] { value } else { nil }
    }

    /// The positional at `index`, if given.
    func positional(_ index: Int) -> ParsedValue? {
        index < positionals.count ? positionals[index] : nil
    }

    func key(_ index: Int) -> ProjectKey? {
        if case .key(let key)? = positional(index) { key } else { nil }
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
