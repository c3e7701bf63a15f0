import Foundation
import Hummingbird
import IntercomAPI
import IntercomMockWorld
import NIOCore

/// `HTTPField` without importing HTTPTypes, which Hummingbird uses but does not re-export.
typealias Field = HTTPFields.Element

extension MockServer {
    static func addAPIRoutes(to router: Router<MockRequestContext>, intercom: MockIntercom) {
        router.get("/me") { request, context in
            try await answer(.me, request, context, intercom)
        }
        router.get("/admins") { request, context in
            try await answer(.admins, request, context, intercom)
        }
        router.get("/admins/:id") { request, context in
            try await answer(.admin(id: context.parameters.get("id") ?? ""), request, context, intercom)
        }
        router.post("/auth/uninstall") { request, context in
            try await answer(.uninstall, request, context, intercom)
        }
        router.get("/conversations") { request, context in
            try await answer(.conversations, request, context, intercom)
        }
        router.get("/conversations/:id") { request, context in
            try await answer(.conversation(id: context.parameters.get("id") ?? ""), request, context, intercom)
        }
        router.post("/conversations/:id/reply") { request, context in
            try await answer(.reply(conversationID: context.parameters.get("id") ?? ""), request, context, intercom)
        }
        router.post("/conversations/:id/parts") { request, context in
            try await answer(.manage(conversationID: context.parameters.get("id") ?? ""), request, context, intercom)
        }
        router.get("/oauth") { request, context in
            try await answer(.authorize, request, context, intercom)
        }
        router.post("/auth/eagle/token") { request, context in
            try await answer(.tokenExchange, request, context, intercom)
        }
    }

    /// Asks the actor for a decision, applies latency or a drop, and encodes the answer.
    static func answer(
        _ route: APIRoute, _ request: Request, _ context: MockRequestContext, _ intercom: MockIntercom
    ) async throws -> Response {
        var apiRequest = APIRequest(
            route: route, method: request.method.rawValue, path: request.uri.path,
            authorization: request.headers[.authorization],
            version: request.headers[versionHeader],
            contentType: request.headers[.contentType])
        if route == .authorize {
            for (key, value) in request.uri.queryParameters {
                apiRequest.query[String(key)] = String(value)
            }
        }
        if request.method == .post {
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            apiRequest.body = Data(buffer: buffer)
        }
        var step = await intercom.serve(apiRequest)
        if case .delay(let milliseconds, let fault) = step {
            // Injected latency, cut short when the mock stops.
            if await intercom.stopping.sleep(for: .milliseconds(milliseconds)) {
                return response(
                    .error(503, .serverError, "The mock is stopping", requestID: await intercom.newRequestID()))
            }
            step = await intercom.serve(apiRequest, appliedFault: fault)
        }
        switch step {
        case .answer(let outcome, _):
            return response(outcome)
        case .drop:
            // Close the socket before anything is written: the client sees EOF, no HTTP answer.
            try? await context.channel.close()
            throw CancellationError()
        case .delay:
            // `serve` never asks for a second delay once a fault was applied.
            return response(.error(500, .serverError, "Server error", requestID: await intercom.newRequestID()))
        }
    }

    static func response(_ outcome: APIOutcome) -> Response {
        var headers = HTTPFields()
        headers.reserveCapacity(outcome.headers.count + 1)
        for (name, value) in outcome.headers {
            if let name = headerNames[name] ?? Field.Name(name) { headers.append(Field(name: name, value: value)) }
        }
        let body: Data
        switch outcome.payload {
        case .admin(let admin): body = encodeJSON(admin)
        case .adminList(let list): body = encodeJSON(list)
        case .conversation(let conversation): body = encodeJSON(conversation)
        case .conversationList(let page): body = encodeJSON(page)
        case .token(let token): body = encodeJSON(token)
        case .errors(let list): body = encodeJSON(list)
        case .emptyObject: body = Data("{}".utf8)
        case .encoded(let data): body = data
        case .html(let page):
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(
                status: .init(code: outcome.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: page)))
        case .none:
            return Response(status: .init(code: outcome.status), headers: headers)
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .init(code: outcome.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    static func encodeJSON<T: Encodable>(_ value: T) -> Data {
        APIOutcome.encode(value)
    }

    /// The names the mock sends, parsed once rather than per answer.
    static let headerNames: [String: Field.Name] = Dictionary(
        uniqueKeysWithValues: [
            "X-Request-Id", "Location", RateLimitHeader.limit, RateLimitHeader.remaining, RateLimitHeader.reset,
        ]
        .map { ($0, Field.Name($0)!) })
    static let versionHeader = Field.Name(IntercomVersion.headerName)!
}
