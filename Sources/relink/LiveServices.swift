import AsyncHTTPClient
import IntercomAPI
import IntercomClient
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import IntercomMockStore
import Logging
import RelinkCLI
import RelinkCore
import RelinkService
import RelinkStore

/// Where Intercom is for this run of relink.
enum IntercomTarget: Equatable {
    /// The built-in mock over the store's world, started in-process on a loopback port when first needed.
    case builtInMock
    /// A standalone mock or the real API, at an address known from the start.
    case remote(HTTPIntercomGateway.Target)
}

/// The services commands run against: one HTTP client for every call, the built-in mock when it is
/// used, the connection service. Nothing starts before a command needs it; ``shutdown()`` closes
/// the HTTP client first, then stops the mock, whose graceful shutdown waits for open connections.
actor LiveServices: ServiceProvider {
    let store: Store
    let target: IntercomTarget
    let configuration: ServiceConfiguration
    private var httpClient: HTTPClient?
    private var mock: RunningMockServer?
    private var service: ConnectionService?
    /// The `Intercom-Version` the service's gateway sends.
    private var serviceVersion: String?
    private var control: MockControlClient?

    init(store: Store, target: IntercomTarget, configuration: ServiceConfiguration) {
        self.store = store
        self.target = target
        self.configuration = configuration
    }

    nonisolated var isRealAPI: Bool {
        if case .remote(.real) = target { true } else { false }
    }

    nonisolated var isBuiltInMock: Bool { target == .builtInMock }

    nonisolated var intercomDescription: String {
        switch target {
        case .builtInMock: "the mock"
        case .remote(.mock(let baseURL)): "the mock at \(baseURL)"
        case .remote(.real(let region)): "the real API (\(region))"
        }
    }

    func connectionService() async throws -> ConnectionService {
        // `config set intercom-version` reaches every request, to the mock as to the real API,
        // also when it is typed in the REPL after Intercom was first used.
        let version = try RealAPIConfiguration(store: store, overrides: configuration.overrides).intercomVersion()
        if let service, version == serviceVersion { return service }
        let client = client()
        let gateway: HTTPIntercomGateway
        var worldControl: MockControlClient?
        if isRealAPI, case .remote(let real) = target {
            gateway = HTTPIntercomGateway(
                target: real, httpClient: client, intercomVersion: version, logger: configuration.logger)
        } else {
            let baseURL = try await mockBaseURL()
            gateway = HTTPIntercomGateway(
                target: .mock(baseURL: baseURL), httpClient: client, intercomVersion: version,
                logger: configuration.logger)
            worldControl = try await mockControlClient()
        }
        let created = ConnectionService(
            store: store, intercom: gateway, worldControl: worldControl, configuration: configuration,
            interaction: TerminalInteraction())
        service = created
        serviceVersion = version
        return created
    }

    func mockControl() async throws -> (any MockControl)? {
        try await mockControlClient()
    }

    private func mockControlClient() async throws -> MockControlClient? {
        if isRealAPI { return nil }
        if let control { return control }
        let created = MockControlClient(
            baseURL: try await mockBaseURL(), httpClient: client(), logger: configuration.logger)
        control = created
        return created
    }

    /// Closes connections to Intercom, then stops the built-in mock, if either was started. relink's
    /// HTTP client is the built-in mock's only client, so once it is closed an answer the mock is
    /// still preparing (a latency fault's sleep after Ctrl-C) has nobody to go to: the mock gets
    /// a moment to finish gracefully, then those are cancelled rather than waited for.
    func shutdown() async {
        try? await httpClient?.shutdown()
        httpClient = nil
        await mock?.shutdown(abandoningOpenRequestsAfter: .milliseconds(200))
        mock = nil
    }

    func storeReplaced() async {
        guard target == .builtInMock, mock != nil else { return }
        await shutdown()
        service = nil
        control = nil
    }

    private func client() -> HTTPClient {
        if let httpClient { return httpClient }
        let created = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPIntercomClient.recommendedConfiguration())
        httpClient = created
        return created
    }

    private func mockBaseURL() async throws -> String {
        switch target {
        case .remote(.mock(let baseURL)):
            return baseURL
        case .builtInMock:
            if let mock { return mock.baseURL }
            let logger = Logger(label: "relink.mock")
            try store.requireWorldIfConnected()
            let intercom = try MockIntercom.load(from: store, logger: logger)
            // Started outside the command's task: Ctrl-C cancels the command, not the mock's start
            // (MockServer.start waits for the port on an AsyncStream, which a cancelled task stops
            // reading from, and would then wait for a server that runs until shutdown).
            let running = try await Task { try await MockServer.start(intercom: intercom, logger: logger) }.value
            mock = running
            return running.baseURL
        case .remote(.real):
            preconditionFailure("callers ask for a mock only when Intercom is not the real API")
        }
    }
}
