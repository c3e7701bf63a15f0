import Foundation
import IntercomAPI
import Logging
import RelinkCore
import RelinkStore

/// How the connection service works: its pace, its patience, its clock and the OAuth app it
/// authorizes as. Where it talks to is its ``IntercomGateway``; the composition root reads the
/// environment and fills this in.
public struct ServiceConfiguration: Sendable {
    /// How many checks run at once in `check --all`.
    public var checkConcurrency: Int
    public var retry: RetryPolicy
    /// Keeps checks inside Intercom's rate limits, per workspace, for the service's lifetime.
    public var pacer: RateLimitPacer
    /// How long the loopback listener waits for the browser's redirect.
    public var authorizationTimeout: Duration
    /// Real-API settings given from outside the store (the environment, `--region`), which win
    /// over what `config set` kept (``RealAPIConfiguration``).
    public var overrides: SettingOverrides
    public var now: @Sendable () -> Date
    public var logger: Logger
    /// How old an earlier delivery attempt must be before its conversation is searched for the
    /// note: a post still in flight when its delivery died (killed, Ctrl-C) lands in that time on a
    /// server that answers before the client would have given up, and is then found instead of
    /// posted again. The HTTP client's request timeout (10 s, `HTTPIntercomClient`).
    public var postSettleTime: Duration
    /// Waits out `postSettleTime` (tests make it instant).
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        checkConcurrency: Int = 16, retry: RetryPolicy = RetryPolicy(), pacer: RateLimitPacer = RateLimitPacer(),
        authorizationTimeout: Duration = .seconds(300),
        overrides: SettingOverrides = SettingOverrides(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "relink.service"),
        postSettleTime: Duration = .seconds(10),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.checkConcurrency = max(1, checkConcurrency)
        self.retry = retry
        self.pacer = pacer
        self.authorizationTimeout = authorizationTimeout
        self.overrides = overrides
        self.now = now
        self.logger = logger
        self.postSettleTime = postSettleTime
        self.sleep = sleep
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

/// Who asks for a new authorization, as whom.
public struct AuthorizationRequest: Sendable {
    public var teammate: String?
    public var password: String?
    public var workspace: String?
    public var method: AuthorizationMethod

    public init(
        teammate: String?, password: String? = nil, workspace: String? = nil, method: AuthorizationMethod = .pasteCode
    ) {
        self.teammate = teammate
        self.password = password
        self.workspace = workspace
        self.method = method
    }
}
