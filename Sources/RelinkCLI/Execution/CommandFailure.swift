/// A command that was well formed but failed: a refused action, an unknown project, an Intercom
/// error. relink prints the message and exits 1.
struct CommandFailure: Error, Equatable, CustomStringConvertible {
    var message: String
    /// What the command did before it failed in part (the keys `check` could check): printed
    /// first; in JSON it is the command's one document and carries the failure itself.
    var output: String?

    init(_ message: String, output: String? = nil) {
        self.message = message
        self.output = output
    }

    var description: String { message }
}
