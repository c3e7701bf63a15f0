import Foundation
import RelinkCore

/// The interactive loop: libedit editing, history, completion, and the command language.
struct REPL {
    let session: Session
    let runner: ScriptRunner
    let banner: String

    func run() async -> Int32 {
        print(banner)
        let completion = Completion(session: session)
        let editor = LineEditor(name: "relink", historyFile: session.store.historyFile) { line, word in
            completion.candidates(line: line, word: word)
        }
        let prompt = session.style.colour ? "\u{1}\u{1B}[1m\u{2}relink>\u{1}\u{1B}[0m\u{2} " : "relink> "
        while true {
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                print()
                return 0
            case .interrupted:
                continue
            case .line(let line):
                editor.remember(line, carriesSecret: SecretLines.carriesSecret(line, knownSecrets: session.store.allSecrets))
                let outcome = await runner.runLine(line)
                if outcome.quit { return 0 }
            }
        }
    }
}

/// Which lines must never reach the history file.
enum SecretLines {
    static let secretFlags = ["--password", "--client-secret", "--code"]

    static func carriesSecret(_ line: String, knownSecrets: [String]) -> Bool {
        let words = (try? Words.split(line)) ?? line.split(separator: " ").map(String.init)
        if words.contains(where: { word in secretFlags.contains { word == $0 || word.hasPrefix($0 + "=") } }) { return true }
        return knownSecrets.contains { !$0.isEmpty && line.contains($0) }
    }
}

/// Tab completion: commands, project keys, causes, flags and teammate emails.
struct Completion {
    let session: Session

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
        if spec.emailFlags.contains(last) { return session.knownTeammateEmails() }
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
            options += session.store.projectKeys.map(\.rawValue)
        }
        return options
    }
}
