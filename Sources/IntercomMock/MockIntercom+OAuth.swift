import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore

/// The OAuth endpoints: `/oauth` as a simulated login and consent, and the code exchange.
extension MockIntercom {
    /// `GET /oauth?client_id&state[&redirect_uri]&email&password[&workspace][&deny=1]`.
    ///
    /// Refuses without redirecting when the client or the redirect URI is not registered (400),
    /// when the credentials are wrong (401, one message for an unknown teammate and a wrong
    /// password) and when the teammate may not log in to the workspace (403).
    func authorize(query: [String: String], requestID: String) -> APIOutcome {
        guard let clientID = query["client_id"], let app = world.apps.first(where: { $0.clientID == clientID }) else {
            return .error(400, .parameterInvalid, "Unknown client_id", requestID: requestID)
        }
        let redirectURI = query["redirect_uri"] ?? app.redirectURIs.first
        guard let redirectURI, app.redirectURIs.contains(redirectURI) else {
            return .error(400, .parameterInvalid, "redirect_uri is not registered for this app", requestID: requestID)
        }
        // Registered is not enough: a world saved before the rule (or edited by hand) may hold an
        // http URL on an app that is not a development app, which Intercom would never redirect to.
        guard RedirectURL.isRegistrable(redirectURI, development: app.isDevelopment) else {
            return .error(400, .parameterInvalid, Self.insecureRedirectMessage, requestID: requestID)
        }
        guard let email = query["email"], let password = query["password"],
            let teammate = world.teammates.first(where: { $0.email.lowercased() == email.lowercased() }),
            teammate.password.matches(password)
        else {
            return .error(401, .unauthorized, "Email or password is incorrect", requestID: requestID)
        }
        let workspaceID = query["workspace"] ?? teammate.workspaces.first
        guard let workspaceID, teammate.workspaces.contains(workspaceID), !teammate.removedFrom.contains(workspaceID)
        else {
            return .error(
                403, .forbidden, "This teammate does not have access to the workspace", requestID: requestID)
        }
        guard !teammate.lacksPermission(in: workspaceID) else {
            // permission-missing: a new authorization would lack it too, so consent is refused
            // until the permission is restored.
            return .error(
                403, .actionForbidden,
                "This teammate lacks the permission the app needs in this workspace (can install, configure and delete apps)",
                requestID: requestID)
        }
        var parameters: [(String, String)] = []
        if query["deny"] == "1" || query["deny"] == "true" {
            parameters.append(("error", "access_denied"))
        } else {
            // Intercom's codes may end in `=`; the mock's always do, so every flow round-trips one.
            let code = Secret.random(prefix: "mock_code_", bytes: 16) + "="
            let record = MockWorld.AuthorizationCode(
                digest: Secret.sha256Hex(code), clientID: clientID, teammateID: teammate.id,
                workspaceID: workspaceID, expiresAt: now().addingTimeInterval(Self.codeLifetime),
                redirectURI: redirectURI)
            do {
                try commit { world in
                    // Expired codes are useless; drop them so the world does not grow.
                    let time = now()
                    world.pendingCodes.removeAll { $0.expiresAt <= time }
                    world.pendingCodes.append(record)
                }
            } catch {
                return serverError(error, requestID: requestID)
            }
            parameters.append(("code", code))
        }
        if let state = query["state"] { parameters.append(("state", state)) }
        return APIOutcome(
            status: 302, headers: [("Location", Self.url(redirectURI, adding: parameters))], payload: .none)
    }

    /// `POST /auth/eagle/token` with `code`, `client_id`, `client_secret`, form-encoded or JSON.
    /// A bad, used or expired code, or a wrong client, answers 401. A good code is used up and
    /// installs the app in the workspace.
    func exchangeCode(_ request: APIRequest, requestID: String) -> APIOutcome {
        let fields = Self.fields(of: request)
        guard let code = fields["code"], let clientID = fields["client_id"], let secret = fields["client_secret"]
        else {
            return .error(
                400, .parameterInvalid, "code, client_id and client_secret are required", requestID: requestID)
        }
        guard let app = world.apps.first(where: { $0.clientID == clientID }), app.clientSecret.matches(secret) else {
            return .error(401, .unauthorized, "Invalid client_id or client_secret", requestID: requestID)
        }
        let digest = Secret.sha256Hex(code)
        let time = now()
        guard let pending = world.pendingCodes.first(where: { $0.digest == digest }), pending.clientID == clientID,
            pending.expiresAt > time
        else {
            return .error(401, .unauthorized, "Authorization code is invalid, used or expired", requestID: requestID)
        }
        // The exchange need not name the redirect URI (Intercom's docs send only code, client_id
        // and client_secret); when it does, it must be the one the code was issued for, and one
        // the app may use (OAuth 2.0, RFC 6749 §4.1.3).
        if let named = fields["redirect_uri"] {
            guard RedirectURL.isRegistrable(named, development: app.isDevelopment) else {
                return .error(400, .parameterInvalid, Self.insecureRedirectMessage, requestID: requestID)
            }
            guard app.redirectURIs.contains(named), pending.redirectURI.map({ $0 == named }) ?? true else {
                return .error(
                    400, .parameterInvalid, "redirect_uri does not match the one the code was issued for",
                    requestID: requestID)
            }
        }
        let plaintext = Secret.random(prefix: "mock_tok_")
        do {
            try commit { world in
                world.pendingCodes.removeAll { $0.digest == digest }
                if let index = world.apps.firstIndex(where: { $0.clientID == clientID }),
                    !world.apps[index].installedIn.contains(pending.workspaceID)
                {
                    world.apps[index].installedIn.append(pending.workspaceID)
                }
                world.tokens.append(
                    MockWorld.Token(
                        id: TokenID.of(token: plaintext), digest: Secret.sha256Hex(plaintext),
                        teammateID: pending.teammateID, workspaceID: pending.workspaceID, clientID: clientID,
                        issuedAt: time))
            }
        } catch {
            return serverError(error, requestID: requestID)
        }
        return APIOutcome(status: 200, payload: .token(TokenResponse(token: plaintext)))
    }

    static let insecureRedirectMessage =
        "redirect_uri must use HTTPS (a loopback http URL only for a development app)"

    private static func fields(of request: APIRequest) -> [String: String] {
        if request.contentType?.lowercased().contains("json") == true
            || request.body.first == UInt8(ascii: "{")
        {
            guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
                return [:]
            }
            return object.compactMapValues { $0 as? String }
        }
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: request.body, as: UTF8.self)
            .replacingOccurrences(of: "+", with: "%20")
        var result: [String: String] = [:]
        for item in components.queryItems ?? [] {
            result[item.name] = item.value ?? ""
        }
        return result
    }

    private static func url(_ base: String, adding parameters: [(String, String)]) -> String {
        var components = URLComponents(string: base) ?? URLComponents()
        var items = components.queryItems ?? []
        items.append(contentsOf: parameters.map { URLQueryItem(name: $0.0, value: $0.1) })
        components.queryItems = items
        return components.string ?? base
    }
}
