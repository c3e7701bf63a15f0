import Foundation
import RelinkCommands
import RelinkCore
import RelinkStore

/// The interactive loop: reads lines with libedit and runs them; completion and the secret filter
/// for history are types of their own.
public struct REPL {
    let runner: ScriptRunner
    let banner: String

    public init(runner: ScriptRunner, banner: String) {
        self.runner = runner
        self.banner = banner
    }

    public func run() async -> Int32 {
        // Wrapped at word boundaries: a long store path must not be cut mid-word by the terminal.
        let width = runner.executor.style.width
        print(
            banner.split(separator: "\n").flatMap { HelpFormatter.wrap(String($0), width: width) }.joined(
                separator: "\n"))
        let executor = runner.executor
        let store = executor.store
        let source = CompletionSource(store: store)
        let completion = Completion(values: { source.values($0) }, paths: CompletionSource.paths(startingWith:))
        let history = HistoryWarning()
        let editor = LineEditor(
            name: "relink", history: history.lines(store),
            remember: { line in history.append(line, to: store) },
            completer: { line, word in completion.candidates(line: line, word: word) })
        let prompt = executor.style.colour ? "\u{1}\u{1B}[1m\u{2}relink>\u{1}\u{1B}[0m\u{2} " : "relink> "
        while true {
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                print()
                return 0
            case .terminated(let interrupt):
                print()
                return interrupt.exitStatus
            case .interrupted:
                continue
            case .line(let line):
                editor.remember(line, carriesSecret: SecretLines.carriesSecret(line, knownSecrets: (try? store.allSecrets) ?? []))
                // Ctrl-C while the command runs cancels it; the runner reports what it did and the
                // prompt comes back. SIGTERM or SIGHUP cancel it too, and end relink.
                let (outcome, interrupt) = await Interrupts.cancellable { [runner] in await runner.runLine(line) }
                if let interrupt, interrupt != .interrupt { return interrupt.exitStatus }
                if outcome.quit { return 0 }
            }
        }
    }
}

/// History is a convenience: when the store refuses its file (a link in its place), the REPL says
/// so once and goes on without it.
private final class HistoryWarning {
    private var warned = false

    func lines(_ store: Store) -> [String] {
        do { return try store.historyLines() } catch {
            warn(error)
            return []
        }
    }

    func append(_ line: String, to store: Store) {
        do { try store.appendHistory(line) } catch { warn(error) }
    }

    private func warn(_ error: any Error) {
        guard !warned else { return }
        warned = true
        printError("relink: history is not kept: \(error)")
    }
}
