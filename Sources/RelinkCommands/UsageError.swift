/// A command that is not well formed: relink prints the message and the usage, and exits 2.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// The usage line of the command, when the mistake is in one command's words.
    public var synopsis: String?

    public init(_ message: String, synopsis: String? = nil) {
        self.message = message
        self.synopsis = synopsis
    }

    public var description: String {
        synopsis.map { "\(message)\nusage: \($0)" } ?? message
    }
}
