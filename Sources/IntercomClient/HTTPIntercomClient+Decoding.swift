import AsyncHTTPClient
import Foundation
import IntercomAPI
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// Turning answers and transport errors into typed outcomes.
extension HTTPIntercomClient {
    /// A 2xx answer decoded as `T`, or the failure the answer describes.
    func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, quoteBody: Bool = true) -> Result<T, IntercomFailure> {
        guard (200..<300).contains(answer.status) else {
            return .failure(Self.failure(for: answer))
        }
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(buffer: answer.body)))
        } catch {
            return .failure(
                IntercomFailure(
                    kind: .notJSON, status: answer.status, message: "expected \(T.self): \(Self.describe(error))",
                    requestID: answer.headers.first(name: "X-Request-Id"),
                    bodySnippet: quoteBody ? Self.snippet(answer.body) : nil))
        }
    }

    /// The failure an unsuccessful answer describes.
    ///
    /// A 401 with any JSON body is Intercom refusing the token, whatever its code, unknown codes
    /// and items without a code included (design §2). A 403 is a verdict when its body is
    /// Intercom's `error.list`. A 401 or 403 whose body is not JSON (an HTML page from a proxy or a
    /// CDN) says nothing about the token and must not break a connection, so it is
    /// ``IntercomFailure/Kind/notJSON``. A 429 needs no body: its status and headers say it all.
    public static func failure(for answer: Answer) -> IntercomFailure {
        let headerRequestID = answer.headers.first(name: "X-Request-Id")
        // When to ask again: `Retry-After` first, then `X-RateLimit-Reset`; a 503 may say so too.
        let headers = RateLimitHeaders(answer.headers)
        let retryAt = answer.status == 429 ? headers.retryAt : answer.status >= 500 ? headers.retryAfter : nil
        let data = Data(buffer: answer.body)
        let list = try? JSONDecoder().decode(ErrorList.self, from: data)
        guard let list, list.type == "error.list" || !list.errors.isEmpty else {
            if answer.status == 429 {
                return IntercomFailure(
                    kind: .rateLimited, status: 429, requestID: headerRequestID, rateLimitReset: retryAt)
            }
            if answer.status == 401, (try? JSONSerialization.jsonObject(with: data)) is [String: Any] {
                // JSON, but not the usual envelope: still Intercom's refusal of the token.
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                return IntercomFailure(
                    kind: .authRejected, status: 401, code: object?["code"] as? String,
                    message: object?["message"] as? String,
                    requestID: object?["request_id"] as? String ?? headerRequestID)
            }
            let verdict = answer.status == 401 || answer.status == 403 ? ": no verdict on the token" : ""
            return IntercomFailure(
                kind: .notJSON, status: answer.status,
                message: (answer.body.readableBytes == 0
                    ? "the answer has no body" : "the answer is not an Intercom error") + verdict,
                requestID: headerRequestID, rateLimitReset: retryAt, bodySnippet: Self.snippet(answer.body))
        }
        let first = list.errors.first
        return IntercomFailure(
            kind: Self.kind(forStatus: answer.status), status: answer.status, code: first?.code,
            message: first?.message, requestID: list.requestID ?? headerRequestID,
            rateLimitReset: retryAt)
    }

    static func kind(forStatus status: Int) -> IntercomFailure.Kind {
        switch status {
        case 401: .authRejected
        case 403: .forbidden
        case 404: .notFound
        case 408: .timeout
        case 429: .rateLimited
        case 500...: .serverError
        default: .badRequest
        }
    }

    /// A transport error (no HTTP answer, or one cut short) as a failure. `host` is the server
    /// asked and `proxy` the proxy the request went through, if any, for the message.
    static func failure(
        forTransportError error: any Error, timeout: Duration, maxBodyBytes: Int, host: String = "the server",
        proxy: ProxyAddress? = nil
    ) -> IntercomFailure {
        if error is NIOTooManyBytesError {
            return IntercomFailure(kind: .tooLarge, message: "the answer is larger than \(maxBodyBytes) bytes")
        }
        if let reason = certificateProblem(error) {
            return IntercomFailure(kind: .untrustedCertificate, message: "\(host): \(reason)")
        }
        if let error = error as? HTTPClientError {
            let via = proxy.map { "the proxy \($0)" } ?? "the proxy"
            switch error {
            case .proxyAuthenticationRequired:
                return IntercomFailure(kind: .unreachable, message: "\(via) asks for credentials (407)")
            case .invalidProxyResponse:
                return IntercomFailure(kind: .unreachable, message: "\(via) refused the tunnel to \(host)")
            case .httpProxyHandshakeTimeout:
                return IntercomFailure(kind: .unreachable, message: "\(via) did not open the tunnel to \(host) in time")
            default: break
            }
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return IntercomFailure(kind: .timeout, message: "no complete answer within \(timeout)")
            case .connectTimeout:
                return IntercomFailure(kind: .unreachable, message: "the connection attempt timed out")
            case .remoteConnectionClosed:
                return IntercomFailure(
                    kind: .unreachable, message: "the server closed the connection without answering")
            case .cancelled:
                return IntercomFailure(kind: .unreachable, message: "the request was cancelled")
            case .invalidURL, .emptyHost, .emptyScheme:
                return IntercomFailure(kind: .unreachable, message: "the endpoint URL is invalid")
            default:
                return IntercomFailure(kind: .unreachable, message: "\(error)")
            }
        }
        if error is CancellationError {
            return IntercomFailure(kind: .unreachable, message: "the request was cancelled")
        }
        // Connection refused or reset, DNS failures: NIO's errors name the address, never a header.
        return IntercomFailure(kind: .unreachable, message: "\(error)")
    }

    /// Why TLS refused the server's certificate, in a person's words, or nil when `error` is not
    /// about the certificate. BoringSSL reports an unverifiable chain as CERTIFICATE_VERIFY_FAILED
    /// in its error stack; a certificate for another name is NIOSSL's own error.
    static func certificateProblem(_ error: any Error) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "its certificate is for another host name"
        }
        guard let error = error as? NIOSSLError, case .handshakeFailed(let boring) = error else { return nil }
        let text = "\(boring)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "its certificate does not verify against the trusted CAs (CERTIFICATE_VERIFY_FAILED)"
        }
        return "the TLS handshake failed (\(text.prefix(160)))"
    }

    /// The start of a body, on one line, for a person to recognise (an nginx page, a Cloudflare page).
    static func snippet(_ body: ByteBuffer, limit: Int = 120) -> String? {
        guard body.readableBytes > 0 else { return nil }
        let prefix = body.getSlice(at: body.readerIndex, length: min(body.readableBytes, limit * 4)) ?? body
        let text = String(decoding: prefix.readableBytesView, as: UTF8.self)
        let squeezed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return squeezed.count > limit ? String(squeezed.prefix(limit)) + "…" : squeezed
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: "the body is not valid JSON"
        default: "undecodable body"
        }
    }
}
