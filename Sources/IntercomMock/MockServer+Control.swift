import Foundation
import Hummingbird
import IntercomAPI
import IntercomMockWorld
import RelinkCore

/// The control API under `/__mock/`: no authentication, JSON in and out. It answers
/// `{"error":"…"}` with 400 (invalid request) or 404 (unknown teammate, workspace, token, fault).
extension MockServer {
    /// Refuses redirect URIs Intercom would not let the app register: HTTPS only, loopback http
    /// for a development app.
    static func requireRegistrable(_ uris: [String], development: Bool) throws {
        for uri in uris where !RedirectURL.isRegistrable(uri, development: development) {
            throw MockError(
                .invalid,
                "redirect URI \(uri) cannot be registered: Intercom accepts HTTPS redirect URLs only "
                    + (RedirectURL.kind(of: uri) == .loopbackHTTP
                        ? "(a loopback http URL needs a development app: \"development\": true)" : ""))
        }
    }

    static func addControlRoutes(to router: Router<MockRequestContext>, intercom: MockIntercom) {
        let control = router.group("/__mock")

        control.post("/causes") { request, _ in
            try await run { try await intercom.apply(try await decode(CauseRequest.self, request)) }
        }
        control.get("/world") { _, _ in
            try await run { try await intercom.currentWorld().redacted }
        }
        control.post("/world/workspaces") { request, _ in
            try await run {
                let edit = try await decode(MockControlAPI.WorkspaceEdit.self, request)
                // Exactly as Intercom spells them: `app.region` answers these very strings.
                guard let region = Region(rawValue: edit.region ?? "US") else {
                    throw MockError(.invalid, "region must be US, EU or AU")
                }
                return try await intercom.edit { world in
                    world.addWorkspace(
                        idCode: edit.idCode, name: edit.name, region: region,
                        timezone: edit.timezone ?? "Europe/Dublin")
                    return world.redacted.workspaces.first { $0.idCode == edit.idCode }
                }
            }
        }
        control.post("/world/teammates") { request, _ in
            try await run {
                let edit = try await decode(MockControlAPI.TeammateEdit.self, request)
                return try await intercom.edit { world in
                    for workspace in edit.workspaces { _ = try world.requireWorkspace(workspace) }
                    let id = edit.id ?? "\(1_000_000 + world.takeSerial())"
                    world.addTeammate(
                        id: id, email: edit.email, name: edit.name, password: edit.password, workspaces: edit.workspaces
                    )
                    return world.redacted.teammates.first { $0.id == id }
                }
            }
        }
        control.put("/world/teammates/:email/password") { request, context in
            // A set-up edit: it kills no token. To simulate a password change, post the cause.
            let email = context.parameters.get("email") ?? ""
            return try await run {
                let edit = try await decode(MockControlAPI.PasswordEdit.self, request)
                return try await intercom.edit { world in
                    let teammate = try world.requireTeammate(email: email)
                    let index = world.teammates.firstIndex { $0.id == teammate.id }!
                    world.teammates[index].password = SaltedDigest(secret: edit.password)
                    return world.redacted.teammates[index]
                }
            }
        }
        control.post("/world/memberships") { request, _ in
            try await run {
                let edit = try await decode(MockControlAPI.MembershipEdit.self, request)
                return try await intercom.edit { world in
                    let teammate = try world.requireTeammate(email: edit.teammate)
                    _ = try world.requireWorkspace(edit.workspace)
                    let index = world.teammates.firstIndex { $0.id == teammate.id }!
                    if !world.teammates[index].workspaces.contains(edit.workspace) {
                        world.teammates[index].workspaces.append(edit.workspace)
                    }
                    // Adding the teammate back lifts the refusal a removal left.
                    world.teammates[index].removedFrom.removeAll { $0 == edit.workspace }
                    return world.redacted.teammates[index]
                }
            }
        }
        control.delete("/world/memberships") { request, _ in
            // Removing a membership is the `user-removed` cause: a teammate outside a workspace
            // holding live tokens for it would be a world Intercom never shows.
            try await run {
                let edit = try await decode(MockControlAPI.MembershipEdit.self, request)
                return try await intercom.removeTeammate(email: edit.teammate, fromWorkspace: edit.workspace)
            }
        }
        control.post("/world/apps") { request, _ in
            try await run {
                let edit = try await decode(MockControlAPI.AppEdit.self, request)
                try requireRegistrable(edit.redirectURIs, development: edit.development ?? false)
                return try await intercom.edit { world in
                    world.registerApp(
                        clientID: edit.clientID, clientSecret: edit.clientSecret, name: edit.name,
                        redirectURIs: edit.redirectURIs, installedIn: edit.installedIn ?? [],
                        development: edit.development ?? false)
                    return world.redacted.apps.first { $0.clientId == edit.clientID }
                }
            }
        }
        control.put("/world/apps/:client_id/development") { request, context in
            let clientID = context.parameters.get("client_id") ?? ""
            return try await run {
                let edit = try await decode(MockControlAPI.DevelopmentEdit.self, request)
                return try await intercom.edit { world in
                    guard let index = world.apps.firstIndex(where: { $0.clientID == clientID }) else {
                        throw MockError(.notFound, "no OAuth app with client_id \(clientID)")
                    }
                    try requireRegistrable(world.apps[index].redirectURIs, development: edit.development)
                    world.apps[index].development = edit.development
                    return world.redacted.apps[index]
                }
            }
        }
        control.put("/world/workspaces/:id_code/plan") { request, context in
            let idCode = context.parameters.get("id_code") ?? ""
            return try await run {
                let edit = try await decode(MockControlAPI.PlanEdit.self, request)
                return try await intercom.edit { world in
                    _ = try world.requireWorkspace(idCode)
                    let index = world.workspaces.firstIndex { $0.idCode == idCode }!
                    world.workspaces[index].planRestricted = edit.planRestricted ? true : nil
                    return world.workspaces[index]
                }
            }
        }
        control.put("/world/workspaces/:id_code/ip-allowlist") { request, context in
            let idCode = context.parameters.get("id_code") ?? ""
            return try await run {
                let edit = try await decode(MockControlAPI.AllowlistEdit.self, request)
                return try await intercom.edit { world in
                    _ = try world.requireWorkspace(idCode)
                    let index = world.workspaces.firstIndex { $0.idCode == idCode }!
                    world.workspaces[index].ipAllowlistRefuses = edit.refuses ? true : nil
                    return world.workspaces[index]
                }
            }
        }
        control.post("/world/conversations") { request, _ in
            try await run {
                let edit = try await decode(MockControlAPI.ConversationEdit.self, request)
                return try await intercom.edit { world in
                    _ = try world.requireWorkspace(edit.workspace)
                    world.addConversation(id: edit.id, workspaceID: edit.workspace)
                    return world.conversations.first { $0.id == edit.id }
                }
            }
        }
        control.put("/world/rate-limit") { request, _ in
            try await run {
                try await intercom.setRateLimit(try await decode(MockControlAPI.RateLimitEdit.self, request))
            }
        }
        control.post("/faults") { request, _ in
            try await run { try await intercom.addFault(try await decode(FaultSpec.self, request)) }
        }
        control.get("/faults") { _, _ in
            try await run { try await intercom.faultList() }
        }
        control.delete("/faults") { _, _ in
            try await runWithoutContent { try await intercom.removeAllFaults() }
        }
        control.delete("/faults/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            return try await runWithoutContent {
                guard try await intercom.removeFault(id: id) else {
                    throw MockError(.notFound, "no fault with id \(id)")
                }
            }
        }
        control.get("/journal") { request, _ in
            let limit = request.uri.queryParameters.get("limit", as: Int.self)
            return try await run { try await intercom.journalEntries(limit: limit) }
        }
        control.post("/reset") { _, _ in
            try await run {
                try await intercom.reset()
                return ["reset": true]
            }
        }
    }

    /// Runs a control action and answers 204, or its error as `{"error":"…"}`.
    private static func runWithoutContent(_ action: () async throws -> Void) async throws -> Response {
        let answer = try await run { () async throws -> Bool in
            try await action()
            return true
        }
        return answer.status == .ok ? Response(status: .noContent) : answer
    }

    /// Runs a control action and answers its result, or its error as `{"error":"…"}`.
    private static func run<T: Encodable & Sendable>(_ action: () async throws -> T) async throws -> Response {
        do {
            return controlJSON(try await action())
        } catch let error as MockError {
            return controlJSON(
                MockControlAPI.ControlError(error: error.message),
                status: error.kind == .notFound ? .notFound : .badRequest)
        } catch let error as DecodingError {
            return controlJSON(
                MockControlAPI.ControlError(error: "invalid JSON body: \(describe(error))"), status: .badRequest)
        } catch {
            // The world or the mock's activity could not be read or saved (a damaged or unwritable
            // file of the store): the store's message, which names the file.
            return controlJSON(MockControlAPI.ControlError(error: "\(error)"), status: .internalServerError)
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func controlJSON<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
