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

/// A command stopped by Ctrl-C (its task cancelled) after doing part of its work: `output` is
/// what it did (results it recorded), `message` what it did not do. relink prints both and goes
/// back to the prompt, or ends with exit status 130 in a script.
struct CommandInterrupted: Error, CustomStringConvertible {
    var output: String
    var message: String
    var description: String { message }
}
