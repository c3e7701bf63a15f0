import Foundation
import IntercomAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// A one-shot HTTP listener on 127.0.0.1 that receives the OAuth redirect of a real authorization.
///
/// It listens on a port the OS picks, so ``redirectURI`` must be registered with the Intercom app
/// (Intercom accepts loopback redirect URIs). It accepts exactly one redirect whose `state`
/// matches, answers it with a small "you can close this tab" page and stops listening; a request
/// with the wrong state is answered 400 and does not end it. After `timeout` it stops by itself.
///
/// The listening runs in a task owned by this object from ``start(expectedState:timeout:path:)``
/// until ``waitForCode()`` returns (or ``cancel()``), because the redirect may arrive before
/// anyone waits for it.
public final class LoopbackRedirectListener: Sendable {
    /// The port the OS chose.
    public let port: Int
    /// The path the redirect must use, e.g. `/callback`.
    public let path: String
    private let outcome: Task<Result<String, OAuthError>, Never>

    /// `http://127.0.0.1:PORT/callback`: the redirect URI to send with the authorize request.
    public var redirectURI: String { registeredURI ?? "http://127.0.0.1:\(port)\(path)" }
    /// The registered loopback URL this listener serves, exactly as registered, when it was given one.
    private let registeredURI: String?

    private init(
        port: Int, path: String, registeredURI: String? = nil, outcome: Task<Result<String, OAuthError>, Never>
    ) {
        self.registeredURI = registeredURI
        self.port = port
        self.path = path
        self.outcome = outcome
    }

    deinit {
        // Nobody can wait any more: stop listening rather than hold the port until the timeout.
        outcome.cancel()
    }

    /// Starts listening on 127.0.0.1 and a free port.
    ///
    /// Throws ``OAuthError/listenerFailed(_:)`` when no socket can be bound.
    public static func start(
        expectedState: String, timeout: Duration, path: String = "/callback"
    ) async throws(OAuthError) -> LoopbackRedirectListener {
        let (port, outcome) = try await listen(
            expectedState: expectedState, timeout: timeout, host: "127.0.0.1", port: 0, path: path)
        return LoopbackRedirectListener(port: port, path: path, outcome: outcome)
    }

    /// Starts listening where a registered loopback redirect URL (`http://127.0.0.1:8123/callback`,
    /// `localhost`, `[::1]`) points, and answers that URL, as registered, as ``redirectURI``.
    ///
    /// Throws ``OAuthError/listenerFailed(_:)`` for a URL that is not loopback http, or when its
    /// port cannot be bound (in use, or below 1024 without privileges).
    public static func start(
        expectedState: String, timeout: Duration, registeredURI: String
    ) async throws(OAuthError) -> LoopbackRedirectListener {
        guard let components = URLComponents(string: registeredURI), components.scheme?.lowercased() == "http",
            let host = components.host?.lowercased(), ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        else {
            throw .listenerFailed("\(registeredURI) is not a loopback http URL this machine can listen on")
        }
        let path = components.path.isEmpty ? "/" : components.path
        let (port, outcome) = try await listen(
            expectedState: expectedState, timeout: timeout, host: host.contains(":") ? "::1" : "127.0.0.1",
            port: components.port ?? 80, path: path)
        return LoopbackRedirectListener(port: port, path: path, registeredURI: registeredURI, outcome: outcome)
    }

    private static func listen(
        expectedState: String, timeout: Duration, host: String, port requested: Int, path: String
    ) async throws(OAuthError) -> (port: Int, outcome: Task<Result<String, OAuthError>, Never>) {
        typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 16)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: requested) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .listenerFailed("cannot listen on \(host) port \(requested): \(error)")
        }
        guard let port = server.channel.localAddress?.port else {
            try? await server.channel.close()
            throw .listenerFailed("the listening socket has no port")
        }
        let route = RedirectRoute(expectedState: expectedState, path: path, port: port)
        return (port, Task { await serve(server, route: route, timeout: timeout) })
    }

    /// Waits for the matching redirect and answers its code; the listener is closed when it returns.
    ///
    /// Throws ``OAuthError/timedOut(after:)`` when none arrived in time, ``OAuthError/accessDenied``
    /// (or another ``OAuthError``) when the matching redirect carries an error instead of a code,
    /// ``OAuthError/listenerFailed(_:)`` when cancelled or the socket failed.
    public func waitForCode() async throws(OAuthError) -> String {
        // The listening runs in its own task: the caller's cancellation (Ctrl-C) must reach it.
        try await withTaskCancellationHandler {
            await outcome.value
        } onCancel: {
            outcome.cancel()
        }.get()
    }

    /// Stops listening now; a pending ``waitForCode()`` fails with ``OAuthError/listenerFailed(_:)``.
    public func cancel() {
        outcome.cancel()
    }

    /// Accepts connections until one gives an outcome or the time is up, then closes the socket.
    private static func serve(
        _ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>,
        route: RedirectRoute, timeout: Duration
    ) async -> Result<String, OAuthError> {
        let (outcomes, continuation) = AsyncStream.makeStream(of: Result<String, OAuthError>.self)
        do {
            return try await server.executeThenClose { connections in
                await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // The deadline of the authorization, not a synchronisation.
                        try await Task.sleep(for: timeout)
                        continuation.yield(.failure(.timedOut(after: timeout)))
                    }
                    group.addTask {
                        // Each connection in its own task: a browser's idle pre-connection must not
                        // hold up the one that carries the redirect.
                        try await withThrowingDiscardingTaskGroup { handlers in
                            for try await connection in connections {
                                handlers.addTask {
                                    if let outcome = await route.handle(connection) { continuation.yield(outcome) }
                                }
                            }
                        }
                    }
                    var iterator = outcomes.makeAsyncIterator()
                    let first = await iterator.next() ?? .failure(.listenerFailed("the listener was cancelled"))
                    // One outcome is all: stop the timer and every other connection, then close.
                    group.cancelAll()
                    return first
                }
            }
        } catch {
            return .failure(.listenerFailed("\(error)"))
        }
    }
}
