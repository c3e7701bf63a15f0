import Foundation
import IntercomMock
import IntercomMockStore
import Logging
import RelinkCLI
import RelinkStore

extension MockServe {
    /// Serves until SIGINT or SIGTERM; returns the exit status (0 stopped cleanly, 1 failed).
    func serve(environment: RelinkEnvironment) async -> Int32 {
        var logger = Logger(label: "relink.mock")
        logger.logLevel = quiet ? .error : .info
        do {
            // The store owns world.json: the mock's changes go through its lock like every other.
            let store = try Store(directory: environment.storeDirectory(option: store))
            try store.requireWorldIfConnected()
            let intercom = try MockIntercom.load(from: store, logger: logger)
            try await MockServer.serve(intercom: intercom, host: host, port: port, logger: logger) { url in
                // The base URL is the one line scripts wait for; flush so a pipe sees it at once.
                FileHandle.standardOutput.write(Data((url + "\n").utf8))
            }
            return 0
        } catch {
            printError("relink mock serve: \(error)")
            return 1
        }
    }
}
