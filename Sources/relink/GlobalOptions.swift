import ArgumentParser
import RelinkCore

/// The `relink` command's own options (DESIGN.md §5); any other words are a REPL command.
struct GlobalOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relink",
        abstract: "A workbench for the connection between a Jira project and an Intercom workspace.",
        usage: """
            relink [<options>] [<command words>…]
            relink [<options>] (-c <command>)… | --script <file>
            relink mock serve [--port <port>] [--host <host>] [--store <dir>]
            relink [<options>] ui [--port <port>] [--open] [--read-only]
            """,
        discussion: """
            With no command on a terminal, relink starts its REPL; with standard input not a terminal, it reads \
            commands from it. Words after the options are one command, as typed at the REPL (relink show SUP, \
            relink mock fault list). `relink help` lists the commands by group, `relink help GROUP` one group, \
            `relink help COMMAND` one command. Exit status: 0 done, 1 a command \
            failed, 2 bad usage, 3 a check --exit-code found a broken connection, 130 interrupted \
            (143 SIGTERM, 129 SIGHUP).
            """,
        version: "relink \(RelinkMain.version)",
        subcommands: [MockGroup.self])

    @Option(
        help: ArgumentHelp(
            "The store directory (default: $RELINK_STORE, else $XDG_DATA_HOME/relink, else ~/.local/share/relink).",
            valueName: "dir"))
    var store: String?

    @Option(
        help: ArgumentHelp(
            "Start from a copy of Fixtures/NAME (demo is built in): a temporary one deleted on exit, or --store DIR kept.",
            valueName: "name"))
    var fixture: String?

    @Option(
        help: ArgumentHelp(
            "mock (the built-in mock, the default), or an Intercom base URL (a standalone mock, or https://api.intercom.io).",
            valueName: "mock|url"))
    var endpoint: String?

    @Flag(
        help: ArgumentHelp(
            "Treat --endpoint URL as Intercom's real API (a gateway, a stand-in): authorize at URL/oauth, "
                + "exchange codes at URL/auth/eagle/token, no mock control. Alone: https://api.intercom.io."))
    var real = false

    @Option(help: ArgumentHelp("The real API's region for new connections.", valueName: "us|eu|au"))
    var region: Region?

    @Flag(help: "One JSON document per command.")
    var json = false

    @Flag(help: "In a script, go on after a failing command.")
    var keepGoing = false

    @Flag(
        name: [.customShort("e"), .long],
        help: "Print each command of -c or a script before its output, as relink> COMMAND (like psql -e).")
    var echo = false

    @Option(help: ArgumentHelp("Run the commands of FILE, one per line (- for standard input).", valueName: "file"))
    var script: String?

    @Option(
        name: [.customShort("c"), .customLong("command")],
        help: ArgumentHelp("Run one command (repeatable).", valueName: "command"))
    var commands: [String] = []

    func validate() throws {
        if script != nil, !commands.isEmpty {
            throw ValidationError("give --script or commands, not both")
        }
    }

    /// Options that take a value: the word after them is theirs, not a command's.
    static let valueOptions: Set<String> = [
        "--store", "--fixture", "--endpoint", "--region", "--script", "-c", "--command",
    ]
    /// Every option of `relink`: command words stop at one of these (`relink show SUP --json`).
    static let globalOptions: Set<String> = valueOptions.union([
        "--json", "--real", "--keep-going", "--help", "-h", "--version",
    ])

    /// Turns the command words of `arguments` (`relink show SUP`) into one `-c`, so that a
    /// command's own options (`relink connect OPS --as EMAIL`) are not taken for relink's.
    /// `mock serve` stays the one process subcommand.
    static func commandWordsAsCommands(_ arguments: [String]) -> [String] {
        if arguments.first == "mock", arguments.dropFirst().first == "serve" { return arguments }
        var result: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--" {
                if !rest.isEmpty { result += ["-c", rest.map(quoted).joined(separator: " ")] }
                break
            }
            if valueOptions.contains(argument) {
                result.append(argument)
                if let value = rest.popFirst() { result.append(value) }
            } else if argument.hasPrefix("-") {
                result.append(argument)
            } else {
                let words = [argument] + rest.prefix { !globalOptions.contains($0) && !isGlobalOptionWithValue($0) }
                rest = rest.dropFirst(words.count - 1)
                result += ["-c", words.map(quoted).joined(separator: " ")]
            }
        }
        return result
    }

    private static func isGlobalOptionWithValue(_ word: String) -> Bool {
        valueOptions.contains { word.hasPrefix($0 + "=") }
    }

    /// A word as the REPL's splitter reads it back: quoted when it holds spaces, quotes or backslashes.
    static func quoted(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == "#" }) || word.isEmpty
            ? "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" : word
    }
}

extension Region: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(loose: argument)
    }

    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}

/// `relink mock`: only `mock serve` is a process subcommand; `relink mock fault list` and the
/// like are REPL commands.
struct MockGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock", abstract: "The mock Intercom as a standalone server.", subcommands: [MockServe.self])
}

/// `relink mock serve`: the mock Intercom over a store's world, until SIGINT or SIGTERM.
struct MockServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the mock Intercom over a store's world.json until SIGINT or SIGTERM.",
        discussion: "Prints its base URL once it listens. Loopback only unless --allow-remote.")

    @Option(help: "The port to listen on (0: one the OS picks).")
    var port: Int = 0

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Flag(help: "Allow an address that is not loopback.")
    var allowRemote = false

    @Option(help: ArgumentHelp("The store whose world the mock serves (default as for relink).", valueName: "dir"))
    var store: String?

    @Flag(help: "Log errors only.")
    var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port needs a number between 0 and 65535") }
        guard allowRemote || Self.isLoopback(host) else {
            throw ValidationError("\(host) is not a loopback address; add --allow-remote to listen on it")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
