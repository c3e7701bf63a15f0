import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// The connection lifecycle of DESIGN.md §1 and the app's work over the store, against the mock
/// or the real API: the one way commands do domain work.
///
/// It composes one type per use case, each found by its name:
/// - ``lifecycle`` (`Lifecycle/`): connect, reconnect, change the app user, revoke;
/// - ``health`` (`Check/`): the health check and its rate-limit pacer;
/// - ``breaks`` (`Lifecycle/BreakSimulator.swift`): a break cause simulated on the mock's world;
/// - ``work`` (`Work/`): links and Jira events;
/// - ``outbox`` (`Outbox/`): delivering and discarding held work.
/// Authorizing (mock login, paste, token, listen) is `Authorization/Authorizer.swift`, which the
/// lifecycle runs.
///
/// Each command checks once that its project exists and that its state allows it, and commits
/// what it changed, with its event, in one store transaction. A new token reaches the store only
/// after Intercom confirmed it (`GET /me`), and it never appears in a message, a log line or an
/// event.
public final class ConnectionService: Sendable {
    public let store: Store
    public let configuration: ServiceConfiguration
    public let lifecycle: Lifecycle
    public let health: HealthCheck
    public let breaks: BreakSimulator
    public let work: AppWork
    public let outbox: Outbox

    /// - Parameters:
    ///   - intercom: where Intercom is; the caller owns whatever it holds (an HTTP client) and shuts it down.
    ///   - worldControl: the mock's control, when Intercom is a mock.
    ///   - interaction: the person's part of authorizing against the real API (nil: not possible).
    public init(
        store: Store, intercom: any IntercomGateway, worldControl: (any WorldControl)?,
        configuration: ServiceConfiguration = ServiceConfiguration(), interaction: (any AuthorizationInteraction)? = nil
    ) {
        let context = ServiceContext(
            store: store, configuration: configuration, intercom: intercom, worldControl: worldControl,
            interaction: interaction)
        self.store = store
        self.configuration = configuration
        let health = HealthCheck(context: context)
        let outbox = Outbox(context: context, health: health)
        self.health = health
        self.outbox = outbox
        self.lifecycle = Lifecycle(context: context, authorizer: Authorizer(context: context), outbox: outbox)
        self.breaks = BreakSimulator(context: context)
        self.work = AppWork(context: context, health: health, outbox: outbox)
    }

    /// Whether Intercom is a mock whose world relink may change.
    public var isMock: Bool { breaks.isMock }
}
