
/// The calls relink makes to Intercom, real or mock.
///
/// Every call answers a `Result` rather than throwing: a failure is an ordinary outcome the
/// connection service records as evidence, and ``IntercomFailure`` says which kind it is so the
/// service can tell a broken connection (401/403) from a transient one. Implementations never
/// put a token into a failure, a description or a log line.
public protocol IntercomAPIClient: Sendable {
    /// `GET /me`: the teammate the token belongs to, with its workspace (`app`).
    func me(token: String) async -> Result<Admin, IntercomFailure>

    /// `GET /admins`: the teammates of the token's workspace.
    func admins(token: String) async -> Result<[Admin], IntercomFailure>

    /// `GET /conversations?per_page=1`: the smallest read of what the app's work needs (notes on
    /// conversations). `check --deep` uses it to find a permission the token lacks: Intercom
    /// documents no 403 for `/me`, so only such an endpoint shows it.
    func conversationsProbe(token: String) async -> Result<Void, IntercomFailure>

    /// `POST /auth/eagle/token` (form-encoded): trades an authorization code for an access token.
    func exchange(code: String, clientID: String, clientSecret: String) async -> Result<TokenResponse, IntercomFailure>

    /// `POST /auth/uninstall`: uninstalls the app from the token's workspace, killing every token
    /// of it. It affects every project on that workspace: never a side effect of revoking one.
    func uninstall(token: String) async -> Result<Void, IntercomFailure>

    /// `POST /conversations/{id}/reply` with a note written by `adminID`.
    func replyWithNote(conversationID: String, adminID: String, body: String, token: String) async
        -> Result<Conversation, IntercomFailure>

    /// `GET /conversations/{id}`: the conversation with its parts (Intercom returns the last 500).
    func conversation(id: String, token: String) async -> Result<Conversation, IntercomFailure>

    /// `POST /conversations/{id}/parts`: opens, closes, snoozes or assigns a conversation.
    func manageConversation(id: String, _ request: ManageConversationRequest, token: String) async
        -> Result<Conversation, IntercomFailure>

    /// `GET /me`, telling `observe` what the answer's rate-limit headers say (when it has them),
    /// so that a caller making many requests can pace itself.
    func me(token: String, observe: @Sendable (RateLimitStatus) -> Void) async -> Result<Admin, IntercomFailure>

    /// `GET /conversations?per_page=1`, telling `observe` what the answer's rate-limit headers say.
    func conversationsProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async
        -> Result<Void, IntercomFailure>

    /// `GET /me` as a health check asks it: success when Intercom answers with an admin (its
    /// `type`, `id`, `name` and `email`), without reading the rest of it; otherwise the failure
    /// `me` would give. Tells `observe` what the rate-limit headers say.
    func meProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async -> Result<Void, IntercomFailure>
}

extension IntercomAPIClient {
    /// A client that sees no rate-limit headers (an in-memory fake) observes nothing.
    public func me(token: String, observe: @Sendable (RateLimitStatus) -> Void) async -> Result<Admin, IntercomFailure>
    {
        await me(token: token)
    }

    public func conversationsProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async
        -> Result<Void, IntercomFailure>
    {
        await conversationsProbe(token: token)
    }

    /// By default the whole `me`, its admin dropped.
    public func meProbe(token: String, observe: @Sendable (RateLimitStatus) -> Void) async
        -> Result<Void, IntercomFailure>
    {
        await me(token: token, observe: observe).map { _ in () }
    }
}
