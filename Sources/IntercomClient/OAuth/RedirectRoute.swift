import Foundation
import IntercomAPI
import NIOCore
import NIOHTTP1

/// How ``LoopbackRedirectListener`` answers one connection: one request, then close.
struct RedirectRoute: Sendable {
    let expectedState: String
    let path: String
    let port: Int

    /// Reads one request and answers it; the outcome when the request was *the* redirect (state
    /// matched), `nil` when it was anything else (wrong state, wrong path, a favicon).
    func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async
        -> Result<String, OAuthError>?
    {
        do {
            return try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let received):
                        head = received
                    case .body:
                        continue
                    case .end:
                        guard let head else { return nil }
                        return await answer(head) { status, page in
                            try await respond(outbound, version: head.version, status: status, page: page)
                        }
                    }
                }
                return nil
            }
        } catch {
            // A connection that broke mid-request simply did not deliver the redirect.
            return nil
        }
    }

    /// Answers one request through `write` and returns its outcome. The redirect has arrived
    /// whether or not its page reaches the browser: a browser that closes the connection once it
    /// has read the page makes the last write fail, and that must not lose the outcome (it did,
    /// about one run in five of the denial test).
    func answer(
        _ head: HTTPRequestHead, write: (HTTPResponseStatus, String) async throws -> Void
    ) async -> Result<String, OAuthError>? {
        let (status, page, outcome) = evaluate(head)
        try? await write(status, page)
        return outcome
    }

    func evaluate(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, Result<String, OAuthError>?) {
        guard head.method == .GET else {
            return (.methodNotAllowed, Self.page("Not allowed", "This address only receives Intercom's redirect."), nil)
        }
        guard let url = URL(string: "http://127.0.0.1:\(port)\(head.uri)"), url.path == path else {
            return (.notFound, Self.page("Not found", "This address only receives Intercom's redirect."), nil)
        }
        do throws(OAuthError) {
            let code = try OAuthRequest.code(fromRedirect: url, expectedState: expectedState)
            return (
                .ok, Self.page("relink is connected", "Authorization received. You can close this tab."), .success(code)
            )
        } catch .stateMismatch {
            // Not ours (or forged): refuse it and keep waiting for the real redirect.
            return (.badRequest, Self.page("Wrong state", OAuthError.stateMismatch.description), nil)
        } catch {
            return (.badRequest, Self.page("Not authorized", error.description), .failure(error))
        }
    }

    private func respond(
        _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, version: HTTPVersion,
        status: HTTPResponseStatus, page: String
    ) async throws {
        let body = ByteBuffer(string: page)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(body)))
        try await outbound.write(.end(nil))
    }

    private static func page(_ title: String, _ text: String) -> String {
        func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(escape(title))</title></head>\
            <body><h1>\(escape(title))</h1><p>\(escape(text))</p></body></html>
            """
    }
}
