/// A command that was well formed but failed: a refused action, an unknown project, an Intercom
/// error. relink prints the message and exits 1.
struct CommandFailure: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
