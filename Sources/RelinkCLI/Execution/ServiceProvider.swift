import IntercomMockWorld
import RelinkService

/// Where commands get the services they run against. The composition root builds them; the
/// built-in mock starts only when a command first needs Intercom, so a command that reads the
/// store alone never pays for it.
public protocol ServiceProvider: Sendable {
    /// The connection service, started on first use.
    ///
    /// - Throws: when the built-in mock cannot start (its world is damaged, no port to bind).
    func connectionService() async throws -> ConnectionService

    /// The mock's control API; `nil` against the real Intercom API.
    func mockControl() async throws -> (any MockControl)?

    /// Where Intercom calls go, for a person: "the mock", "the real API (US)".
    var intercomDescription: String { get }

    /// Whether Intercom is the real API.
    var isRealAPI: Bool { get }

    /// Whether Intercom is the mock built into this process, over this store's world (not the
    /// real API, not a mock at `--endpoint URL` serving a store of its own).
    var isBuiltInMock: Bool { get }

    /// The store's files were replaced (`import`): a built-in mock started over the old world stops,
    /// and the next command that needs Intercom starts one over the new world.
    func storeReplaced() async

    /// Starts the settings page in the background of this process, once, and answers its URL;
    /// `run` runs a command line for the page exactly as if typed; `readOnly` offers no action. A second call answers the
    /// running page's URL.
    ///
    /// - Throws: when the port cannot be bound.
    func startSettingsPage(
        port: Int?, readOnly: Bool, run: @escaping @Sendable (String) async -> (status: Int32, output: String)
    ) async throws -> String
}

extension ServiceProvider {
    public func storeReplaced() async {}

    public func startSettingsPage(
        port: Int?, readOnly: Bool, run: @escaping @Sendable (String) async -> (status: Int32, output: String)
    ) async throws -> String {
        throw CommandFailure.settingsPageFailed(port: port, reason: "this run of relink cannot serve it")
    }

    public var isBuiltInMock: Bool { !isRealAPI }
}
