import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// Obtains a token for a teammate, as the person chose: the mock's simulated login, or against the
/// real API a pasted redirect URL or code (`--paste`), an access token at a hidden prompt
/// (`--token`), or the loopback listener (`--listen`); then confirms it with `GET /me`.
struct Authorizer: ServiceUseCase {
    let context: ServiceContext

    /// Obtains a token for the teammate and confirms it with `GET /me`, which names the
    /// workspace, its region and the app user.
    func authorize(
        _ request: AuthorizationRequest, lastWorkspace: Workspace?, reconnecting previous: Authorization? = nil
    ) async throws(ServiceError) -> Grant {
        let credential: Credential
        if let worldControl = context.worldControl {
            credential = try await authorizeAgainstMock(request, previous: previous, worldControl: worldControl)
        } else {
            credential = try await authorizeAgainstRealAPI(request)
        }
        // From the exchange on, Intercom mints a token: a Ctrl-C now would lose it (alive in
        // Intercom, held by nobody). The exchange and its confirmation run to their end outside
        // the command's cancellation (each bounded by the client's timeout), so the token is
        // committed to the project; the interrupt is reported once the command has finished.
        let result = await Task { [self] () async -> Result<Grant, ServiceError> in
            do throws(ServiceError) {
                return .success(try await confirm(credential, request: request))
            } catch {
                return .failure(error)
            }
        }.value
        return try result.get()
    }

    /// What the person's authorization gave: a code still to exchange, or a token.
    private enum Credential: Sendable {
        case code(String, OAuthClientCredentials)
        case token(String)
    }

    /// Exchanges a code for a token when there is one, then confirms the token with `GET /me`.
    private func confirm(_ credential: Credential, request: AuthorizationRequest) async throws(ServiceError)
        -> Grant
    {
        let token: String
        switch credential {
        case .token(let given): token = given
        case .code(let code, let client): token = try await exchange(code: code, client: client)
        }
        // The real API answers /me on the workspace's own host; a new token's region is not known
        // yet, so ask the configured region first, then the others.
        var lastFailure: IntercomFailure?
        var regions: [Region?] = [nil]
        if let configured = intercom.defaultRegion {
            regions += Region.allCases.filter { $0 != configured }.map { $0 }
        }
        regions: for region in regions {
            switch await configuration.retry.run({ [intercom] in await intercom.client(for: region).me(token: token) })
            {
            case .success(let admin):
                return try grant(from: admin, token: token, request: request)
            case .failure(let failure):
                lastFailure = failure
                // Only "this host does not know the token" is worth asking another region.
                if failure.kind != .authRejected { break regions }
            }
        }
        // A token Intercom just minted for relink is alive and now held by no project: say so.
        let during =
            if case .code = credential {
                "confirming with GET /me the token Intercom just issued (it stays alive in Intercom, held by no "
                    + "project; reconnecting issues another)"
            } else {
                "confirming the new token with GET /me"
            }
        throw .intercom(lastFailure ?? IntercomFailure(kind: .unreachable), during: during)
    }

    private func grant(from admin: Admin, token: String, request: AuthorizationRequest) throws(ServiceError) -> Grant {
        guard let app = admin.app else {
            throw .authorization(.meNamesNoWorkspace)
        }
        let region = app.region.flatMap(Region.init(loose:)) ?? intercom.defaultRegion ?? .us
        let workspace = Workspace(id: app.idCode, name: app.name, region: region)
        if let wanted = request.workspace, wanted != workspace.id {
            throw .authorization(.otherWorkspace(workspace, wanted: wanted))
        }
        return Grant(
            token: token, workspace: workspace, appUser: AppUser(id: admin.id, email: admin.email, name: admin.name))
    }

    /// The OAuth app relink authorizes as, or one message naming what to set.
    func oauthClient() throws(ServiceError) -> OAuthClientCredentials {
        try realAPI.oauthClient()
    }

    private func authorizeAgainstMock(
        _ request: AuthorizationRequest, previous: Authorization?, worldControl: any WorldControl
    ) async throws(ServiceError) -> Credential {
        guard let email = request.teammate else {
            throw .authorization(.mockTeammateNeeded)
        }
        var password = request.password
        if password == nil { password = try ServiceError.reading(try store.mockPassword(for: email)) }
        guard let password else {
            // Someone the world does not know is not a teammate at all: a password would not help.
            if let known = try? await worldControl.teammateEmails(),
                !known.contains(where: { $0.lowercased() == email.lowercased() })
            {
                throw .authorization(.notATeammate(email, known: known))
            }
            throw .authorization(.noMockPassword(email))
        }
        let client = try oauthClient()
        let state = OAuthRequest.randomState()
        let code: String
        switch await worldControl.authorize(
            email: email, password: password, workspace: request.workspace ?? previous?.workspace.id,
            clientID: client.clientID, state: state)
        {
        case .success(let value):
            code = value
        case .failure(let failure) where failure.kind == .forbidden:
            let workspace = request.workspace ?? previous?.workspace.name ?? "the workspace"
            if previous?.appUser.email.lowercased() == email.lowercased() {
                throw .authorization(.appUserRemoved(email, workspace: workspace))
            }
            // The login's own message names the teammate, the workspace and what to do.
            throw .authorization(.loginForbidden(email, workspace: workspace, message: failure.message))
        case .failure(let failure) where failure.kind == .authRejected:
            throw .authorization(.loginRefused(email))
        case .failure(let failure):
            throw .intercom(failure, during: "logging in to the mock as \(email)")
        }
        return .code(code, client)
    }

    private func authorizeAgainstRealAPI(_ request: AuthorizationRequest) async throws(ServiceError) -> Credential {
        guard let interaction = context.interaction else {
            throw .authorization(.needsTerminal)
        }
        if request.method == .accessToken {
            do {
                let token = try await interaction.readHiddenToken().trimmingCharacters(in: .whitespacesAndNewlines)
                guard !token.isEmpty else { throw ServiceError.authorization(.nothingGiven("access token")) }
                return .token(token)
            } catch let error as ServiceError {
                throw error
            } catch is CancellationError {
                throw .authorization(.interruptedAtPrompt("the access token"))
            } catch {
                throw .authorization(.readFailed("the access token", reason: "\(error)"))
            }
        }
        let client = try oauthClient()
        let endpoint = intercom.oauthEndpoint
        let state = OAuthRequest.randomState()
        let code: String
        if request.method == .pasteCode {
            let url = OAuthRequest(clientID: client.clientID, state: state, redirectURI: try realAPI.redirectURL())
                .authorizeURL(endpoint: endpoint)
            await interaction.present(authorizeURL: url, waitingForRedirect: false)
            let pasted: String
            do {
                pasted = try await interaction.readPastedCode().trimmingCharacters(in: .whitespacesAndNewlines)
            } catch is CancellationError {
                throw .authorization(.interruptedAtPrompt("the code or redirect URL"))
            } catch {
                throw .authorization(.readFailed("the pasted code", reason: "\(error)"))
            }
            if let redirect = URL(string: pasted), redirect.query != nil {
                do { code = try OAuthRequest.code(fromRedirect: redirect, expectedState: state) } catch {
                    throw .authorization(.redirect(error))
                }
            } else {
                guard !pasted.isEmpty else { throw .authorization(.nothingGiven("code")) }
                code = pasted  // a bare code carries no state to check; the exchange still proves it
            }
        } else {
            // A registered loopback URL is where Intercom will redirect: listen exactly there.
            let configured = try realAPI.redirectURL()
            if let configured, RedirectURL.kind(of: configured) != .loopbackHTTP {
                throw .authorization(.listenNeedsLoopback(configured: configured))
            }
            let listener: any RedirectReceiver
            do {
                listener = try await intercom.listenForRedirect(
                    expectedState: state, timeout: configuration.authorizationTimeout, registeredURI: configured)
            } catch {
                throw .authorization(.redirect(error))
            }
            let url = OAuthRequest(clientID: client.clientID, state: state, redirectURI: listener.redirectURI)
                .authorizeURL(endpoint: endpoint)
            await interaction.present(authorizeURL: url, waitingForRedirect: true)
            let clock = ContinuousClock()
            let start = clock.now
            do { code = try await listener.waitForCode() } catch {
                if Task.isCancelled { throw .authorization(.listenInterrupted(after: clock.now - start)) }
                throw .authorization(.redirect(error))
            }
        }
        return .code(code, client)
    }

    private func exchange(code: String, client: OAuthClientCredentials) async throws(ServiceError) -> String {
        switch await intercom.client(for: nil).exchange(
            code: code, clientID: client.clientID, clientSecret: client.clientSecret)
        {
        case .success(let answer):
            return answer.accessToken
        case .failure(let failure):
            throw .intercom(failure, during: "exchanging the authorization code for a token")
        }
    }
}

/// What an authorization yields: the token and whom and where it acts for.
struct Grant: Sendable {
    var token: String
    var workspace: Workspace
    var appUser: AppUser
}
