import RelinkCore

/// Turns the words of one command into a `Command`, or a `UsageError` that says what is wrong
/// and how the command is used.
enum CommandParser {
    static func parse(_ line: String) throws(UsageError) -> Command? {
        // A comment is not split into words: its quotes need not balance ("it broke, he said).
        if line.drop(while: \.isWhitespace).hasPrefix("#") { return nil }
        let words: [String]
        do { words = try Words.split(line) } catch { throw UsageError("unterminated quote in: \(line)") }
        return try parse(words: words)
    }

    /// nil for an empty line or a comment.
    static func parse(words: [String]) throws(UsageError) -> Command? {
        guard let name = words.first, !name.hasPrefix("#") else { return nil }
        guard let spec = CommandSpec.named(name) ?? (name == "exit" ? CommandSpec.named("quit") : nil) else {
            let suggestion = Suggestion.closest(to: name, in: CommandSpec.all.map(\.name))
            throw UsageError(
                "unknown command \"\(name)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                    + " (help lists the commands)")
        }
        var arguments = Arguments(words: Array(words.dropFirst()), spec: spec)
        let command = try parse(spec.name, &arguments)
        try arguments.finish()
        return command
    }

    private static func parse(_ name: String, _ arguments: inout Arguments) throws(UsageError) -> Command {
        switch name {
        case "projects":
            return .projects
        case "show":
            return .show(try arguments.key())
        case "connect":
            let key = try arguments.key()
            let method = try arguments.connectMethod()
            return .connect(
                key, teammate: try arguments.option("--as"), workspace: try arguments.option("--workspace"),
                password: try arguments.option("--password"), method: method)
        case "check":
            let all = arguments.flag("--all")
            let keys = try arguments.remainingKeys()
            if all, !keys.isEmpty { throw arguments.usage("give project keys or --all, not both") }
            return .check(keys: keys, all: all || keys.isEmpty)
        case "break":
            let key = try arguments.key()
            guard let word = arguments.positional() else { throw arguments.usage("which cause? \(causeList)") }
            guard let cause = BreakCause(rawValue: word) else {
                let suggestion = Suggestion.closest(to: word, in: BreakCause.allCases.map(\.rawValue))
                throw arguments.usage(
                    "unknown cause \"\(word)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                        + "; causes: \(causeList)")
            }
            return .breakConnection(key, cause)
        case "reconnect":
            let key = try arguments.key()
            return .reconnect(
                key, teammate: try arguments.option("--as"), workspace: try arguments.option("--workspace"),
                allowWorkspaceChange: arguments.flag("--allow-workspace-change"),
                password: try arguments.option("--password"), method: try arguments.connectMethod())
        case "revoke":
            return .revoke(try arguments.key())
        case "app-user":
            let key = try arguments.key()
            guard let teammate = try arguments.option("--as") else { throw arguments.usage("--as EMAIL is required") }
            return .appUser(
                key, teammate: teammate, allowWorkspaceChange: arguments.flag("--allow-workspace-change"),
                password: try arguments.option("--password"))
        case "log":
            let limit = try arguments.number("--limit")
            return .log(try arguments.optionalKey(), limit: limit)
        case "world":
            return .world
        case "mock":
            return try parseMock(&arguments)
        case "export":
            guard let path = arguments.positional() else { throw arguments.usage("where to? give a directory path") }
            return .export(path: path)
        case "help":
            let topic = arguments.positional()
            if let topic, CommandSpec.named(topic) == nil {
                let suggestion = Suggestion.closest(to: topic, in: CommandSpec.all.map(\.name))
                throw UsageError("no command \"\(topic)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""))
            }
            return .help(topic)
        default:
            return .quit
        }
    }

    private static func parseMock(_ arguments: inout Arguments) throws(UsageError) -> Command {
        switch arguments.positional() {
        case "journal":
            return .mockJournal(limit: try arguments.number("--limit"))
        case "reset":
            return .mockReset
        case "fault":
            switch arguments.positional() {
            case "list": return .mockFault(.list)
            case "clear": return .mockFault(.clear(id: arguments.positional()))
            case "add":
                guard let path = arguments.positional(), let kind = arguments.positional() else {
                    throw arguments.usage(
                        "mock fault add PATH KIND [--status N] [--latency-ms N] [--probability P] [--seed N] [--times N]"
                    )
                }
                let kinds = ["latency", "status", "rate_limit", "drop"]
                guard kinds.contains(kind) else {
                    throw arguments.usage("unknown fault kind \"\(kind)\"; kinds: \(kinds.joined(separator: ", "))")
                }
                var options: [String: String] = [:]
                for flag in [
                    "--status", "--latency-ms", "--latency-min-ms", "--latency-max-ms", "--probability", "--seed",
                    "--times", "--method", "--body",
                ] {
                    if let value = try arguments.option(flag) { options[String(flag.dropFirst(2))] = value }
                }
                return .mockFault(.add(path: path, kind: kind, options: options))
            case let other:
                throw arguments.usage(
                    "mock fault: expected add, list or clear" + (other.map { ", not \"\($0)\"" } ?? ""))
            }
        case let other:
            throw arguments.usage("mock: expected fault, journal or reset" + (other.map { ", not \"\($0)\"" } ?? ""))
        }
    }

    static let causeList = BreakCause.allCases.map(\.rawValue).joined(separator: ", ")
}

/// The words after a command name, consumed as the command is parsed.
private struct Arguments {
    var words: [String]
    let spec: CommandSpec

    func usage(_ message: String) -> UsageError { UsageError("\(spec.name): \(message)", synopsis: spec.synopsis) }

    mutating func flag(_ name: String) -> Bool {
        guard let index = words.firstIndex(of: name) else { return false }
        words.remove(at: index)
        return true
    }

    mutating func option(_ name: String) throws(UsageError) -> String? {
        guard let index = words.firstIndex(of: name) else {
            // --as=EMAIL is accepted too.
            if let index = words.firstIndex(where: { $0.hasPrefix(name + "=") }) {
                let value = String(words[index].dropFirst(name.count + 1))
                words.remove(at: index)
                return value
            }
            return nil
        }
        guard index + 1 < words.count, !words[index + 1].hasPrefix("--") else { throw usage("\(name) needs a value") }
        let value = words[index + 1]
        words.removeSubrange(index...(index + 1))
        return value
    }

    mutating func number(_ name: String) throws(UsageError) -> Int? {
        guard let text = try option(name) else { return nil }
        guard let value = Int(text), value > 0 else {
            throw usage("\(name) needs a positive whole number, not \"\(text)\"")
        }
        return value
    }

    mutating func positional() -> String? {
        guard let index = words.firstIndex(where: { !$0.hasPrefix("--") }) else { return nil }
        return words.remove(at: index)
    }

    mutating func key() throws(UsageError) -> ProjectKey {
        guard let word = positional() else { throw usage("which project? give its key") }
        return try projectKey(word)
    }

    mutating func optionalKey() throws(UsageError) -> ProjectKey? {
        guard let word = positional() else { return nil }
        return try projectKey(word)
    }

    mutating func remainingKeys() throws(UsageError) -> [ProjectKey] {
        var keys: [ProjectKey] = []
        while let word = positional() { keys.append(try projectKey(word)) }
        return keys
    }

    func projectKey(_ word: String) throws(UsageError) -> ProjectKey {
        guard let key = ProjectKey(rawValue: word) else {
            throw usage("\"\(word)\" is not a project key (letters and digits, starting with a letter, like SUP)")
        }
        return key
    }

    mutating func connectMethod() throws(UsageError) -> AuthorizationMethod {
        let paste = flag("--paste")
        let token = flag("--token")
        if paste && token { throw usage("--paste and --token exclude each other") }
        return paste ? .pasteCode : token ? .accessToken : .browser
    }

    /// Anything left over is a mistake the person should hear about.
    func finish() throws(UsageError) {
        guard let extra = words.first else { return }
        if extra.hasPrefix("--") {
            let suggestion = Suggestion.closest(to: extra, in: spec.flags)
            throw usage("unknown option \(extra)" + (suggestion.map { "; did you mean \($0)?" } ?? ""))
        }
        throw usage("unexpected \"\(extra)\"")
    }
}
