import Foundation
import Logging

// The composition root: only the executable reads the environment and bootstraps logging
// (warnings and worse to standard error unless RELINK_LOG_LEVEL says otherwise); libraries take a
// Logger and never print.
let environment = RelinkEnvironment.current()
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = environment.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return handler
}
exit(await RelinkMain.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment))
