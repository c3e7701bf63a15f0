import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import Logging

/// The mock Intercom's simulated login and consent: what a browser does against the real
/// authorize page, done with the teammate's credentials in one request.
///
/// It calls the mock's `/oauth` without following the redirect, reads the code from `Location`
/// and checks the state, exactly as the redirect listener would for the real API.
public struct MockAuthorizer: Sendable {
    public let timeout: Duration
    /// The run's one HTTP client (the composition root's), which must not follow redirects: the
    /// redirect goes to relink's own redirect URI, which need not listen.
    let httpClient: HTTPClient
    let logger: Logger

    /// An authorizer whose login request, over `httpClient`, gives up after `timeout`.
    public init(
        httpClient: HTTPClient = HTTPIntercomClient.sharedHTTPClient, timeout: Duration = .seconds(10), logger: Logger
    ) {
        self.httpClient = httpClient
        self.timeout = timeout
        self.logger = logger
    }

    /// Logs in as `email` and authorizes `clientID` for `workspace` (the teammate's first workspace
    /// when `nil`); answers the authorization code.
    ///
    /// Fails with ``IntercomFailure/Kind/authRejected`` for a wrong password or unknown teammate,
    /// ``IntercomFailure/Kind/forbidden`` when the teammate is not in (or was removed from) the
    /// workspace or declined access, ``IntercomFailure/Kind/badRequest`` for an unknown client,
    /// unregistered redirect URI or a state mismatch; transport failures as ``HTTPIntercomClient``.
    public func authorize(
        endpoint: IntercomEndpoint, clientID: String, email: String, password: String, workspace: String?,
        state: String, redirectURI: String?
    ) async -> Result<String, IntercomFailure> {
        let request = OAuthRequest(clientID: clientID, state: state, redirectURI: redirectURI)
        guard
            var components = URLComponents(
                url: request.authorizeURL(endpoint: endpoint), resolvingAgainstBaseURL: false)
        else {
            return .failure(IntercomFailure(kind: .badRequest, message: "the authorize URL could not be built"))
        }
        var items = components.queryItems ?? []
        items.append(URLQueryItem(name: "email", value: email))
        items.append(URLQueryItem(name: "password", value: password))
        if let workspace { items.append(URLQueryItem(name: "workspace", value: workspace)) }
        components.queryItems = items
        // A `+` in a password would otherwise arrive as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else {
            return .failure(IntercomFailure(kind: .badRequest, message: "the authorize URL could not be built"))
        }

        let client = HTTPIntercomClient(endpoint: endpoint, httpClient: httpClient, timeout: timeout, logger: logger)
        let answer = await client.send(.GET, url, token: nil)

        return answer.flatMap { answer in
            interpret(answer, email: email, workspace: workspace, state: state)
        }
    }

    private func interpret(
        _ answer: HTTPIntercomClient.Answer, email: String, workspace: String?, state: String
    ) -> Result<String, IntercomFailure> {
        let workspaceName = workspace.map { "workspace \($0)" } ?? "their default workspace"
        switch answer.status {
        case 300..<400:
            guard let location = answer.headers.first(name: "Location"), let redirect = URL(string: location) else {
                return .failure(
                    IntercomFailure(
                        kind: .notJSON, status: answer.status, message: "the redirect has no usable Location"))
            }
            do throws(OAuthError) {
                return .success(try OAuthRequest.code(fromRedirect: redirect, expectedState: state))
            } catch .accessDenied {
                return .failure(
                    IntercomFailure(
                        kind: .forbidden, status: answer.status, code: "access_denied",
                        message: "\(email) declined to authorize the app for \(workspaceName)"))
            } catch {
                let code =
                    switch error {
                    case .stateMismatch: "state_mismatch"
                    case .missingCode: "missing_code"
                    default: "authorization_failed"
                    }
                return .failure(
                    IntercomFailure(kind: .badRequest, status: answer.status, code: code, message: error.description))
            }
        case 401:
            var failure = HTTPIntercomClient.failure(for: answer)
            failure.message =
                "the login of \(email) was refused: the email or the password is wrong. Check the teammate's credentials"
            return .failure(failure)
        case 403:
            var failure = HTTPIntercomClient.failure(for: answer)
            failure.message =
                "\(email) cannot authorize for \(workspaceName): not a member of it, or removed from it. "
                + "Connect as another teammate of the workspace, who becomes the new app user"
            return .failure(failure)
        default:
            return .failure(
                (200..<300).contains(answer.status)
                    ? IntercomFailure(
                        kind: .notJSON, status: answer.status, message: "the authorize step did not redirect")
                    : HTTPIntercomClient.failure(for: answer))
        }
    }
}
