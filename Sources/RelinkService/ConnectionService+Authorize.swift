import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

extension ConnectionService {
    /// Obtains a token for the teammate and confirms it with `GET /me`, which names the
    /// workspace, its region and the app user.
    func authorize(
        _ request: AuthorizationRequest, lastWorkspace: Workspace?, reconnecting previous: Authorization? = nil
    ) async throws(ServiceError) -> Grant {
        let token: String
        if let worldControl {
            token = try await authorizeAgainstMock(request, previous: previous, worldControl: worldControl)
        } else {
            token = try await authorizeAgainstRealAPI(request)
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
        throw .intercom(
            lastFailure ?? IntercomFailure(kind: .unreachable), during: "confirming the new token with GET /me")
    }

    private func grant(from admin: Admin, token: String, request: AuthorizationRequest) throws(ServiceError) -> Grant {
        guard let app = admin.app else {
            throw .authorization("Intercom's /me answer names no workspace (app); cannot connect")
        }
        let region = app.region.flatMap(Region.init(loose:)) ?? intercom.defaultRegion ?? .us
        let workspace = Workspace(id: app.idCode, name: app.name, region: region)
        if let wanted = request.workspace, wanted != workspace.id {
            throw .authorization(
                "the authorization is for workspace \(workspace.name) (\(workspace.id)), not \(wanted); "
                    + "log in to \(wanted) or leave out --workspace")
        }
        return Grant(
            token: token, workspace: workspace, appUser: AppUser(id: admin.id, email: admin.email, name: admin.name))
    }

    /// The real-API settings: overrides from outside, then the store, then defaults.
    var realAPI: RealAPIConfiguration { RealAPIConfiguration(store: store, overrides: configuration.overrides) }

    /// The OAuth app relink authorizes as, or one message naming what to set.
    func oauthClient() throws(ServiceError) -> OAuthClientCredentials {
        try realAPI.oauthClient()
    }

    private func authorizeAgainstMock(
        _ request: AuthorizationRequest, previous: Authorization?, worldControl: any WorldControl
    ) async throws(ServiceError) -> String {
        guard let email = request.teammate else {
            throw .authorization("against the mock, say which teammate logs in: --as EMAIL (world lists them)")
        }
        var password = request.password
        if password == nil { password = try ServiceError.reading(try store.mockPassword(for: email)) }
        guard let password else {
            // Someone the world does not know is not a teammate at all: a password would not help.
            if let known = try? await worldControl.teammateEmails(),
                !known.contains(where: { $0.lowercased() == email.lowercased() })
            {
                throw .authorization(
                    "\(email) is not a teammate in the mock's world; world lists the teammates"
                        + (known.isEmpty ? "" : " (\(known.sorted().prefix(5).joined(separator: ", ")))"))
            }
            throw .authorization(
                "relink knows no mock password for \(email): add --password PW once (the store then remembers it)")
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
                throw .authorization(
                    "\(email) can no longer authorize \(workspace) (removed from it?): a new app user is needed. "
                        + "Reconnect as another teammate: --as EMAIL")
            }
            // The login's own message names the teammate, the workspace and what to do.
            throw .authorization(failure.message ?? "\(email) cannot authorize \(workspace)")
        case .failure(let failure) where failure.kind == .authRejected:
            throw .authorization("the mock refused the login of \(email): wrong password or unknown teammate")
        case .failure(let failure):
            throw .intercom(failure, during: "logging in to the mock as \(email)")
        }
        return try await exchange(code: code, client: client)
    }

    private func authorizeAgainstRealAPI(_ request: AuthorizationRequest) async throws(ServiceError) -> String {
        guard let interaction else {
            throw .authorization("authorizing against the real API needs a person at a terminal")
        }
        if request.method == .accessToken {
            do {
                let token = try await interaction.readHiddenToken().trimmingCharacters(in: .whitespacesAndNewlines)
                guard !token.isEmpty else { throw ServiceError.authorization("no access token given") }
                return token
            } catch let error as ServiceError {
                throw error
            } catch {
                throw .authorization("reading the access token failed: \(error)")
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
            do { pasted = try await interaction.readPastedCode().trimmingCharacters(in: .whitespacesAndNewlines) } catch
            {
                throw .authorization("reading the pasted code failed: \(error)")
            }
            if let redirect = URL(string: pasted), redirect.query != nil {
                do { code = try OAuthRequest.code(fromRedirect: redirect, expectedState: state) } catch {
                    throw .authorization(error.description)
                }
            } else {
                guard !pasted.isEmpty else { throw .authorization("no code given") }
                code = pasted  // a bare code carries no state to check; the exchange still proves it
            }
        } else {
            // A registered loopback URL is where Intercom will redirect: listen exactly there.
            let configured = try realAPI.redirectURL()
            if let configured, RedirectURL.kind(of: configured) != .loopbackHTTP {
                throw .authorization(
                    "--listen receives Intercom's redirect on this machine, which needs a loopback redirect URL "
                        + "registered for a development app (config set redirect-url http://127.0.0.1:PORT/callback); "
                        + "\(configured) is not one: connect with --paste instead")
            }
            let listener: any RedirectReceiver
            do {
                listener = try await intercom.listenForRedirect(
                    expectedState: state, timeout: configuration.authorizationTimeout, registeredURI: configured)
            } catch {
                throw .authorization(error.description)
            }
            let url = OAuthRequest(clientID: client.clientID, state: state, redirectURI: listener.redirectURI)
                .authorizeURL(endpoint: endpoint)
            await interaction.present(authorizeURL: url, waitingForRedirect: true)
            do { code = try await listener.waitForCode() } catch { throw .authorization(error.description) }
        }
        return try await exchange(code: code, client: client)
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
