/// A command that is not well formed: relink prints the message and the usage, and exits 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var synopsis: String?

    public init(_ message: String, synopsis: String? = nil) {
        self.message = message
        self.synopsis = synopsis
    }

    public var description: String {
        synopsis.map { "\(message)\nusage: \($0)" } ?? message
    }
}

/// A command that was well formed but failed: a refused action, an unknown project, an Intercom
/// error. relink prints the message and exits 1.
struct CommandFailure: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
