import Foundation
import Logging

// The composition root: only the executable reads the environment and bootstraps logging
// (warnings and worse to standard error unless RELINK_LOG_LEVEL says otherwise); libraries take a
// Logger and never print.
let environment = RelinkEnvironment.current()
// A file-size limit (`ulimit -f`) makes a write past it fail with EFBIG, which the store reports
// naming the file, instead of SIGXFSZ ending relink halfway through a commit.
signal(SIGXFSZ, SIG_IGN)
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = environment.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return handler
}
exit(await RelinkMain.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment))
