import RelinkCore

/// What the page does besides reading the store: the same commands a person types, run by the
/// process the page belongs to. The composition root implements it over the command executor and
/// the connection service, so an action from the page is the event a typed command is.
public protocol SettingsPageBackend: Sendable {
    /// Where Intercom is, for a person: "the mock", "the real API (US)".
    var intercomDescription: String { get }

    /// Whether Intercom is the real API: then the page offers only what needs no prompt.
    var isRealAPI: Bool { get }

    /// Runs one command line exactly as if it had been typed at the REPL (`reconnect SUP`) and
    /// answers what the REPL would have printed, secrets redacted as the REPL redacts them.
    func run(_ line: String) async -> PageCommandResult

    /// Checks `keys` after the mock's world changed (a `break` typed in another process), as the
    /// app discovers a dead token on its next call; the check's events name the page as actor.
    func checkAfterWorldChange(_ keys: [ProjectKey]) async
}

/// What a command run for the page printed.
public struct PageCommandResult: Sendable, Equatable {
    /// 0 done, 1 failed, 2 bad usage: the exit status the REPL would report.
    public var status: Int32
    public var output: String

    public init(status: Int32, output: String) {
        self.status = status
        self.output = output
    }
}
