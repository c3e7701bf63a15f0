import ArgumentParser
import Foundation
import RelinkCLI
import RelinkCommands
import RelinkCore
import RelinkStore

/// The `relink` command: global options, then the REPL, a script, or commands.
enum RelinkMain {
    /// Runs relink with `arguments` (without the program name) and returns the exit status:
    /// 0 done, 1 a command failed, 2 bad usage, 130 interrupted (128 + the signal's number).
    static func run(arguments: [String], environment: RelinkEnvironment) async -> Int32 {
        if arguments.first == "mock", arguments.dropFirst().first == "serve" {
            // Parsed by `MockServe` alone: from the root, argument-parser hands an option the root
            // also declares (`--store`) to the root, and `mock serve --store DIR` served the
            // default store's world instead of DIR's.
            do {
                return try await MockServe.parse(Array(arguments.dropFirst(2))).serve(environment: environment)
            } catch {
                let code = MockServe.exitCode(for: error)
                let message = MockServe.fullMessage(for: error)
                if code == .success {
                    // From the root, so that its usage reads `relink mock serve`, not `serve`.
                    print(GlobalOptions.helpMessage(for: MockServe.self))
                    return 0
                }
                printError(message)
                return code == .validationFailure ? 2 : 1
            }
        }
        let options: GlobalOptions
        do {
            switch try GlobalOptions.parseAsRoot(GlobalOptions.commandWordsAsCommands(arguments)) {
            case let parsed as GlobalOptions:
                options = parsed
            case let serve as MockServe:
                return await serve.serve(environment: environment)
            case var other:
                // argument-parser's own commands (help) and `mock` without `serve`: running them
                // throws the clean exit that prints their text.
                try other.run()
                return 0
            }
        } catch {
            return report(error)
        }

        let readsTerminal = isatty(STDIN_FILENO) == 1
        let relink: Relink
        do {
            relink = try buildRelink(options: options, environment: environment, interactive: readsTerminal)
        } catch {
            printError("relink: \(error)")
            return error.exitCode
        }
        // From here SIGINT, SIGTERM and SIGHUP stop the running command instead of relink, which
        // then shuts down what it started (the HTTP client, the built-in mock) before it exits.
        Interrupts.install()
        let runner = ScriptRunner(executor: relink.executor, keepGoing: options.keepGoing, echo: options.echo)
        let status: Int32
        if options.commands.count == 1, case .ui? = try? CommandParser.parse(options.commands[0]) {
            status = await serveSettingsPage(runner: runner, line: options.commands[0])
        } else if !options.commands.isEmpty {
            status = await runner.run(lines: options.commands, source: "-c")
        } else if let script = options.script {
            let text: String
            do {
                text = try Self.readScript(script)
            } catch {
                printError("relink: cannot read the script \(script): \(describe(error))")
                await relink.shutdown()
                return 2
            }
            let source = script == "-" ? "standard input" : script
            status = await runner.run(lines: text.components(separatedBy: "\n"), source: source)
        } else if readsTerminal && !options.json {
            let banner =
                "relink \(version) — store \(relink.store.directory.path)"
                + (relink.temporaryCopy != nil ? " (a copy of Fixtures/\(options.fixture ?? ""), removed on exit)" : "")
                + ", \(relink.store.projectCount == 1 ? "1 project" : "\(relink.store.projectCount) projects"). Intercom: "
                + relink.services.intercomDescription
                + ".\nType help for the commands, quit or Ctrl-D to leave."
            status = await REPL(runner: runner, banner: banner).run()
        } else {
            var lines: [String] = []
            while let line = readLine(strippingNewline: true) { lines.append(line) }
            status = await runner.run(lines: lines, source: "standard input")
        }
        await relink.shutdown()
        Interrupts.uninstall()
        return status
    }

    static let version = RelinkVersion.current

    /// `relink ui`: prints the page's URL, then serves it until SIGINT or SIGTERM, which end it
    /// cleanly (exit 0), as they end `mock serve`.
    static func serveSettingsPage(runner: ScriptRunner, line: String) async -> Int32 {
        let status = await runner.run(lines: [line], source: "-c")
        // The URL is the line a script waits for: flush so a pipe sees it at once.
        fflush(nil)
        guard status == 0 else { return status }
        _ = await Interrupts.cancellable {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        return 0
    }

    /// A script's text: `-` is standard input (as psql -f - and sh -s read it); anything else is
    /// read as a stream, so /dev/stdin and a shell's process substitution (/dev/fd/63) work too.
    static func readScript(_ path: String) throws -> String {
        let handle = path == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let data = try handle.readToEnd() ?? Data()
        guard let text = String(data: data, encoding: .utf8) else { throw ScriptNotText() }
        return text
    }

    struct ScriptNotText: Error, CustomStringConvertible {
        var description: String { "it is not UTF-8 text" }
    }

    /// Help, the version and completion scripts print on standard output and exit 0; a usage error
    /// prints on standard error and exits 2 (argument-parser's 64 is relink's 2), anything else 1.
    private static func report(_ error: any Error) -> Int32 {
        let code = GlobalOptions.exitCode(for: error)
        let message = GlobalOptions.fullMessage(for: error)
        if code == .success {
            print(message)
            return 0
        }
        printError(message)
        return code == .validationFailure ? 2 : 1
    }
}
