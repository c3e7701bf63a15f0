import Foundation
import IntercomAPI
import RelinkCore

/// What relink may do to a mock Intercom's world beyond its API: log a teammate in (the mock's
/// stand-in for a browser), simulate a break cause, and tell which cause really killed a token.
///
/// The live mock answers through ``MockControlAPI`` over HTTP; tests may use an in-memory world.
public protocol WorldControl: Sendable {
    /// The simulated login and consent: logs in as `email` and authorizes `clientID` for
    /// `workspace` (the teammate's first workspace when `nil`); answers the authorization code.
    ///
    /// Fails with ``IntercomFailure/Kind/authRejected`` for a wrong password or an unknown teammate,
    /// ``IntercomFailure/Kind/forbidden`` when the teammate is not in (or was removed from) the
    /// workspace, ``IntercomFailure/Kind/badRequest`` for an unknown client or a state mismatch.
    func authorize(email: String, password: String, workspace: String?, clientID: String, state: String) async
        -> Result<String, IntercomFailure>

    /// Applies a break cause to the world; answers which tokens died or lost permissions.
    func applyCause(_ request: CauseRequest) async throws(MockControlError) -> BreakReport

    /// The emails of the world's teammates: who can log in at all.
    func teammateEmails() async throws(MockControlError) -> [String]

    /// Whether the mock holds the token, and if it is dead, why.
    func inspect(token: String) async throws(MockControlError) -> MockControlAPI.TokenInspection

    /// ``inspect(token:)`` for several tokens in one call, in their order; nil for a token the
    /// mock does not hold.
    func inspect(tokens: [String]) async throws(MockControlError) -> [MockControlAPI.TokenInspection?]
}

extension WorldControl {
    /// One ``inspect(token:)`` per token, for a control that has no call for many.
    public func inspect(tokens: [String]) async throws(MockControlError) -> [MockControlAPI.TokenInspection?] {
        var inspections: [MockControlAPI.TokenInspection?] = []
        for token in tokens {
            do {
                inspections.append(try await inspect(token: token))
            } catch where error.status == 404 {
                inspections.append(nil)
            }
        }
        return inspections
    }
}
