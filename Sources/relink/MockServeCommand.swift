import Foundation
import IntercomMock
import Logging
import RelinkStore

/// `relink mock serve [--port N] [--host 127.0.0.1] [--allow-remote] [--store DIR] [--quiet]`:
/// the mock Intercom as a standalone server over `DIR/world.json`, until SIGINT or SIGTERM.
enum MockServeCommand {
    static let usage = """
        usage: relink mock serve [--port N] [--host 127.0.0.1] [--allow-remote] [--store DIR] [--quiet]
        """

    /// Runs the command; returns the exit status (0 stopped cleanly, 1 failed, 2 bad usage).
    static func run(arguments: [String], environment: RelinkEnvironment) async -> Int32 {
        var port = 0
        var host = "127.0.0.1"
        var allowRemote = false
        var store: String?
        var quiet = false
        var rest = arguments[...]
        func fail(_ message: String) -> Int32 {
            FileHandle.standardError.write(Data("relink mock serve: \(message)\n\(usage)\n".utf8))
            return 2
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--port":
                guard let value = rest.popFirst(), let number = Int(value), (0...65535).contains(number) else {
                    return fail("--port needs a number between 0 and 65535")
                }
                port = number
            case "--host":
                guard let value = rest.popFirst(), !value.isEmpty else { return fail("--host needs an address") }
                host = value
            case "--store":
                guard let value = rest.popFirst(), !value.isEmpty else { return fail("--store needs a directory") }
                store = value
            case "--allow-remote":
                allowRemote = true
            case "--quiet":
                quiet = true
            case "-h", "--help":
                print(usage)
                return 0
            default:
                return fail("unknown argument \(argument)")
            }
        }
        guard allowRemote || isLoopback(host) else {
            return fail("\(host) is not a loopback address; add --allow-remote to listen on it")
        }
        let directory = environment.storeDirectory(option: store)
        var logger = Logger(label: "relink.mock")
        logger.logLevel = quiet ? .error : .info
        do {
            // The store owns world.json: the mock's changes go through its lock like every other.
            let intercom = try MockIntercom.load(from: try Store(directory: directory), logger: logger)
            try await MockServer.serve(intercom: intercom, host: host, port: port, logger: logger) { url in
                // The base URL is the one line scripts wait for; flush so a pipe sees it at once.
                FileHandle.standardOutput.write(Data((url + "\n").utf8))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("relink mock serve: \(error)\n".utf8))
            return 1
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
