import IntercomMockWorld
import RelinkCore
import RelinkStore

/// A command that was well formed but failed in the command line itself (the service's failures
/// are ``RelinkService/ServiceError``s, the store's ``RelinkStore/StoreError``s): relink prints
/// the message and exits 1. Each case carries what a caller needs; the presenter words it.
enum CommandFailure: Error, Equatable, CustomStringConvertible {
    /// A mock command against the real Intercom API; `intercom` says where it is ("the real API
    /// (US)", "the real API at URL").
    case noMock(intercom: String)
    /// The mock's control API refused, or could not be reached.
    case mockRefused(MockControlError)
    case unknownConversation(String)
    /// `config set` of a secret whose prompt got nothing.
    case secretNotGiven(RealAPISetting)
    /// The end of input at a prompt for a pasted code.
    case noCodeGiven
    /// The end of input at a hidden prompt.
    case endOfInput
    /// `import` against the real Intercom API.
    case importNeedsMock
    /// `import` with a mock at `--endpoint URL`, which serves a store of its own.
    case importNeedsBuiltInMock(intercom: String, store: String)
    case importCancelled
    /// Done in part: `output` is what was done (printed first; in JSON the command's one document).
    case workStillHeld([ProjectKey], output: String)
    case notChecked([ProjectKey], output: String)
    /// `ui` could not listen (the port is taken); `reason` is the system's.
    case settingsPageFailed(port: Int?, reason: String)
    /// `verify`: every record reads, but references between the files do not hold.
    case brokenReferences([IntegrityFinding], summary: String)

    /// What the command did before it failed in part.
    var output: String? {
        switch self {
        case .workStillHeld(_, let output), .notChecked(_, let output): output
        default: nil
        }
    }

    var message: String { description }

    var description: String {
        switch self {
        case .noMock(let intercom):
            "there is no mock in use: Intercom is \(intercom), which has no mock control (run relink without --real "
                + "and with --endpoint mock or a mock's URL)"
        case .brokenReferences(let findings, let summary):
            "\(summary) But \(findings.count == 1 ? "a reference between its files does" : "\(findings.count) references between its files do") not hold:\n"
                + findings.map { "  \($0)" }.joined(separator: "\n")
        case .mockRefused(let error):
            "the mock refused: \(error)"
        case .unknownConversation(let id):
            "the mock has no conversation \(id) (world lists the workspaces)"
        case .secretNotGiven(let setting):
            "no \(setting.rawValue) given: type it at the prompt, or in a script pipe it to "
                + "relink -c \"config set \(setting.rawValue)\" (or set \(setting.environmentVariable ?? "it"))"
        case .settingsPageFailed(let port, let reason):
            "the settings page could not listen on 127.0.0.1\(port.map { ":\($0)" } ?? ""): \(reason)"
                + (port != nil ? " (another port, or none for one the system picks)" : "")
        case .noCodeGiven:
            "no code given"
        case .endOfInput:
            "nothing given at the prompt (end of input)"
        case .importNeedsMock:
            "import rebuilds a case on the mock, with fake secrets; run it without --endpoint (the real API "
                + "would refuse every imported token)"
        case .importNeedsBuiltInMock(let intercom, let store):
            "import writes the case into this store's mock world, which \(intercom) does not "
                + "read (it serves a store of its own); run import without --endpoint, then serve the case with "
                + "relink mock serve --store \(store)"
        case .importCancelled:
            "import cancelled; the store is as it was"
        case .workStillHeld(let keys, _):
            "work is still held: \(keys.map(\.rawValue).joined(separator: ", "))"
        case .notChecked(let keys, _):
            "not checked: \(keys.map(\.rawValue).joined(separator: ", "))"
        }
    }
}

/// A command stopped by Ctrl-C (its task cancelled) after doing part of its work: `output` is
/// what it did (results it recorded), `message` what it did not do. relink prints both and goes
/// back to the prompt, or ends with exit status 130 in a script.
struct CommandInterrupted: Error, CustomStringConvertible {
    var output: String
    var message: String
    var description: String { message }
}

/// `check --exit-code` found broken connections: not a failure of the command, whose report is its
/// output, but a status of its own (3) that a monitoring script reads without parsing JSON. A
/// script of commands goes on after it, as after a success.
struct BrokenConnectionsFound: Error, CustomStringConvertible {
    static let exitStatus: Int32 = 3
    var keys: [ProjectKey]
    var output: String
    var description: String { "broken: " + keys.map(\.rawValue).joined(separator: ", ") }
}
