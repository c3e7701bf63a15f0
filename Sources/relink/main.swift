import Foundation
import Logging
import RelinkCLI

// Only the executable bootstraps logging: warnings and worse to standard error, unless
// RELINK_LOG_LEVEL says otherwise. Libraries take a Logger and never print.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = ProcessInfo.processInfo.environment["RELINK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return handler
}
exit(await RelinkMain.run(arguments: Array(CommandLine.arguments.dropFirst())))
