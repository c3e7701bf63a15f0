import Foundation
import RelinkCore
import RelinkStore

/// The `relink` command: global options, then the REPL, a script, or commands.
public enum RelinkMain {
    /// Runs relink with `arguments` (without the program name) and returns the exit status:
    /// 0 done, 1 a command failed, 2 bad usage.
    public static func run(arguments: [String]) async -> Int32 {
        if arguments.first == "mock", arguments.dropFirst().first == "serve" {
            return await MockServeCommand.run(arguments: Array(arguments.dropFirst(2)))
        }
        let environment = ProcessInfo.processInfo.environment
        let options: GlobalOptions
        do {
            options = try GlobalOptions.parse(arguments)
        } catch {
            printError("relink: \(error)\n\(GlobalOptions.usage)")
            return 2
        }
        if options.showHelp {
            print(GlobalOptions.usage)
            return 0
        }
        if options.showVersion {
            print("relink \(version)")
            return 0
        }

        let store: Store
        do {
            store = try Store(directory: options.storeDirectory(environment: environment))
        } catch {
            printError("relink: cannot open the store: \(error)")
            return 1
        }
        let session = Session(store: store, json: options.json, style: options.json ? .plain : .detect(environment: environment))
        let runner = ScriptRunner(session: session, keepGoing: options.keepGoing)
        if !options.commands.isEmpty {
            return await runner.run(lines: options.commands, source: "-c")
        }
        if let script = options.script {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                printError("relink: cannot read the script \(script)")
                return 2
            }
            return await runner.run(lines: text.components(separatedBy: "\n"), source: script)
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        return await runner.run(lines: lines, source: "standard input")
    }

    static let version = "0.1.0"
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Runs commands one after another; stops at the first failure unless told to keep going.
struct ScriptRunner {
    let session: Session
    let keepGoing: Bool

    /// Returns the exit status: 0, or the status of the first failure (2 usage, 1 otherwise).
    func run(lines: [String], source: String) async -> Int32 {
        var status: Int32 = 0
        for (index, line) in lines.enumerated() {
            let outcome = await runLine(line)
            if outcome.quit { break }
            guard outcome.status != 0 else { continue }
            if status == 0 { status = outcome.status }
            if !keepGoing {
                if lines.count > 1 { printError("relink: stopped at \(source) line \(index + 1) (--keep-going goes on)") }
                break
            }
        }
        return status
    }

    /// Runs one line, printing its output or its error; returns its exit status.
    func runLine(_ line: String) async -> (status: Int32, quit: Bool) {
        do {
            guard let command = try CommandParser.parse(line) else { return (0, false) }
            if command == .quit { return (0, true) }
            let output = try await session.execute(command)
            if !output.isEmpty { print(output) }
            return (0, false)
        } catch let error as UsageError {
            report(error.description, status: 2)
            return (2, false)
        } catch {
            report("\(error)", status: 1)
            return (1, false)
        }
    }

    private func report(_ message: String, status: Int32) {
        if session.json {
            print(Documents.render(Documents.Failure(error: message, exitCode: status)))
        } else {
            printError(session.style.error("error: ") + message)
        }
    }
}
