import Foundation
import RelinkCommands
import RelinkService

/// Runs command lines one after another; stops at the first failure unless told to keep going.
public struct ScriptRunner: Sendable {
    let executor: CommandExecutor
    let keepGoing: Bool
    /// Print each command before its output (`--echo`), as `psql -e` and `sh -x` do.
    let echo: Bool

    public init(executor: CommandExecutor, keepGoing: Bool, echo: Bool = false) {
        self.executor = executor
        self.keepGoing = keepGoing
        self.echo = echo
    }

    /// Returns the exit status: 0, or the status of the first failure (2 usage, 1 otherwise), or
    /// 128 + the signal's number when SIGINT, SIGTERM or SIGHUP stopped a command (the script
    /// stops there, with or without `--keep-going`); without a failure, 3 when a
    /// `check --exit-code` found a broken connection (the script goes on after it).
    public func run(lines: [String], source: String) async -> Int32 {
        var status: Int32 = 0
        var finding: Int32 = 0
        for (index, line) in lines.enumerated() {
            if echo { self.echo(line) }
            let (outcome, interrupt) = await Interrupts.cancellable { [self] in await runLine(line) }
            if let interrupt {
                if lines.count > 1 { printError("relink: interrupted at \(source) line \(index + 1)") }
                return interrupt.exitStatus
            }
            if outcome.quit { break }
            if outcome.status == BrokenConnectionsFound.exitStatus {
                finding = outcome.status
                continue
            }
            guard outcome.status != 0 else { continue }
            if status == 0 { status = outcome.status }
            if !keepGoing {
                if lines.count > 1 {
                    printError("relink: stopped at \(source) line \(index + 1) (--keep-going goes on)")
                }
                break
            }
        }
        // A signal that came after the last command started its watcher still ends relink as one.
        if let interrupt = Interrupts.take() { return interrupt.exitStatus }
        return status != 0 ? status : finding
    }

    /// The line as typed at the prompt, `relink> show SUP`, so that a transcript shows which
    /// command printed each screen. Blank lines and comments are not commands and are not echoed;
    /// a secret the line gives is `[redacted]`, as everywhere else. With `--json` the echo goes to
    /// standard error, so that standard output stays one document a line.
    func echo(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return }
        let secrets = SecretLines.secretValues(in: trimmed) + ((try? executor.store.allSecrets) ?? [])
        let shown = "relink> " + SecretLines.redact(trimmed, secrets: secrets)
        if executor.presenter is JSONPresenter { printError(shown) } else { print(shown) }
    }

    /// Runs one line, printing its output or its error; returns its exit status.
    func runLine(_ line: String) async -> (status: Int32, quit: Bool) {
        do {
            guard let command = try CommandParser.parse(line) else { return (0, false) }
            if command == .quit { return (0, true) }
            let output = try await executor.execute(command)
            if !output.isEmpty { print(executor.presenter.fitted(output)) }
            if Task.isCancelled {
                report(
                    CommandInterrupted(
                        output: "", message: "interrupted: the command had finished; its result above stands"),
                    status: 130, line: line)
                return (130, false)
            }
            return (0, false)
        } catch let found as BrokenConnectionsFound {
            print(executor.presenter.fitted(found.output))
            return (BrokenConnectionsFound.exitStatus, false)
        } catch let interrupted as CommandInterrupted {
            if !interrupted.output.isEmpty { print(executor.presenter.fitted(interrupted.output)) }
            report(interrupted, status: 130, line: line)
            return (130, false)
        } catch let error as UsageError {
            report(error, status: 2, line: line)
            return (2, false)
        } catch ServiceError.configuration(let problem) where problem.isInvalidValue {
            // An invalid setting value is bad usage, as DESIGN §5 says: exit 2, with its own code.
            report(ServiceError.configuration(problem), status: 2, line: line)
            return (2, false)
        } catch let error where Task.isCancelled {
            // Ctrl-C cut the command short: say so, with what it was doing.
            report(CommandInterrupted(output: "", message: Self.interrupted(error)), status: 130, line: line)
            return (130, false)
        } catch let error as CommandFailure where error.output != nil {
            // Done in part: what was done, then why the rest was not. In JSON the command's one
            // document says both.
            print(executor.presenter.fitted(error.output ?? ""))
            if !(executor.presenter is JSONPresenter) { report(error, status: 1, line: line) }
            return (1, false)
        } catch {
            report(error, status: 1, line: line)
            return (1, false)
        }
    }

    /// What Ctrl-C stopped, for a person. A call to Intercom that Ctrl-C cancelled reads as a
    /// cancelled request, not as a network that needs checking.
    static func interrupted(_ error: any Error) -> String {
        if case ServiceError.intercom(_, let during) = error {
            return "interrupted while \(during); nothing was changed"
        }
        return "interrupted: \(error)"
    }

    /// Prints a failure. The parser and the services never put a secret in a message; this is the
    /// net under them: a value the line gave to a secret option, or a secret the store keeps,
    /// never reaches the screen.
    private func report(_ error: any Error, status: Int32, line: String) {
        // A secrets file that does not read gave no secret to any message.
        let secrets = SecretLines.secretValues(in: line) + ((try? executor.store.allSecrets) ?? [])
        let failure = executor.presenter.failure(error, exitCode: status, redacting: secrets)
        if failure.toStandardError { printError(failure.text) } else { print(failure.text) }
    }
}

/// Writes a line to standard error.
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
