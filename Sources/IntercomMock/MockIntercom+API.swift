import Foundation
import IntercomAPI
import IntercomMockWorld

extension MockIntercom {
    /// Decides the answer to one request, and journals it, in one actor call.
    ///
    /// `appliedFault` is set when a latency fault already delayed this request: faults are not
    /// drawn twice for one request.
    func serve(_ request: APIRequest, appliedFault: String? = nil) -> APIStep {
        do {
            return try withActivity { decide(request, appliedFault: appliedFault) }
        } catch {
            // The store's activity files could not be read or written: nothing was decided.
            let requestID = newRequestID()
            var outcome = serverError(error, requestID: requestID)
            outcome.headers.append(("X-Request-Id", requestID))
            return .answer(outcome, requestID: requestID)
        }
    }

    /// Decides within one activity call, with every other process's faults, counts and world taken in.
    private func decide(_ request: APIRequest, appliedFault: String?) -> APIStep {
        if appliedFault == nil {
            switch decideFault(method: request.method, path: request.path) {
            case .none:
                break
            case .latency(let milliseconds, let label):
                return .delay(milliseconds: milliseconds, fault: label)
            case .status(let status, let body, let label):
                return finish(
                    request, faultOutcome(status: status, body: body), requestID: newRequestID(), fault: label)
            case .rateLimit(let label):
                let limits = world.rateLimit
                let reset = RateLimitCounters.reset(at: unixSeconds(), limits: limits)
                let limit = min(limits.appLimitPerWindow, limits.workspaceLimitPerWindow)
                var outcome = rateLimitExceeded(limit: limit, requestID: newRequestID())
                outcome.headers = rateLimitHeaders(limit: limit, remaining: 0, reset: reset)
                return finish(request, outcome, requestID: newRequestID(), fault: label)
            case .drop(let label):
                journal {
                    JournalEntry(
                        sequence: $0, time: now(), method: request.method, path: request.path, status: nil,
                        requestID: "-", fault: label, token: nil, tokenAlive: nil)
                }
                return .drop
            }
        }
        let requestID = newRequestID()
        switch request.route {
        case .authorize:
            return finish(
                request, authorize(query: request.query, requestID: requestID), requestID: requestID,
                fault: appliedFault)
        case .tokenExchange:
            return finish(
                request, exchangeCode(request, requestID: requestID), requestID: requestID, fault: appliedFault)
        default:
            var token = TokenLabel()
            let outcome = authenticated(request, requestID: requestID, token: &token)
            return finish(
                request, outcome, requestID: requestID, fault: appliedFault, token: token)
        }
    }

    /// Journals the answer and stamps it with the request id (the error list's own, when it has one).
    private func finish(
        _ request: APIRequest, _ outcome: APIOutcome, requestID fallbackID: String, fault: String?,
        token: TokenLabel = TokenLabel()
    ) -> APIStep {
        var outcome = outcome
        var requestID = fallbackID
        if case .errors(let list) = outcome.payload, let id = list.requestID {
            requestID = id
        }
        outcome.headers.append(("X-Request-Id", requestID))
        journal {
            JournalEntry(
                sequence: $0, time: now(), method: request.method, path: request.path, status: outcome.status,
                requestID: requestID, fault: fault, token: token.label, tokenAlive: token.alive,
                intercomVersion: request.version, countedAs: token.counted)
        }
        return .answer(outcome, requestID: requestID)
    }

    /// Version check, bearer authentication, rate limit, permission, then the route itself.
    private func authenticated(
        _ request: APIRequest, requestID: String, token label: inout TokenLabel
    ) -> APIOutcome {
        if let version = request.version, !IntercomVersion.isValid(version) {
            return .error(
                400, .intercomVersionInvalid, "The requested version could not be found", requestID: requestID)
        }
        guard let bearer = Self.bearerToken(request.authorization) else {
            return .error(401, .unauthorized, "Access Token Invalid", requestID: requestID)
        }
        guard let index = world.tokenIndex(plaintextOrID: bearer), world.tokens[index].id != bearer else {
            // The public id is not a credential: only the plaintext authenticates.
            label.label = "[redacted]"
            return .error(401, .unauthorized, "Access Token Invalid", requestID: requestID)
        }
        let token = world.tokens[index]
        label.label = token.id
        label.alive = token.isAlive
        if let death = token.death {
            // Intercom does not document which code a dead token gets; the mock answers
            // `token_revoked` when it was revoked by hand and `unauthorized` for every other cause,
            // which is what a client that has to guess the cause will see in the wild.
            if death.cause == .tokenRevoked {
                return .error(401, .tokenRevoked, "Token revoked", requestID: requestID)
            }
            return .error(401, .unauthorized, "Access Token Invalid", requestID: requestID)
        }
        let decision = rateCounters.count(
            clientID: token.clientID, workspaceID: token.workspaceID, at: unixSeconds(), limits: world.rateLimit)
        if decision.allowed {
            label.counted = JournalEntry.RateCount(clientID: token.clientID, workspaceID: token.workspaceID)
        }
        var outcome: APIOutcome
        let workspace = world.workspaces.first(where: { $0.idCode == token.workspaceID })
        if workspace?.refusesCallerAddress == true {
            // The Help Center's answer for an address the workspace's IP allowlist leaves out
            // (article 13941009); its code is not published, the mock sends `forbidden`.
            outcome = .error(
                403, .forbidden, "Your IP address is not on the allowlist for API access", requestID: requestID)
        } else if workspace?.isPlanRestricted == true {
            // Intercom's published answer for a workspace without an active subscription (the
            // OpenAPI description's 403 "API plan restricted" example); a new token meets it too.
            outcome = .error(403, .apiPlanRestricted, "Active subscription needed.", requestID: requestID)
        } else if !decision.allowed {
            outcome = rateLimitExceeded(limit: decision.limit, requestID: requestID)
        } else if token.permissionMissing && request.route.needsConversationPermission {
            // Intercom documents no 403 for /me: a missing permission shows on the endpoints that
            // need it, as a live token without a scope is answered there (intercom-php #257,
            // intercom-ruby #323 and #364): 401 `token_unauthorized`, while `/me` stays healthy.
            outcome = .error(401, .tokenUnauthorized, "Not authorized to access resource", requestID: requestID)
        } else {
            outcome = route(request, token: token, requestID: requestID)
        }
        outcome.headers.append(
            contentsOf: rateLimitHeaders(limit: decision.limit, remaining: decision.remaining, reset: decision.reset))
        return outcome
    }

    private func route(_ request: APIRequest, token: MockWorld.Token, requestID: String) -> APIOutcome {
        guard let teammate = world.teammate(id: token.teammateID),
            let workspace = world.workspaces.first(where: { $0.idCode == token.workspaceID })
        else {
            return .error(401, .unauthorized, "Access Token Invalid", requestID: requestID)
        }
        switch request.route {
        case .me:
            let key = teammate.id + "\u{0}" + workspace.idCode
            if let body = meBodies[key] {
                return APIOutcome(status: 200, payload: .encoded(body))
            }
            var admin = Self.admin(teammate)
            admin.emailVerified = true
            admin.avatar = Avatar(imageURL: "https://static.intercomassets.com/assets/default-avatars/admins/128.png")
            admin.app = App(
                idCode: workspace.idCode, name: workspace.name, createdAt: workspace.createdAt, secure: true,
                identityVerification: true, timezone: workspace.timezone, region: workspace.region.rawValue)
            // `/me` carries no team_ids or away fields in Intercom's example answer.
            admin.awayModeEnabled = nil
            admin.awayModeReassign = nil
            admin.teamIDs = nil
            let body = APIOutcome.encode(admin)
            meBodies[key] = body
            return APIOutcome(status: 200, payload: .encoded(body))
        case .admins:
            let admins = world.teammates.filter { $0.workspaces.contains(workspace.idCode) }.map(Self.admin)
            return APIOutcome(status: 200, payload: .adminList(AdminList(admins: admins)))
        case .admin(let id):
            guard let admin = world.teammates.first(where: { $0.id == id && $0.workspaces.contains(workspace.idCode) })
            else {
                return .error(404, .adminNotFound, "Admin not found", requestID: requestID)
            }
            return APIOutcome(status: 200, payload: .admin(Self.admin(admin)))
        case .uninstall:
            let time = now()
            do {
                _ = try commit {
                    try $0.uninstallApp(workspaceID: workspace.idCode, clientID: token.clientID, at: time)
                }
            } catch {
                return serverError(error, requestID: requestID)
            }
            return APIOutcome(status: 200, payload: .emptyObject)
        case .conversation(let id):
            do {
                return APIOutcome(
                    status: 200, payload: .conversation(try world.conversation(id: id, workspaceID: workspace.idCode)))
            } catch {
                return .error(error.status, error.code, error.message, requestID: requestID)
            }
        case .conversations:
            let records = world.conversations.filter { $0.workspaceID == workspace.idCode }
            let first = records.first.map { [world.wire($0, parts: $0.parts)] } ?? []
            return APIOutcome(
                status: 200,
                payload: .conversationList(
                    ConversationListPage(
                        conversations: first, totalCount: records.count,
                        pages: .init(perPage: 1, totalPages: records.count))))
        case .reply(let id):
            return changeConversation(AdminReplyRequest.self, request.body, requestID: requestID) {
                world, reply, time in
                try world.reply(conversationID: id, workspaceID: workspace.idCode, reply, at: time)
            }
        case .manage(let id):
            return changeConversation(ManageConversationRequest.self, request.body, requestID: requestID) {
                world, manage, time in
                try world.manage(conversationID: id, workspaceID: workspace.idCode, manage, at: time)
            }
        case .authorize, .tokenExchange:
            return .error(404, .notFound, "Resource Not Found", requestID: requestID)
        }
    }

    /// Decodes the body, applies the change to the world as last saved, and answers the
    /// conversation (or the refusal as Intercom's error list).
    private func changeConversation<Body: Decodable>(
        _ type: Body.Type, _ data: Data, requestID: String,
        _ change: (inout MockWorld, Body, Int) throws -> Conversation
    ) -> APIOutcome {
        guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
            return .error(
                400, .parameterInvalid, "Expected a JSON body with message_type and admin_id", requestID: requestID)
        }
        let time = Int(now().timeIntervalSince1970)
        do {
            let answer = try commit { world -> Result<Conversation, MockWorld.ConversationRefusal> in
                var edited = world
                do {
                    let conversation = try change(&edited, body, time)
                    world = edited
                    return .success(conversation)
                } catch let refusal as MockWorld.ConversationRefusal {
                    return .failure(refusal)
                }
            }
            switch answer {
            case .success(let conversation): return APIOutcome(status: 200, payload: .conversation(conversation))
            case .failure(let refusal):
                return .error(refusal.status, refusal.code, refusal.message, requestID: requestID)
            }
        } catch {
            return serverError(error, requestID: requestID)
        }
    }

    func serverError(_ error: any Error, requestID: String) -> APIOutcome {
        logger.error("mock world could not be saved", metadata: ["error": "\(error)"])
        return .error(500, .serverError, "Server error", requestID: requestID)
    }

    private static func admin(_ teammate: MockWorld.Teammate) -> Admin {
        Admin(
            id: teammate.id, name: teammate.name, email: teammate.email, awayModeEnabled: false,
            awayModeReassign: false, hasInboxSeat: true, teamIDs: [])
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    // MARK: Rate limit

    /// What the journal says of the token a request carried.
    struct TokenLabel {
        /// Its public id, `[redacted]` for a token the mock does not know, `nil` without one.
        var label: String?
        var alive: Bool?
        /// The counters it counted on, when the rate limit allowed it.
        var counted: JournalEntry.RateCount?
    }

    /// Intercom's 429: an `error.list` whose message names the window's limit and length, as
    /// Intercom words it ("Exceeded rate limit of 83 in 10_seconds", quoted in intercom-ruby#475).
    private func rateLimitExceeded(limit: Int, requestID: String) -> APIOutcome {
        .error(
            429, .rateLimitExceeded,
            "Exceeded rate limit of \(limit) in \(max(world.rateLimit.windowSeconds, 1))_seconds",
            requestID: requestID)
    }

    private func rateLimitHeaders(limit: Int, remaining: Int, reset: Int) -> [(String, String)] {
        [
            (RateLimitHeader.limit, "\(limit)"),
            (RateLimitHeader.remaining, "\(remaining)"),
            (RateLimitHeader.reset, "\(reset)"),
        ]
    }

    // MARK: Faults that answer

    private func faultOutcome(status: Int, body: FaultSpec.Body) -> APIOutcome {
        let requestID = newRequestID()
        func answer(_ code: String?, _ message: String) -> APIOutcome {
            APIOutcome(
                status: status,
                payload: .errors(ErrorList(requestID: requestID, errors: [.init(code: code, message: message)])))
        }
        switch body {
        case .html:
            let page =
                "<html><head><title>\(status)</title></head>"
                + "<body><h1>\(status)</h1><p>Injected by relink's mock.</p></body></html>"
            return APIOutcome(status: status, payload: .html(page))
        case .json:
            let code: IntercomErrorCode =
                switch status {
                case 401: .unauthorized
                case 403: .forbidden
                case 404: .notFound
                case 429: .rateLimitExceeded
                case 400..<500: .parameterInvalid
                default: .serverError
                }
            return .error(status, code, "Injected fault: HTTP \(status)", requestID: requestID)
        // The real answers, each as its source in Docs/intercom.md shows it; where no wire sample
        // exists, the message is the docs' sentence for the code.
        case .scope: return answer("token_unauthorized", "Not authorized to access resource")
        case .scopeNamed:
            return answer(
                "forbidden", "You do not have the required scope (read_conversations) to access this resource")
        case .allowlist: return answer("forbidden", "Your IP address is not on the allowlist for API access")
        case .plan: return answer("api_plan_restricted", "Active subscription needed.")
        case .nocode: return answer(nil, "Not authorized to access resource")
        case .unauthorized: return answer("unauthorized", "Access Token Invalid")
        case .tokenRevoked: return answer("token_revoked", "The token or API Key has been revoked")
        case .tokenSuspended: return answer("token_suspended", "Unauthorized token, suspended application")
        case .tokenBlocked: return answer("token_blocked", "The API Key or App has been blocked")
        case .tokenExpired: return answer("token_expired", "The token is expired")
        case .tokenNotFound: return answer("token_not_found", "Unauthorized")
        case .adminNotFound: return answer("admin_not_found", "Admin not found")
        case .notFound: return answer("not_found", "Resource Not Found")
        case .conversationForbidden: return answer("forbidden", "Admin does not have access to this conversation")
        }
    }

    /// A fresh request id shaped like Intercom's: 20 lowercase base-36 characters (for example
    /// `000sfj3o7mbnm1c7ung0`), the counter's then the per-process prefix's, unique per answer.
    func newRequestID() -> String {
        requestCounter &+= 1
        return Self.base36(requestCounter, width: 8) + Self.base36(requestIDPrefix, width: 12)
    }

    /// `value` in lowercase base 36, left-padded with zeros (or cut to its last digits) to `width`.
    static func base36(_ value: UInt64, width: Int) -> String {
        var digits = String(value, radix: 36, uppercase: false)
        if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
        return String(digits.suffix(width))
    }
}
