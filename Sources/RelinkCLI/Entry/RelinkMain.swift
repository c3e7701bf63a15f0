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

        var storeDirectory = options.storeDirectory(environment: environment)
        var temporaryCopy: URL?
        if let fixture = options.fixture {
            do {
                let copy = try Fixtures.copy(fixture, to: options.store.map { URL(fileURLWithPath: $0, isDirectory: true) })
                storeDirectory = copy
                if options.store == nil { temporaryCopy = copy }
            } catch {
                printError("relink: \(error)")
                return 1
            }
        }
        defer { if let temporaryCopy { try? FileManager.default.removeItem(at: temporaryCopy) } }

        let store: Store
        do {
            store = try Store(directory: storeDirectory)
        } catch {
            printError("relink: cannot open the store: \(error)")
            return 1
        }
        let target: Session.Target
        switch options.endpoint {
        case nil, "mock": target = .builtInMock
        case let url? where url.hasPrefix("https://api.") && url.contains("intercom.io"): target = .real
        case let url?:
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                printError("relink: --endpoint is mock or a URL (http://127.0.0.1:PORT for a standalone mock), not \"\(url)\"")
                return 2
            }
            target = .mock(url.hasSuffix("/") ? String(url.dropLast()) : url)
        }
        let readsTerminal = isatty(STDIN_FILENO) == 1
        let session = Session(
            store: store, json: options.json, style: options.json ? .plain : .detect(environment: environment),
            target: target, region: options.region ?? .us, interactive: readsTerminal)
        let runner = ScriptRunner(session: session, keepGoing: options.keepGoing)
        let status: Int32
        if !options.commands.isEmpty {
            status = await runner.run(lines: options.commands, source: "-c")
        } else if let script = options.script {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                printError("relink: cannot read the script \(script)")
                await session.close()
                return 2
            }
            status = await runner.run(lines: text.components(separatedBy: "\n"), source: script)
        } else if readsTerminal && !options.json {
            let banner = "relink \(version) — store \(store.directory.path)"
                + (temporaryCopy != nil ? " (a copy of Fixtures/\(options.fixture ?? ""), removed on exit)" : "")
                + ", \(store.projectCount) projects. Intercom: " + (target == .real ? "the real API" : "the mock")
                + ".\nType help for the commands, quit or Ctrl-D to leave."
            status = await REPL(session: session, runner: runner, banner: banner).run()
        } else {
            var lines: [String] = []
            while let line = readLine(strippingNewline: true) { lines.append(line) }
            status = await runner.run(lines: lines, source: "standard input")
        }
        await session.close()
        return status
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
