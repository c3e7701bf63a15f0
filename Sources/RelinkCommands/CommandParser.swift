import IntercomMockFaults
import RelinkCore

/// Turns a line, or its words, into a ``Command`` by the table (``CommandTable``), or a
/// ``UsageError`` that says what is wrong and how the command is used.
///
/// An error never quotes a value given to a secret option (`--password`), nor, on a line that
/// carries one, any other word: a usage error is printed, and a printed password is a leaked one.
public enum CommandParser {
    /// nil for an empty line or a comment.
    public static func parse(_ line: String) throws(UsageError) -> Command? {
        // A comment is not split into words: its quotes need not balance ("it broke, he said).
        if line.drop(while: \.isWhitespace).hasPrefix("#") { return nil }
        let words: [String]
        do { words = try Words.split(line) } catch {
            throw UsageError("unterminated quote: a \" or ' is opened and never closed")
        }
        return try parse(words: words)
    }

    /// nil for no words or a comment.
    public static func parse(words: [String]) throws(UsageError) -> Command? {
        guard let first = words.first, !first.hasPrefix("#") else { return nil }
        // Found by the fuzz target: `"x --password "Hun"Hunter2 two" …` splits into one word that
        // holds the password, and an unknown-command message quoted it.
        let secretive = SecretLines.mentionsSecretOption(words.joined(separator: " "))
        let (spec, consumed) = try CommandTable.spec(for: words, quoting: !secretive)
        return try parse(Array(words.dropFirst(consumed)), as: spec, secretive: secretive)
    }

    static func parse(_ words: [String], as spec: CommandSpec, secretive: Bool) throws(UsageError) -> Command {
        var parsed = ParsedWords(spec: spec)
        parsed.carriesSecret = secretive
        var positionalWords: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                positionalWords.append(word)
                continue
            }
            // An option's name ends at `=` (its value) or at a space (a quoted word is not an option).
            let name = String(word.prefix { $0 != "=" && $0 != " " })
            let inline = word.contains("=") ? String(word.drop { $0 != "=" }.dropFirst()) : nil
            guard let option = spec.option(named: name) else {
                let suggestion = Suggestion.closest(to: name, in: spec.options.map(\.name))
                throw parsed.usage(
                    "unknown option \(TerminalText.shortened(name, toColumns: 40))" + (suggestion.map { "; did you mean \($0)?" } ?? ""))
            }
            guard let kind = option.kind else {
                if inline != nil { throw parsed.usage("\(name) takes no value") }
                parsed.flags.insert(name)
                continue
            }
            let raw: String
            if let inline {
                raw = inline
            } else {
                guard index < words.count, !words[index].hasPrefix("--") else {
                    throw parsed.usage("\(name) needs a value: \(name) \(option.placeholder ?? "VALUE")")
                }
                raw = words[index]
                index += 1
            }
            if parsed.values[name] != nil { throw parsed.usage("\(name) is given twice") }
            parsed.values[name] = try value(raw, of: kind, named: name, in: parsed)
        }
        var remaining = positionalWords[...]
        let build = try spec.bind(&remaining, parsed)
        for positional in spec.positionals.dropFirst(spec.requiredCount) {
            if positional.repeats {
                while let word = remaining.popFirst() {
                    parsed.positionals.append(try value(word, of: positional.kind, named: nil, in: parsed))
                }
            } else if let word = remaining.popFirst() {
                parsed.positionals.append(try value(word, of: positional.kind, named: nil, in: parsed))
            } else if !positional.optional {
                throw parsed.usage(missing(positional))
            } else {
                break
            }
        }
        if let extra = remaining.first {
            throw parsed.usage(
                parsed.carriesSecret
                    ? "unexpected extra word; a value with spaces needs quotes" : "unexpected \"\(extra)\"")
        }
        for option in spec.options where option.required && parsed.values[option.name] == nil {
            throw parsed.usage(option.missing)
        }
        return try build(parsed)
    }

    static func missing(_ positional: PositionalSpec) -> String {
        switch positional.kind {
        case .projectKey: "which project? give its key"
        case .issueKey: "which issue? give its key, like SUP-12"
        case .cause: "which cause? \(CommandTable.causeList)"
        case .path: "where to? give a directory path"
        case .apiPath: "which API path? /me, a prefix such as /admins/*, or * for every path"
        case .faultKind: "which fault kind? \(FaultSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
        default: "\(positional.placeholder) is missing"
        }
    }

    /// One word as its kind says, or a usage error that names the option (or the word, unless it
    /// is a secret).
    private static func value(
        _ word: String, of kind: ValueKind, named name: String?, in parsed: ParsedWords
    ) throws(UsageError) -> ParsedValue {
        let subject = name ?? parsed.quoted(word)
        let shown = parsed.quoted(word)
        switch kind {
        case .projectKey: return .key(try projectKey(word, in: parsed))
        case .cause: return .cause(try cause(word, in: parsed))
        case .faultKind: return .faultKind(try faultKind(word, in: parsed))
        case .faultBody:
            guard let body = FaultSpec.Body(rawValue: word) else {
                throw parsed.usage("\(subject) is json, html or a real answer's name (help mock fault add), not \(shown)")
            }
            return .faultBody(body)
        case .integer(let range):
            guard let number = Int(word), range.contains(number) else {
                throw parsed.usage("\(subject) needs \(describe(range)), not \(shown)")
            }
            return .integer(number)
        case .probability:
            guard let number = Double(word), number.isFinite, (0...1).contains(number) else {
                throw parsed.usage("\(subject) needs a number from 0 to 1, not \(shown)")
            }
            return .probability(number)
        case .seed:
            guard let number = UInt64(word) else {
                throw parsed.usage("\(subject) needs a whole number from 0 to \(UInt64.max), not \(shown)")
            }
            return .seed(number)
        case .setting: return .setting(try setting(word, in: parsed))
        case .settingPath:
            guard let field = ConnectionConfiguration.settingField(word) else {
                let paths = ConnectionConfiguration.settingFields.map(\.path)
                let suggestion = Suggestion.closest(to: word, in: paths)
                throw parsed.usage(
                    "no setting \(shown)" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                        + " (settings KEY lists them)")
            }
            return .settingField(field)
        case .httpMethod:
            guard !word.isEmpty, word.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw parsed.usage("\(subject) needs an HTTP method such as GET or POST, not \(shown)")
            }
            return .text(word.uppercased())
        case .issueKey: return .issue(try issueKey(word, in: parsed))
        case .issueOrProject:
            if let issue = IssueKey(rawValue: word) { return .issue(issue) }
            guard let key = ProjectKey(rawValue: word) else {
                throw parsed.usage("\(shown) is neither an issue key (SUP-12) nor a project key (SUP)")
            }
            return .key(key)
        case .conversationID: return .text(try conversationID(word, in: parsed))
        case .outboxTarget:
            switch try outboxTarget(word, in: parsed) {
            case .project(let key): return .key(key)
            case .item(let item): return .text(item)
            }
        case .secret, .email, .workspace, .path, .apiPath, .commandName, .word:
            return .text(try text(word, named: name, in: parsed))
        }
    }

    // The kinds a required positional may have, each parsed to its own type (see ``Required``).

    static func projectKey(_ word: String, in parsed: ParsedWords) throws(UsageError) -> ProjectKey {
        guard let key = ProjectKey(rawValue: word) else {
            throw parsed.usage(
                "\(parsed.quoted(word)) is not a project key (letters and digits, starting with a letter, like SUP)")
        }
        return key
    }

    static func issueKey(_ word: String, in parsed: ParsedWords) throws(UsageError) -> IssueKey {
        guard let issue = IssueKey(rawValue: word) else {
            throw parsed.usage(
                "\(parsed.quoted(word)) is not a Jira issue key (a project key, a hyphen and a number, like SUP-12)")
        }
        return issue
    }

    static func cause(_ word: String, in parsed: ParsedWords) throws(UsageError) -> BreakCause {
        try oneOf(word, in: parsed, refusal: "unknown cause", listing: "Causes")
    }

    static func faultKind(_ word: String, in parsed: ParsedWords) throws(UsageError) -> FaultSpec.Kind {
        try oneOf(word, in: parsed, refusal: "unknown fault kind", listing: "Kinds")
    }

    static func setting(_ word: String, in parsed: ParsedWords) throws(UsageError) -> RealAPISetting {
        try oneOf(word, lookup: word.lowercased(), in: parsed, refusal: "no setting", listing: "Settings")
    }

    /// One of a closed set of names, or a usage error that suggests the closest and lists them all.
    private static func oneOf<Value: RawRepresentable & CaseIterable>(
        _ word: String, lookup: String? = nil, in parsed: ParsedWords, refusal: String, listing: String
    ) throws(UsageError) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: lookup ?? word) else {
            let names = Value.allCases.map(\.rawValue)
            let suggestion = Suggestion.closest(to: word, in: names)
            throw parsed.usage(
                "\(refusal) \(parsed.quoted(word))" + (suggestion.map { ": did you mean \"\($0)\"?" } ?? "")
                    + " \(listing): \(names.joined(separator: ", ")).")
        }
        return value
    }

    static func conversationID(_ word: String, in parsed: ParsedWords) throws(UsageError) -> String {
        // Intercom's ids are digits; the mock's may be any word a URL path can carry as one segment.
        guard !word.isEmpty, word.count <= 64, !word.contains("/"), word.allSatisfy({ !$0.isWhitespace }) else {
            throw parsed.usage("\(parsed.quoted(word)) is not a conversation id")
        }
        return word
    }

    static func outboxTarget(_ word: String, in parsed: ParsedWords) throws(UsageError) -> Command.DiscardTarget {
        if let key = ProjectKey(rawValue: word) { return .project(key) }
        guard let dot = word.lastIndex(of: "."), ProjectKey(rawValue: String(word[..<dot])) != nil,
            Int(word[word.index(after: dot)...]).map({ $0 > 0 }) == true
        else {
            throw parsed.usage("\(parsed.quoted(word)) is neither an outbox item (SUP.7) nor a project key (SUP)")
        }
        return .item(word.uppercased())
    }

    /// A word taken as it is (a path, an email, a name), only not empty.
    static func text(_ word: String, named name: String?, in parsed: ParsedWords) throws(UsageError) -> String {
        guard !word.isEmpty else { throw parsed.usage("\(name ?? "a word") is empty") }
        return word
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (1, Int.max): "a positive whole number"
        case (0, Int.max): "a whole number, 0 or more"
        case (let low, let high): "a whole number from \(low) to \(high)"
        }
    }
}
