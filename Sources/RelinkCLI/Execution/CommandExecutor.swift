import Foundation
import IntercomMockStore
import RelinkCommands
import RelinkCore
import RelinkService
import RelinkStore
import SupportBundles

/// Runs one command against the store and the services, and answers what to print. The REPL,
/// `-c`, `--script` and standard input all go through ``execute(_:)``; none of them builds what
/// the commands run against (the composition root does) or decides how results read (a
/// ``Presenter`` does).
public final class CommandExecutor: Sendable {
    public let store: Store
    let services: any ServiceProvider
    let presenter: any Presenter
    let style: Style
    /// Whether a person is watching a terminal: then `check` draws a progress bar.
    let interactive: Bool
    /// Says what relink waits for while Intercom is slow (on a terminal only).
    let feedback: WaitFeedback
    /// Real-API settings given from outside the store (the environment, `--region`).
    let settingOverrides: SettingOverrides
    /// Reads a secret at a prompt that does not echo (`config set client-secret`).
    let readSecret: @Sendable (_ prompt: String) async throws -> String

    /// - Parameters:
    ///   - json: one JSON document per command instead of text.
    ///   - style: colours for text (ignored with `json`).
    public init(
        store: Store, services: any ServiceProvider, json: Bool,
        settingOverrides: SettingOverrides = SettingOverrides(),
        style: Style, interactive: Bool, feedback: WaitFeedback = WaitFeedback(enabled: false),
        readSecret: @escaping @Sendable (_ prompt: String) async throws -> String = TerminalInteraction.readHidden
    ) {
        self.feedback = feedback
        self.settingOverrides = settingOverrides
        self.readSecret = readSecret
        self.store = store
        self.services = services
        self.presenter = json ? JSONPresenter() : TextPresenter(style: style)
        self.style = style
        self.interactive = interactive
    }

    var json: Bool { presenter is JSONPresenter }

    /// Runs one command and returns what to print.
    ///
    /// - Throws: the command's failure as its own type (`ServiceError`, `StoreError`,
    ///   `CommandFailure`, a bundle's error), which the presenter words with its code (exit 1).
    func execute(_ command: Command) async throws -> String {
        try store.refresh()
        // A command that must write refuses a read-only store before it sends anything: a check
        // whose verdict cannot be kept would spend a request and report a failure that is not
        // Intercom's.
        if Self.writesTheStore(command, builtInMock: services.isBuiltInMock), let reason = store.readOnlyReason {
            throw StoreError.readOnly(directory: store.directory.path, reason: reason)
        }
        guard Self.waitsForIntercom(command) else { return try await run(command) }
        return try await feedback.whileWaiting { try await run(command) }
    }

    func run(_ command: Command) async throws -> String {
        let actor = "relink " + Self.verb(command)
        switch command {
        case .projects:
            // The listed fields of every record, read on every core, rather than whole records.
            return presenter.projects(try store.projectListings)
        case .show(let key):
            let project = try store.requireProject(key)
            let connection = try store.connection(for: key)
            // A connection whose token the secrets lack is not shown green (a lost write).
            let tokenLost = try connection.state.authorization.map { try store.token(id: $0.tokenID) == nil } ?? false
            return presenter.show(
                SettingsView(project: project, connection: connection, tokenLost: tokenLost), project: project)
        case .log(let key, let limit):
            if let key { _ = try store.requireProject(key) }
            return presenter.events(try store.events(for: key, limit: limit))
        case .help(let topic):
            return presenter.help(topic)
        case .quit:
            return ""
        case .connect(let key, let teammate, let workspace, let password, let method):
            return present(
                try await services.connectionService().lifecycle.connect(
                    key,
                    as: AuthorizationRequest(
                        teammate: teammate, password: password, workspace: workspace, method: method),
                    actor: actor))
        case .reconnect(let key, let teammate, let workspace, let allow, let password, let method):
            return present(
                try await services.connectionService().lifecycle.reconnect(
                    key,
                    as: AuthorizationRequest(
                        teammate: teammate, password: password, workspace: workspace, method: method),
                    allowWorkspaceChange: allow, actor: actor))
        case .appUser(let key, let teammate, let allow, let password):
            return present(
                try await services.connectionService().lifecycle.changeAppUser(
                    key, as: AuthorizationRequest(teammate: teammate, password: password),
                    allowWorkspaceChange: allow, actor: actor))
        case .revoke(let key):
            return present(try await services.connectionService().lifecycle.revoke(key, actor: actor))
        case .check(let keys, let all, let deep, let exitCode):
            // Every key given is checked or said why not; a key given twice is checked once.
            let (checkable, skipped) = HealthCheck.sortOut(keys, in: store)
            let notChecked = skipped.map { (key: $0.key, reason: $0.description) }
            var results: [CheckResult] = []
            var deliveries: [DeliveryReport] = []
            if all || !checkable.isEmpty {
                let service = try await services.connectionService()
                let progress = ProgressBar(
                    enabled: !json && interactive && isatty(STDERR_FILENO) == 1, width: style.width)
                do {
                    defer { progress.finish() }
                    results = try await service.health.check(
                        all ? nil : checkable, deep: deep, actor: actor, progress: { progress.update($0) },
                        rateLimitWait: { progress.waiting($0) })
                } catch {
                    guard case .checkInterrupted(let done, _) = error else { throw error }
                    throw CommandInterrupted(
                        output: done.isEmpty ? "" : presenter.check(done, notChecked: notChecked),
                        message: error.description)
                }
                // The held work of each project the check found connected is delivered (the service's
                // rule), under the same waiting line as any other call to Intercom.
                let checked = results
                deliveries = try await feedback.whileWaiting {
                    try await service.outbox.deliver(after: checked, actor: actor)
                }
            }
            let report = presenter.appending(deliveries, to: presenter.check(results, notChecked: notChecked))
            guard notChecked.isEmpty else { throw CommandFailure.notChecked(notChecked.map(\.key), output: report) }
            let broken = results.filter { $0.state == .broken }.map(\.key)
            if exitCode, !broken.isEmpty { throw BrokenConnectionsFound(keys: broken, output: report) }
            return report
        case .breakConnection(let key, let cause):
            return presenter.breakOutcome(
                try await services.connectionService().breaks.breakConnection(key, cause: cause))
        case .world, .mockFault, .mockJournal, .mockReset, .mockAllowlist:
            return try await mockCommand(command)
        case .links, .link, .unlink, .comment, .assign, .transition, .outbox, .outboxDeliver, .outboxDiscard,
            .mockConversation:
            return try await workCommand(command, actor: actor)
        case .export(let path):
            let summary = try SupportBundle.export(store, to: URL(fileURLWithPath: path, isDirectory: true))
            let text =
                "Exported \(summary.projects) projects, \(summary.events) events"
                + (summary.includesWorld ? " and the mock world" : "") + " to \(path), every secret redacted."
            return presenter.report(
                text,
                document: Documents.Export(
                    path: path, projects: summary.projects, events: summary.events,
                    includesWorld: summary.includesWorld, message: text))
        case .config(let config):
            return try await configCommand(config)
        case .projectAdd, .projectRemove, .settings:
            return try await projectCommand(command, actor: actor)
        case .importBundle(let path, let replace):
            return try await importBundle(from: path, replace: replace)
        case .ui(let port, let open, let readOnly):
            return try await settingsPage(port: port, open: open, readOnly: readOnly)
        case .verify:
            let read = try store.verifyIncludingMock()
            var text =
                "Every record reads: \(read.projects) projects, \(read.connections) connections, \(read.events) events "
                + "and \(read.tokens) tokens in \(store.directory.path)."
            if read.unreferencedTokens > 0 {
                text += " \(read.unreferencedTokens) token(s) no connection refers to (harmless leftovers, dropped at the next compaction)."
            }
            guard read.findings.isEmpty else { throw CommandFailure.brokenReferences(read.findings, summary: text) }
            return presenter.report(
                text,
                document: Documents.Verification(
                    store: store.directory.path, projects: read.projects, connections: read.connections,
                    events: read.events, tokens: read.tokens, message: text))
        }
    }

    /// A transition's event, then the settings view as it is now, then the outbox's delivery that
    /// followed it, if any.
    func present(_ outcome: TransitionOutcome) -> String {
        let output = presenter.transition(
            outcome.event, view: SettingsView(project: outcome.project, connection: outcome.connection),
            project: outcome.project)
        guard let delivery = outcome.delivery else { return output }
        return presenter.appending([delivery], to: output)
    }

    /// Commands that change the store: relink's records, or the mock's world, faults and journal.
    ///
    /// - Parameter builtInMock: whether the mock is this process's, over this store's world; a
    ///   mock at `--endpoint URL` keeps its world in a store of its own, so changing it writes
    ///   nothing here.
    static func writesTheStore(_ command: Command, builtInMock: Bool = true) -> Bool {
        switch command {
        case .mockFault(.list): false
        case .breakConnection, .mockFault, .mockReset, .mockAllowlist, .mockConversation: builtInMock
        // The page's actions come back through `execute`, each refused there as typed.
        case .projects, .show, .log, .help, .quit, .world, .mockJournal, .links, .outbox, .export, .verify, .ui:
            false
        case .settings(_, _, let value): value != nil
        case .config(.show): false
        case .connect, .check, .reconnect, .revoke, .appUser, .link, .unlink, .comment, .assign, .transition,
            .outboxDeliver, .outboxDiscard, .importBundle, .projectAdd, .projectRemove, .config:
            true
        }
    }

    /// Commands that call Intercom and may wait for it. A check of several projects shows its
    /// progress bar instead of the waiting line.
    static func waitsForIntercom(_ command: Command) -> Bool {
        switch command {
        case .connect, .reconnect, .appUser, .breakConnection, .world, .mockFault, .mockJournal, .mockReset,
            .mockAllowlist:
            true
        case .link, .comment, .assign, .transition, .outboxDeliver, .mockConversation: true
        case .check(let keys, let all, _, _): !all && keys.count == 1
        default: false
        }
    }

    static func verb(_ command: Command) -> String {
        switch command {
        case .connect: "connect"
        case .reconnect: "reconnect"
        case .appUser: "app-user"
        case .revoke: "revoke"
        case .check: "check"
        case .breakConnection: "break"
        case .projectAdd: "project add"
        case .projectRemove: "project remove"
        case .settings: "settings"
        case .link: "link"
        case .comment: "comment"
        case .assign: "assign"
        case .transition: "transition"
        case .outboxDeliver: "outbox deliver"
        case .outboxDiscard: "outbox discard"
        default: "command"
        }
    }
}
