import Foundation
import RelinkCLI
import RelinkCore
import RelinkStore

/// The `relink` command: global options, then the REPL, a script, or commands.
enum RelinkMain {
    /// Runs relink with `arguments` (without the program name) and returns the exit status:
    /// 0 done, 1 a command failed, 2 bad usage.
    static func run(arguments: [String], environment: RelinkEnvironment) async -> Int32 {
        if arguments.first == "mock", arguments.dropFirst().first == "serve" {
            return await MockServeCommand.run(arguments: Array(arguments.dropFirst(2)), environment: environment)
        }
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

        let readsTerminal = isatty(STDIN_FILENO) == 1
        let relink: Relink
        do {
            relink = try buildRelink(options: options, environment: environment, interactive: readsTerminal)
        } catch {
            printError("relink: \(error)")
            return error.exitCode
        }
        let runner = ScriptRunner(executor: relink.executor, keepGoing: options.keepGoing)
        let status: Int32
        if !options.commands.isEmpty {
            status = await runner.run(lines: options.commands, source: "-c")
        } else if let script = options.script {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                printError("relink: cannot read the script \(script)")
                await relink.shutdown()
                return 2
            }
            status = await runner.run(lines: text.components(separatedBy: "\n"), source: script)
        } else if readsTerminal && !options.json {
            let banner =
                "relink \(version) — store \(relink.store.directory.path)"
                + (relink.temporaryCopy != nil ? " (a copy of Fixtures/\(options.fixture ?? ""), removed on exit)" : "")
                + ", \(relink.store.projectCount) projects. Intercom: "
                + (relink.services.isRealAPI ? "the real API" : "the mock")
                + ".\nType help for the commands, quit or Ctrl-D to leave."
            status = await REPL(runner: runner, banner: banner).run()
        } else {
            var lines: [String] = []
            while let line = readLine(strippingNewline: true) { lines.append(line) }
            status = await runner.run(lines: lines, source: "standard input")
        }
        await relink.shutdown()
        return status
    }

    static let version = "0.1.0"
}
