import Foundation
import RelinkCore

/// Which lines must never reach the history file: a line that gives a secret option (the table's
/// `.secret` options, whatever the command) or holds a secret the store keeps.
public enum SecretLines {
    /// Every option of the language whose value is a secret.
    public static let secretOptions: Set<String> = Set(
        CommandTable.all.flatMap(\.options).filter { $0.kind == .secret }.map(\.name))

    /// Whether a secret option's name appears anywhere in the text, even inside a quoted word, or a
    /// word nearly names one: then no message may quote the line's words (a password with quotes or
    /// spaces spills into them).
    public static func mentionsSecretOption(_ text: String) -> Bool {
        secretOptions.contains { text.contains($0) } || secretSettings.contains { text.contains($0) }
            || looseWords(text).contains { secretOption(meantBy: $0) != nil }
    }

    /// The secret option a word names or nearly names: `--password` itself, and what a person types
    /// for it by mistake — another case (`--Password`), one dash (`-password`), a misspelling close
    /// enough for "did you mean" (`--pasword`, `--passwd`), with `=VALUE` or without. The parser
    /// refuses such a word as an unknown option, but the value after it is the password all the
    /// same, so the line is kept out of history and nothing after it is echoed. An option some
    /// command really has (`--paste`) is never taken for one.
    public static func secretOption(meantBy word: String) -> String? {
        guard word.hasPrefix("-") else { return nil }
        let name = word.prefix { $0 != "=" }.drop { $0 == "-" }.lowercased()
        guard name.count >= 2, !ordinaryOptionNames.contains(name) else { return nil }
        let bare = secretOptions.map { String($0.drop { $0 == "-" }) }
        return Suggestion.closest(to: name, in: bare).map { "--" + $0 }
    }

    /// Every option name of the language that is not a secret's, without its dashes.
    private static let ordinaryOptionNames: Set<String> = Set(
        CommandTable.all.flatMap(\.options).filter { $0.kind != .secret }.map { String($0.name.drop { $0 == "-" }) })

    /// The line's words split at spaces only: what a line whose quotes do not close still has.
    private static func looseWords(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
    }

    /// Settings whose value is a secret (`client-secret`): `config set` refuses them on the line,
    /// and a line that gives one anyway is kept out of history like a secret option's.
    public static let secretSettings: Set<String> = Set(
        RealAPISetting.allCases.filter(\.isSecret).map(\.rawValue))

    /// Whether the words give a secret setting a value on the line (`config set client-secret X`).
    static func givesSecretSetting(_ words: [String]) -> Bool {
        words.count > 3 && words[0] == "config" && words[1] == "set" && secretSettings.contains(words[2].lowercased())
    }

    public static func carriesSecret(_ line: String, knownSecrets: [String]) -> Bool {
        let words = (try? Words.split(line)) ?? line.split(separator: " ").map(String.init)
        if words.contains(where: { word in secretOptions.contains { word == $0 || word.hasPrefix($0 + "=") } }) {
            return true
        }
        if (words + looseWords(line)).contains(where: { secretOption(meantBy: $0) != nil }) { return true }
        if givesSecretSetting(words) { return true }
        return knownSecrets.contains { !$0.isEmpty && line.contains($0) }
    }

    /// The values a line gives to secret options, however the line is broken (an unterminated
    /// quote, a value with spaces): every word after a secret option up to the next option.
    /// Meant for redacting, so it errs on the side of taking too much.
    public static func secretValues(in line: String) -> [String] {
        let words = (try? Words.split(line)) ?? line.split(separator: " ").map(String.init)
        let loose = line.split(separator: " ").map(String.init)
        var values: [String] = []
        for list in [words, loose] {
            var taking = false
            for word in list {
                if let option = secretOptions.first(where: { word.hasPrefix($0 + "=") }) {
                    values.append(String(word.dropFirst(option.count + 1)))
                    taking = false
                } else if secretOptions.contains(word) {
                    taking = true
                } else if secretOption(meantBy: word) != nil {
                    // A near miss: its value is the secret all the same, inline or after it.
                    if let equals = word.firstIndex(of: "=") { values.append(String(word[word.index(after: equals)...])) }
                    taking = !word.contains("=")
                } else if word.hasPrefix("--") {
                    taking = false
                } else if taking {
                    values.append(word)
                }
            }
        }
        if givesSecretSetting(words) { values.append(contentsOf: words.dropFirst(3)) }
        // Quotes a person typed around a value are not part of what must not be shown.
        let unquoted = values.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        return Array(Set((values + unquoted).filter { !$0.isEmpty }))
    }

    /// `text` with every secret replaced by `[redacted]`, the longest first; and a secret's first
    /// characters too, where a message shortened a typed word to them (`"fake-demo-token-s…"`):
    /// shortening happens before this net, so the whole secret is no longer there to match.
    public static func redact(_ text: String, secrets: [String]) -> String {
        let secrets = secrets.filter { !$0.isEmpty }
        var redacted = secrets.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: "[redacted]")
        }
        guard redacted.contains("…") else { return redacted }
        // The word before each `…`, back to a quote or a space.
        var cut: [Substring] = []
        var index = redacted.startIndex
        while let ellipsis = redacted[index...].firstIndex(of: "…") {
            let start = redacted[..<ellipsis].lastIndex { $0 == "\"" || $0 == " " }.map { redacted.index(after: $0) }
                ?? redacted.startIndex
            let word = redacted[start..<ellipsis]
            if word.count >= 8, secrets.contains(where: { $0.count > word.count && $0.hasPrefix(word) }) {
                cut.append(word)
            }
            index = redacted.index(after: ellipsis)
        }
        for word in Set(cut) { redacted = redacted.replacingOccurrences(of: word + "…", with: "[redacted]") }
        return redacted
    }
}
