import Foundation
import RelinkCLI
import RelinkCore

/// The options before (or instead of) a command: DESIGN.md §5's global options.
struct GlobalOptions: Equatable {
    var store: String?
    var fixture: String?
    var endpoint: String?
    var region: Region?
    var json = false
    var keepGoing = false
    var script: String?
    var commands: [String] = []
    var showHelp = false
    var showVersion = false

    static let usage = """
        usage: relink [--store DIR] [--fixture NAME] [--endpoint mock|URL] [--region us|eu|au] [--json]
                      [--keep-going] [--script FILE | -c COMMAND … | COMMAND WORDS…]
               relink mock serve [--port N] [--host 127.0.0.1] [--store DIR]

        With no command on a terminal, relink starts its REPL; with standard input not a terminal, it
        reads commands from it. `relink -c help` lists the commands.

          --store DIR        the store directory (default: $RELINK_STORE, else $XDG_DATA_HOME/relink,
                             else ~/.local/share/relink)
          --fixture NAME     start from a copy of Fixtures/NAME, leaving the fixture untouched
          --endpoint E       mock (the built-in mock, default), or an Intercom base URL (a standalone
                             mock, or https://api.intercom.io for the real API)
          --region R         the real API's region for new connections: us, eu or au
          --json             one JSON document per command
          --keep-going       in a script, go on after a failing command
          -c COMMAND         run one command (may be repeated)
          --script FILE      run the commands of FILE, one per line
        Exit status: 0 done, 1 a command failed, 2 bad usage.
        """

    static func parse(_ arguments: [String]) throws(UsageError) -> GlobalOptions {
        var options = GlobalOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws(UsageError) -> String {
            guard let value = rest.popFirst(), !value.isEmpty else {
                throw UsageError("\(flag) needs a value", synopsis: nil)
            }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--store": options.store = try value(argument)
            case "--fixture": options.fixture = try value(argument)
            case "--endpoint": options.endpoint = try value(argument)
            case "--region":
                let text = try value(argument)
                guard let region = Region(loose: text) else {
                    throw UsageError("--region must be us, eu or au, not \"\(text)\"")
                }
                options.region = region
            case "--json": options.json = true
            case "--keep-going": options.keepGoing = true
            case "--script": options.script = try value(argument)
            case "-c", "--command": options.commands.append(try value(argument))
            case "-h", "--help": options.showHelp = true
            case "--version": options.showVersion = true
            default:
                if argument.hasPrefix("-") {
                    let flags = [
                        "--store", "--fixture", "--endpoint", "--region", "--json", "--keep-going", "--script",
                        "--help", "--version",
                    ]
                    let suggestion = Suggestion.closest(to: argument, in: flags)
                    throw UsageError("unknown option \(argument)" + (suggestion.map { "; did you mean \($0)?" } ?? ""))
                }
                // `relink show SUP` is `relink -c "show SUP"`; quote words that hold spaces.
                let words = [argument] + rest.prefix { !Self.isGlobalFlag($0) }
                rest = rest.dropFirst(words.count - 1)
                options.commands.append(words.map(Self.quoted).joined(separator: " "))
            }
        }
        if options.script != nil, !options.commands.isEmpty {
            throw UsageError("give --script or commands, not both")
        }
        return options
    }

    private static func isGlobalFlag(_ word: String) -> Bool {
        ["--store", "--fixture", "--endpoint", "--region", "--json", "--keep-going", "--script", "-c"].contains(word)
    }

    private static func quoted(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\\" })
            ? "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" : word
    }
}
