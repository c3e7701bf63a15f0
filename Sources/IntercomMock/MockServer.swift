import Foundation
import Hummingbird
import IntercomAPI
import IntercomMockWorld
import Logging
import NIOCore
import ServiceLifecycle

/// The mock Intercom's HTTP server.
public struct MockServer {
    /// The router with Intercom's routes and the control API under `/__mock/`.
    public static func buildRouter(intercom: MockIntercom) -> Router<MockRequestContext> {
        let router = Router(context: MockRequestContext.self)
        router.add(middleware: NotFoundMiddleware())
        addAPIRoutes(to: router, intercom: intercom)
        addControlRoutes(to: router, intercom: intercom)
        addInspectRoutes(to: router, intercom: intercom)
        return router
    }

    /// The application, listening on `host:port` (0: a port the OS picks).
    public static func buildApplication(
        intercom: MockIntercom, host: String = "127.0.0.1", port: Int = 0, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(intercom: intercom),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Starts the mock in-process and returns once it listens.
    ///
    /// Throws when the address cannot be bound.
    public static func start(
        intercom: MockIntercom, host: String = "127.0.0.1", port: Int = 0, logger: Logger
    ) async throws -> RunningMockServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = buildApplication(intercom: intercom, host: host, port: port, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        // A service group of its own, so that shutdown is graceful (open connections finish)
        // rather than a cancellation, which Hummingbird reports as an error.
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let boundPort = await iterator.next() else {
            // The stream finished without a port: the server failed to start; surface its error.
            try await task.value
            throw MockError(.invalid, "the mock server stopped before it listened")
        }
        return RunningMockServer(host: host, port: boundPort, task: task, group: group, intercom: intercom)
    }

    /// Runs the mock in the foreground until SIGINT or SIGTERM, then shuts down gracefully.
    /// `onListening` receives the base URL once the server listens. Throws when it cannot bind.
    public static func serve(
        intercom: MockIntercom, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (String) -> Void
    ) async throws {
        let application = buildApplication(intercom: intercom, host: host, port: port, logger: logger) { channel in
            onListening(baseURL(host: host, port: channel.localAddress?.port ?? port))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [application, StopOnShutdown(intercom: intercom)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// Ends held latency as soon as a graceful shutdown begins, so SIGINT stops `mock serve` at once.
    private struct StopOnShutdown: Service {
        let intercom: MockIntercom

        func run() async throws {
            try? await gracefulShutdown()
            intercom.stopping.fire()
        }
    }

    static func baseURL(host: String, port: Int) -> String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}

/// A mock server running in-process.
public struct RunningMockServer: Sendable {
    public let host: String
    /// The port the OS chose (or the one asked for).
    public let port: Int
    let task: Task<Void, any Error>
    let group: ServiceGroup
    let intercom: MockIntercom

    /// `http://127.0.0.1:PORT`, no trailing slash.
    public var baseURL: String { MockServer.baseURL(host: host, port: port) }

    /// Stops the server gracefully and returns once it has stopped.
    ///
    /// - Parameter grace: with a value, requests still being answered after that long are
    ///   cancelled instead of waited for: for when their clients are gone, as a handler sleeping in
    ///   a latency fault would otherwise hold the shutdown for as long as the fault says.
    /// Requests held by a latency fault are answered 503 at once rather than waited for.
    public func shutdown(abandoningOpenRequestsAfter grace: Duration? = nil) async {
        intercom.stopping.fire()
        await group.triggerGracefulShutdown()
        guard let grace else {
            _ = await task.result
            return
        }
        let server = task
        let deadline = Task {
            try await Task.sleep(for: grace)
            server.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }
}
