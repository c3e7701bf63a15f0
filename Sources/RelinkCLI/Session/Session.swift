import AsyncHTTPClient
import Foundation
import IntercomClient
import IntercomMock
import Logging
import RelinkCore
import RelinkService
import RelinkStore

/// Runs commands against one store and renders their results, as text or as JSON documents.
/// The REPL, `-c`, `--script` and standard input all go through `execute`.
final class Session {
    let store: Store
    let json: Bool
    let style: Style
    let target: Target
    let region: Region
    let interactive: Bool
    var renderer: TextRenderer { TextRenderer(style: style) }
    private var mock: RunningMockServer?
    private var service: ConnectionService?
    /// Every call to Intercom or the mock goes through this client; `close()` shuts it down
    /// before the built-in mock, whose graceful shutdown waits for open connections.
    private(set) lazy var httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPIntercomClient.recommendedConfiguration())
    private var httpClientStarted = false
    private var teammateEmails: [String]?

    enum Target: Equatable {
        /// The built-in mock, started in-process on a loopback port when first needed.
        case builtInMock
        /// A standalone mock at this base URL.
        case mock(String)
        /// The real Intercom API.
        case real
    }

    init(store: Store, json: Bool, style: Style, target: Target, region: Region, interactive: Bool) {
        self.store = store
        self.json = json
        self.style = style
        self.target = target
        self.region = region
        self.interactive = interactive
    }

    /// Closes connections to Intercom, then stops the built-in mock, if either was started.
    func close() async {
        if httpClientStarted { try? await httpClient.shutdown() }
        await mock?.shutdown()
        mock = nil
    }

    /// Where Intercom calls go, for the banner.
    var targetDescription: String {
        switch target {
        case .builtInMock: mock.map { "the built-in mock at \($0.baseURL)" } ?? "the built-in mock"
        case .mock(let url): "the mock at \(url)"
        case .real: "the real Intercom API (\(region))"
        }
    }

    func connectionService() async throws -> ConnectionService {
        if let service { return service }
        let serviceTarget: ServiceConfiguration.Target
        switch target {
        case .builtInMock:
            let logger = Logger(label: "relink.mock")
            let intercom = try MockIntercom.load(from: FileWorldPersistence(fileURL: store.worldFile), logger: logger)
            let running = try await MockServer.start(intercom: intercom, logger: logger)
            mock = running
            serviceTarget = .mock(baseURL: running.baseURL)
        case .mock(let url):
            serviceTarget = .mock(baseURL: url)
        case .real:
            serviceTarget = .real(region: region)
        }
        httpClientStarted = true
        let created = ConnectionService(
            store: store, configuration: ServiceConfiguration(target: serviceTarget), httpClient: httpClient,
            interaction: TerminalInteraction())
        service = created
        return created
    }

    /// Teammates' emails for completion: the mock world's, else the app users the store knows.
    func knownTeammateEmails() -> [String] {
        if let teammateEmails { return teammateEmails }
        var emails = Set(store.projectKeys.compactMap { store.connection(for: $0).state.authorization?.appUser.email })
        if let world = try? FileWorldPersistence(fileURL: store.worldFile).loadWorld() {
            emails.formUnion(world.teammates.map(\.email))
        }
        teammateEmails = emails.sorted()
        return teammateEmails ?? []
    }

    /// Runs one command and returns what to print.
    ///
    /// - Throws: `UsageError` (exit 2) or `CommandFailure` (exit 1).
    func execute(_ command: Command) async throws -> String {
        try store.refresh()
        do {
            return try await run(command)
        } catch let error as ServiceError {
            throw CommandFailure(error.description)
        } catch let error as StoreError {
            throw CommandFailure(error.description)
        }
    }

    private func run(_ command: Command) async throws -> String {
        let actor = "relink " + Self.verb(command)
        switch command {
        case .projects:
            let views = store.projects.map { SettingsView(project: $0, connection: store.connection(for: $0.key)) }
            return json
                ? Documents.render(Documents.ProjectList(projects: views.map(Documents.ProjectSummary.init)))
                : renderer.projects(views)
        case .show(let key):
            return try showing(key)
        case .log(let key, let limit):
            if let key { _ = try requireProject(key) }
            let events = try store.events(for: key, limit: limit)
            return json ? Documents.render(Documents.EventList(events: events)) : renderer.events(events)
        case .help(let topic):
            if json {
                let specs = topic.flatMap(CommandSpec.named).map { [$0] } ?? CommandSpec.all
                return Documents.render(
                    Documents.Help(
                        commands: specs.map { .init(name: $0.name, synopsis: $0.synopsis, summary: $0.summary, details: $0.details) }))
            }
            return renderer.help(topic)
        case .quit:
            return ""
        case .connect(let key, let teammate, let workspace, let password, let method):
            _ = try requireProject(key)
            let event = try await connectionService().connect(
                key, as: AuthorizationRequest(teammate: teammate, password: password, workspace: workspace, method: method.service),
                actor: actor)
            return try transition(event)
        case .reconnect(let key, let teammate, let workspace, let allow, let password, let method):
            _ = try requireProject(key)
            let event = try await connectionService().reconnect(
                key, as: AuthorizationRequest(teammate: teammate, password: password, workspace: workspace, method: method.service),
                allowWorkspaceChange: allow, actor: actor)
            return try transition(event)
        case .appUser(let key, let teammate, let allow, let password):
            _ = try requireProject(key)
            let event = try await connectionService().changeAppUser(
                key, as: AuthorizationRequest(teammate: teammate, password: password), allowWorkspaceChange: allow, actor: actor)
            return try transition(event)
        case .revoke(let key):
            _ = try requireProject(key)
            return try transition(try await connectionService().revoke(key, actor: actor))
        case .check(let keys, let all):
            for key in keys { _ = try requireProject(key) }
            let progress = ProgressBar(enabled: !json && interactive && isatty(STDERR_FILENO) == 1)
            let results = try await connectionService().check(all ? nil : keys, actor: actor) { progress.update($0) }
            progress.finish()
            return json ? Documents.render(Documents.CheckReport(results: results)) : renderer.check(results)
        case .breakConnection(let key, let cause):
            _ = try requireProject(key)
            let outcome = try await connectionService().breakConnection(key, cause: cause)
            return json ? Documents.render(Documents.Break(outcome: outcome)) : renderer.breakOutcome(outcome)
        case .world, .mockFault, .mockJournal, .mockReset:
            return try await mockCommand(command)
        case .export(let path):
            return try export(to: path)
        }
    }

    private func showing(_ key: ProjectKey) throws -> String {
        let project = try requireProject(key)
        let view = SettingsView(project: project, connection: store.connection(for: key))
        return json ? Documents.render(Documents.Show(view: view, project: project)) : renderer.show(view, project: project)
    }

    /// A transition's event, then the settings view as it is now.
    private func transition(_ event: ConnectionEvent) throws -> String {
        let project = try requireProject(event.project)
        let view = SettingsView(project: project, connection: store.connection(for: event.project))
        if json { return Documents.render(Documents.Transition(event: event, project: Documents.Show(view: view, project: project))) }
        return renderer.events([event]) + "\n\n" + renderer.show(view, project: project)
    }

    /// The project, or a failure that names the closest key.
    func requireProject(_ key: ProjectKey) throws(CommandFailure) -> Project {
        if let project = store.project(key) { return project }
        let suggestion = Suggestion.closest(to: key.rawValue, in: store.projectKeys.map(\.rawValue))
        throw CommandFailure("no project \(key)" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (projects lists them)")
    }

    static func verb(_ command: Command) -> String {
        switch command {
        case .connect: "connect"
        case .reconnect: "reconnect"
        case .appUser: "app-user"
        case .revoke: "revoke"
        case .check: "check"
        case .breakConnection: "break"
        default: "command"
        }
    }
}

extension Command.ConnectMethod {
    var service: AuthorizationMethod {
        switch self {
        case .browser: .browser
        case .pasteCode: .pasteCode
        case .accessToken: .accessToken
        }
    }
}
