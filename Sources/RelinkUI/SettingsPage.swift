import Foundation
import Hummingbird
import Logging
import NIOCore
import RelinkCore
import RelinkStore
import ServiceLifecycle
import Synchronization

/// The settings page in a browser (DESIGN.md §6): the projects list, each project's "Intercom
/// integration" section rendered from the same `SettingsView` as `show`, live over Server-Sent
/// Events, its actions run as the REPL's commands.
///
/// Safe by default: it listens on 127.0.0.1 only; it answers only requests whose `Host` is the
/// address it printed (a DNS-rebinding page cannot reach it); every change is a POST carrying a
/// token made for this process and embedded in the page; a read-only store makes a read-only page.
public enum SettingsPage {
    public struct Configuration: Sendable {
        /// 0: a port the OS picks.
        public var port: Int
        /// How often the store's files are looked at for another process's change.
        public var pollInterval: Duration
        /// Serve a read-only page over a writable store, saying why (a demo shown to a customer).
        public var readOnlyReason: String?

        public init(port: Int = 0, pollInterval: Duration = .milliseconds(50), readOnlyReason: String? = nil) {
            self.port = port
            self.pollInterval = pollInterval
            self.readOnlyReason = readOnlyReason
        }
    }

    /// Always loopback: the page can run commands on the store.
    static let host = "127.0.0.1"

    /// Starts the page in-process and returns once it listens.
    ///
    /// - Throws: when the port cannot be bound.
    public static func start(
        store: Store, backend: any SettingsPageBackend, configuration: Configuration = Configuration(), logger: Logger
    ) async throws -> RunningSettingsPage {
        let state = PageState(
            store: store, backend: backend, token: newToken(), readOnlyReason: configuration.readOnlyReason,
            watcher: StoreWatcher(directory: store.directory, interval: configuration.pollInterval))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: buildRouter(state: state),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                state.authority.withLock { $0 = "\(host):\(port)" }
                continuation.yield(port)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        await state.watcher.start()
        let server = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            await state.watcher.stop()
            try await server.value
            throw PageStartFailure()
        }
        let follower = Task { await state.followWorld() }
        return RunningSettingsPage(port: port, state: state, server: server, follower: follower, group: group)
    }

    /// 32 random bytes as hex: the token a page's POSTs carry. Per process, never stored.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    struct PageStartFailure: Error, CustomStringConvertible {
        var description: String { "the settings page stopped before it listened" }
    }
}

/// The settings page, running in this process.
public struct RunningSettingsPage: Sendable {
    public let port: Int
    let state: PageState
    let server: Task<Void, any Error>
    let follower: Task<Void, Never>
    let group: ServiceGroup

    /// `http://127.0.0.1:PORT/`: the only address the page answers at.
    public var url: String { "http://\(SettingsPage.host):\(port)/" }

    /// Ends the live streams, then stops the server; returns once it has stopped.
    public func shutdown() async {
        follower.cancel()
        await state.watcher.stop()
        await group.triggerGracefulShutdown()
        // A browser keeps its event stream's connection open; once the streams ended, what is
        // still open has nothing to wait for.
        let server = server
        let deadline = Task {
            try await Task.sleep(for: .seconds(1))
            server.cancel()
        }
        _ = await server.result
        deadline.cancel()
        _ = await follower.value
    }

    /// Waits until the server stops (SIGINT for `relink ui`, handled by the caller).
    public func wait() async throws {
        try await server.value
    }
}

/// What the page's handlers share.
final class PageState: Sendable {
    let store: Store
    let backend: any SettingsPageBackend
    let token: String
    /// Given by the caller; a store that cannot be written is read-only whatever this says.
    let configuredReadOnlyReason: String?
    let watcher: StoreWatcher
    /// `127.0.0.1:PORT` once bound: the only `Host` answered.
    let authority = Mutex<String?>(nil)
    /// Projects an open page shows, with how many pages show each: a change of the mock's world
    /// is checked for these.
    let watched = Mutex<[ProjectKey: Int]>([:])

    init(
        store: Store, backend: any SettingsPageBackend, token: String, readOnlyReason: String?, watcher: StoreWatcher
    ) {
        self.configuredReadOnlyReason = readOnlyReason
        self.store = store
        self.backend = backend
        self.token = token
        self.watcher = watcher
    }

    var context: PageContext {
        PageContext(
            token: token, readOnlyReason: readOnlyReason, isRealAPI: backend.isRealAPI,
            intercomDescription: backend.intercomDescription, storePath: store.directory.path)
    }

    /// Why the page offers no action, if it offers none.
    var readOnlyReason: String? {
        store.readOnlyReason.map { "the store cannot be written (\($0))" } ?? configuredReadOnlyReason
    }

    func watch(_ key: ProjectKey) { watched.withLock { $0[key, default: 0] += 1 } }

    func unwatch(_ key: ProjectKey) {
        watched.withLock {
            $0[key, default: 1] -= 1
            if $0[key] == 0 { $0[key] = nil }
        }
    }

    /// After each change of the mock's world, checks the connected projects an open page shows,
    /// as the app would discover a dead token on its next call. One check at a time.
    func followWorld() async {
        guard !backend.isRealAPI else { return }
        for await change in watcher.changes() where change.worldChanged {
            let keys = watched.withLock { Array($0.keys) }.sorted()
            guard !keys.isEmpty, readOnlyReason == nil else { continue }
            try? store.refresh()
            let connected = keys.filter { key in
                (try? store.connection(for: key).state.name) == .connected
            }
            guard !connected.isEmpty else { continue }
            await backend.checkAfterWorldChange(connected)
        }
    }
}
