import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// Why a lifecycle command failed, with what to do next. Never holds a secret.
///
/// Each failure keeps its own type until a person reads it: a store failure stays a
/// ``RelinkStore/StoreError``, a refusal of the mock's control API a ``MockControlError``.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownProject(ProjectKey, suggestion: String?)
    case refused(LifecycleError)
    case intercom(IntercomFailure, during: String)
    /// Authorizing failed before Intercom confirmed a token.
    case authorization(AuthorizationFailure)
    /// Something relink needs to be set up is missing (the OAuth app's credentials).
    case configuration(ConfigurationProblem)
    /// `break` against the real API, where nothing may be broken on purpose.
    case notOnRealAPI
    case missingToken(ProjectKey)
    /// The store could not be read or changed.
    case store(StoreError)
    /// The mock's control API refused, or could not be reached.
    case mock(MockControlError, doing: String)
    /// The task was cancelled (Ctrl-C) before every project was checked: `done` holds the checks
    /// that finished and were recorded, `notChecked` the projects left as they were.
    case checkInterrupted(done: [CheckResult], notChecked: [ProjectKey])
    /// The app's work (links, notes, the outbox) was refused.
    case work(WorkRefusal)
    /// Shaping a case by hand (`project add`, `project remove`) was refused.
    case catalog(CatalogRefusal)

    public var description: String {
        switch self {
        case .unknownProject(let key, let suggestion):
            "no project \(TerminalText.shortened(key.rawValue, toColumns: 40))" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (projects lists them)"
        case .refused(let error):
            error.description
        case .intercom(let failure, let during):
            "\(during): \(failure)"
        case .authorization(let failure):
            failure.description
        case .configuration(let problem):
            problem.description
        case .notOnRealAPI:
            "break simulates a cause on the mock's world; against the real Intercom it is refused "
                + "(nothing there may be broken on purpose). Run relink with --endpoint mock."
        case .missingToken(let key):
            "the store has no token for \(key)'s connection (was secrets.json replaced?); reconnect \(key) to authorize again"
        case .store(let error):
            error.description
        case .mock(let error, let doing):
            "\(doing): \(error)"
        case .work(let refusal):
            refusal.description
        case .catalog(let refusal):
            refusal.description
        case .checkInterrupted(let done, let notChecked):
            "interrupted: checked \(done.count) of \(done.count + notChecked.count); not checked (left as they were): "
                + Self.summarised(notChecked)
        }
    }
}

/// Why authorizing a teammate failed, with what to do next. Never holds a secret.
public enum AuthorizationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// `app-user` without `--as`.
    case newAppUserNeeded
    /// Intercom's `/me` answer names no workspace.
    case meNamesNoWorkspace
    /// The token is for another workspace than `--workspace` asked for.
    case otherWorkspace(Workspace, wanted: String)
    /// Against the mock, no `--as`.
    case mockTeammateNeeded
    /// The mock's world has no such teammate; `known` are the world's teammates.
    case notATeammate(String, known: [String])
    case noMockPassword(String)
    /// The app user can no longer authorize the workspace (`user-removed`).
    case appUserRemoved(String, workspace: String)
    /// The mock's login refused the teammate for the workspace; `message` is the login's own.
    case loginForbidden(String, workspace: String, message: String?)
    /// Wrong password or unknown teammate.
    case loginRefused(String)
    /// Against the real API with nobody at a terminal.
    case needsTerminal
    /// An empty answer at the prompt for `what` ("code", "access token").
    case nothingGiven(String)
    /// Reading `what` at its prompt failed.
    case readFailed(String, reason: String)
    /// Ctrl-C at the prompt for `what`: nothing was asked of Intercom, nothing changed.
    case interruptedAtPrompt(String)
    /// Ctrl-C while `--listen` waited for the redirect, after this long.
    case listenInterrupted(after: Duration)
    /// The redirect (pasted or received) carried no usable code.
    case redirect(OAuthError)
    /// `--listen` with a redirect URL that is not on loopback.
    case listenNeedsLoopback(configured: String)

    public var description: String {
        switch self {
        case .newAppUserNeeded:
            "app-user needs the new teammate: --as EMAIL"
        case .meNamesNoWorkspace:
            "Intercom's /me answer names no workspace (app); cannot connect"
        case .otherWorkspace(let workspace, let wanted):
            "the authorization is for workspace \(workspace.name) (\(workspace.id)), not \(Self.shown(wanted)); "
                + "log in to \(Self.shown(wanted)) or leave out --workspace"
        case .mockTeammateNeeded:
            "against the mock, say which teammate logs in: --as EMAIL (world lists them)"
        case .notATeammate(let email, let known):
            "\(Self.shown(email)) is not a teammate in the mock's world; world lists the teammates"
                + (known.isEmpty ? "" : " (\(known.sorted().prefix(5).joined(separator: ", ")))")
        case .noMockPassword(let email):
            "relink knows no mock password for \(Self.shown(email)): add --password PW once (the store then remembers it)"
        case .appUserRemoved(let email, let workspace):
            "\(Self.shown(email)) can no longer authorize \(workspace) (removed from it?): a new app user is needed. "
                + "Reconnect as another teammate: --as EMAIL"
        case .loginForbidden(let email, let workspace, let message):
            message ?? "\(Self.shown(email)) cannot authorize \(workspace)"
        case .loginRefused(let email):
            "the mock refused the login of \(Self.shown(email)): wrong password or unknown teammate"
        case .needsTerminal:
            "authorizing against the real API needs a person at a terminal"
        case .nothingGiven(let what):
            "no \(what) given"
        case .readFailed(let what, let reason):
            "reading \(what) failed: \(reason)"
        case .interruptedAtPrompt(let what):
            "Ctrl-C at the prompt for \(what): nothing was sent to Intercom and nothing changed"
        case .listenInterrupted(let after):
            "Ctrl-C after \(OAuthError.spoken(after)) of waiting for Intercom's redirect (none had arrived): "
                + "nothing changed"
        case .redirect(let error):
            error.description
        case .listenNeedsLoopback(let configured):
            "--listen receives Intercom's redirect on this machine, which needs a loopback redirect URL "
                + "registered for a development app (config set redirect-url http://127.0.0.1:PORT/callback); "
                + "\(configured) is not one: connect with --paste instead"
        }
    }

    /// A word the person typed (an email, a workspace), shortened to fit a line.
    static func shown(_ word: String) -> String { TerminalText.shortened(word, toColumns: 40) }
}

extension ServiceError {
    /// What `read` gives from the store, a record that cannot be read (`StoreError`) becoming
    /// `.store`: for reads inside functions that throw `ServiceError`.
    static func reading<T>(_ read: @autoclosure () throws(StoreError) -> T) throws(ServiceError) -> T {
        do { return try read() } catch { throw .store(error) }
    }

    /// Keys for a message: all of a few, or the first five and how many more, so that an
    /// interrupted check of 1,000 projects says so in one line, not 670 keys over 51 rows.
    static func summarised(_ keys: [ProjectKey]) -> String {
        guard keys.count > 6 else { return keys.map(\.rawValue).joined(separator: ", ") }
        return "\(keys.count) projects, " + keys.prefix(5).map(\.rawValue).joined(separator: ", ")
            + " and \(keys.count - 5) more"
    }
}
