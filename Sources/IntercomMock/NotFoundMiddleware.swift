import Foundation
import Hummingbird
import IntercomAPI
import IntercomMockWorld

/// Answers a path the mock does not serve the way Intercom does, with an `error.list` 404, so a
/// client or SDK that strays off the mocked slice gets an envelope it can parse.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = MockRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let requestID = UUID().uuidString.lowercased()
            var response = MockServer.response(
                .error(404, .notFound, "Resource Not Found", requestID: requestID))
            response.headers[MockServer.headerNames["X-Request-Id"]!] = requestID
            return response
        }
    }
}
