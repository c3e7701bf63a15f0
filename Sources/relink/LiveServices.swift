import AsyncHTTPClient
import IntercomAPI
import IntercomClient
import IntercomMock
import IntercomMockControl
import IntercomMockStore
import IntercomMockWorld
import Logging
import RelinkCLI
import RelinkCore
import RelinkService
import RelinkStore
import RelinkUI

/// Where Intercom is for this run of relink.
enum IntercomTarget: Equatable {
    /// The built-in mock over the store's world, started in-process on a loopback port when first needed.
    case builtInMock
    /// A standalone mock or the real API, at an address known from the start.
    case remote(HTTPIntercomGateway.Target)

    /// Whether Intercom is the real API (its own hosts, or another address with `--real`).
    var isRealAPI: Bool {
        if case .remote(let remote) = self { remote.isRealAPI } else { false }
    }
}

/// The services commands run against: one transport for every call (direct, or through the HTTPS
/// proxy to the real API), the built-in mock when it is used, the connection service. Nothing
/// starts before a command needs it; ``shutdown()`` closes the transport first, then stops the
/// mock, whose graceful shutdown waits for open connections.
actor LiveServices: ServiceProvider {
    let store: Store
    let target: IntercomTarget
    let configuration: ServiceConfiguration
    /// Built at the composition root from `SSL_CERT_FILE` and `HTTPS_PROXY`/`NO_PROXY`; closed here.
    private let transport: HTTPTransport
    /// How the person is asked for a pasted code, a token or a yes.
    private let interaction: TerminalInteraction
    private var transportClosed = false
    private var mock: RunningMockServer?
    private var service: ConnectionService?
    /// The `Intercom-Version` the service's gateway sends.
    private var serviceVersion: String?
    /// The authorize page the service's gateway sends the person to (the real API's own hosts).
    private var serviceAuthorizeURL: String?
    private var control: MockControlClient?
    /// The settings page, once `ui` started it; stopped first on shutdown.
    var settingsPage: RunningSettingsPage?

    init(
        store: Store, target: IntercomTarget, transport: HTTPTransport, interaction: TerminalInteraction,
        configuration: ServiceConfiguration
    ) {
        self.store = store
        self.target = target
        self.transport = transport
        self.interaction = interaction
        self.configuration = configuration
    }

    nonisolated var isRealAPI: Bool { target.isRealAPI }

    nonisolated var isBuiltInMock: Bool { target == .builtInMock }

    nonisolated var intercomDescription: String {
        switch target {
        case .builtInMock: "the mock"
        case .remote(.mock(let baseURL)): "the mock at \(baseURL)"
        case .remote(.real(let region)): "the real API (\(region))"
        case .remote(.realAt(let baseURL)): "the real API at \(baseURL)"
        }
    }

    func connectionService() async throws -> ConnectionService {
        // `config set intercom-version` reaches every request, to the mock as to the real API,
        // also when it is typed in the REPL after Intercom was first used.
        let settings = RealAPIConfiguration(store: store, overrides: configuration.overrides)
        let version = try settings.intercomVersion()
        // `config set authorize-url` too, for the real API's own hosts.
        let authorizeURL = isRealAPI ? try settings.authorizeURL() : nil
        if let service, version == serviceVersion, authorizeURL == serviceAuthorizeURL { return service }
        let gateway: HTTPIntercomGateway
        var worldControl: MockControlClient?
        if isRealAPI, case .remote(let real) = target {
            gateway = HTTPIntercomGateway(
                target: real, transport: try openTransport(), authorizeURL: authorizeURL, intercomVersion: version,
                logger: configuration.logger)
        } else {
            let baseURL = try await mockBaseURL()
            gateway = HTTPIntercomGateway(
                target: .mock(baseURL: baseURL), transport: try openTransport(), intercomVersion: version,
                logger: configuration.logger)
            worldControl = try await mockControlClient()
        }
        let created = ConnectionService(
            store: store, intercom: gateway, worldControl: worldControl, configuration: configuration,
            interaction: interaction)
        service = created
        serviceVersion = version
        serviceAuthorizeURL = authorizeURL
        return created
    }

    func mockControl() async throws -> (any MockControl)? {
        try await mockControlClient()
    }

    private func mockControlClient() async throws -> MockControlClient? {
        if isRealAPI { return nil }
        if let control { return control }
        let created = MockControlClient(
            baseURL: try await mockBaseURL(), httpClient: try openTransport().direct, logger: configuration.logger)
        control = created
        return created
    }

    /// Closes connections to Intercom, then stops the built-in mock, if either was started. relink's
    /// HTTP client is the built-in mock's only client, so once it is closed an answer the mock is
    /// still preparing (a latency fault's sleep after Ctrl-C) has nobody to go to: the mock gets
    /// a moment to finish gracefully, then those are cancelled rather than waited for.
    func shutdown() async {
        await settingsPage?.shutdown()
        settingsPage = nil
        if !transportClosed {
            transportClosed = true
            try? await transport.shutdown()
        }
        await mock?.shutdown(abandoningOpenRequestsAfter: .milliseconds(200))
        mock = nil
    }

    func storeReplaced() async {
        guard target == .builtInMock, mock != nil else { return }
        // The transport stays open for the next mock; pooled connections to this one are cut
        // after the moment its graceful stop allows.
        await mock?.shutdown(abandoningOpenRequestsAfter: .milliseconds(200))
        mock = nil
        service = nil
        control = nil
    }

    /// The transport, while it is open: after ``shutdown()`` a call meets a plain error, not a
    /// closed client.
    private func openTransport() throws -> HTTPTransport {
        guard !transportClosed else { throw TransportClosed() }
        return transport
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
        case .remote(.real), .remote(.realAt):
            preconditionFailure("callers ask for a mock only when Intercom is not the real API")
        }
    }
}

/// A command after relink closed its connections to Intercom.
struct TransportClosed: Error, CustomStringConvertible {
    var description: String { "relink has closed its connections to Intercom; start relink again" }
}
