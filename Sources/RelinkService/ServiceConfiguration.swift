import Foundation
import IntercomClient
import IntercomMock
import Logging
import RelinkCore

/// Where the connection service talks to, and how.
public struct ServiceConfiguration: Sendable {
    public enum Target: Sendable, Equatable {
        /// A mock Intercom (built in or standalone) at this base URL: every region is served there,
        /// the teammate logs in through its `/oauth`, and break causes can be simulated.
        case mock(baseURL: String)
        /// The real Intercom API; new connections go to `region`'s host, checks to each
        /// connection's own region.
        case real(region: Region)
    }

    public var target: Target
    /// How many checks run at once in `check --all`.
    public var checkConcurrency: Int
    public var retry: RetryPolicy
    public var requestTimeout: Duration
    /// How long the loopback listener waits for the browser's redirect.
    public var authorizationTimeout: Duration
    public var now: @Sendable () -> Date
    public var logger: Logger

    public init(
        target: Target, checkConcurrency: Int = 16, retry: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(10), authorizationTimeout: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "relink.service")
    ) {
        self.target = target
        self.checkConcurrency = max(1, checkConcurrency)
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.authorizationTimeout = authorizationTimeout
        self.now = now
        self.logger = logger
    }

    public var isMock: Bool { if case .mock = target { true } else { false } }

    /// The endpoint that serves a workspace of `region`.
    public func endpoint(for region: Region?) -> IntercomEndpoint {
        switch target {
        case .mock(let baseURL): .custom(baseURL: baseURL)
        case .real(let defaultRegion): .production(region: (region ?? defaultRegion).rawValue)
        }
    }
}

/// The person's part of authorizing against the real API; the command line provides it.
public protocol AuthorizationInteraction: Sendable {
    /// Shows the authorize URL (and may open a browser).
    func present(authorizeURL: URL, waitingForRedirect: Bool) async
    /// Reads the code, or the whole redirect URL, that the person pastes.
    func readPastedCode() async throws -> String
    /// Reads an access token at a prompt that does not echo.
    func readHiddenToken() async throws -> String
}

/// How a new authorization is obtained.
public enum AuthorizationMethod: Sendable, Equatable {
    case browser
    case pasteCode
    case accessToken
}

/// Who asks for a new authorization, as whom.
public struct AuthorizationRequest: Sendable {
    public var teammate: String?
    public var password: String?
    public var workspace: String?
    public var method: AuthorizationMethod

    public init(teammate: String?, password: String? = nil, workspace: String? = nil, method: AuthorizationMethod = .browser) {
        self.teammate = teammate
        self.password = password
        self.workspace = workspace
        self.method = method
    }
}
