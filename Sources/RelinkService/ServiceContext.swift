import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// What every use case of the service shares: the store, the settings, where Intercom is, and the
/// person's part of authorizing. Built once by ``ConnectionService`` and handed to each use case.
final class ServiceContext: Sendable {
    let store: Store
    let configuration: ServiceConfiguration
    /// Intercom's API and OAuth endpoints, real or mock.
    let intercom: any IntercomGateway
    /// The mock's world beyond its API (simulated login, break causes, ground truth); `nil`
    /// against the real API, where nothing may be broken on purpose.
    let worldControl: (any WorldControl)?
    let interaction: (any AuthorizationInteraction)?

    init(
        store: Store, configuration: ServiceConfiguration, intercom: any IntercomGateway,
        worldControl: (any WorldControl)?, interaction: (any AuthorizationInteraction)?
    ) {
        self.store = store
        self.configuration = configuration
        self.intercom = intercom
        self.worldControl = worldControl
        self.interaction = interaction
    }
}

/// A use case of the service (``Lifecycle``, ``HealthCheck``, ``AppWork``, ``Outbox``, …): what it
/// reads through its ``ServiceContext``, and the one place that says a project exists.
protocol ServiceUseCase: Sendable {
    var context: ServiceContext { get }
}

extension ServiceUseCase {
    var store: Store { context.store }
    var configuration: ServiceConfiguration { context.configuration }
    var intercom: any IntercomGateway { context.intercom }
    var worldControl: (any WorldControl)? { context.worldControl }

    /// Whether Intercom is a mock whose world relink may change.
    var isMock: Bool { context.worldControl != nil }

    /// The real-API settings: overrides from outside, then the store, then defaults.
    var realAPI: RealAPIConfiguration { RealAPIConfiguration(store: store, overrides: configuration.overrides) }

    /// The project and its connection, read once for a command that acts on both.
    func requireConnection(_ key: ProjectKey) throws(ServiceError) -> (project: Project, connection: Connection) {
        let project = try store.requireProject(key)
        return (project, try ServiceError.reading(try store.connection(for: key)))
    }

    /// The token the store holds for the authorization, or `missingToken`.
    func requireToken(_ key: ProjectKey, _ authorization: Authorization) throws(ServiceError) -> String {
        guard let token = try ServiceError.reading(try store.token(id: authorization.tokenID)) else {
            throw .missingToken(key)
        }
        return token
    }

    /// Brings in what other processes committed.
    func refresh() throws(ServiceError) {
        do { try store.refresh() } catch { throw store.serviceError(error, operation: "read") }
    }
}

extension Store {
    /// Runs one store transaction; a refused transition stays a refusal and a store failure a
    /// store error.
    func commit<T>(_ body: (inout StoreTransaction) throws -> T) throws(ServiceError) -> T {
        do { return try update(body) } catch { throw serviceError(error, operation: "commit a change") }
    }

    /// What a store call (or the body of its transaction) threw, as a service error.
    func serviceError(_ error: any Error, operation: String) -> ServiceError {
        switch error {
        case let error as ServiceError: error
        case let error as LifecycleError: .refused(error)
        case let error as StoreError: .store(error)
        // The store throws only StoreErrors, and a transaction's body only the above.
        default: .store(.io(file: directory.path, operation: operation, reason: "\(error)"))
        }
    }

    /// The project, or `unknownProject` naming the closest key; a record that cannot be read is a
    /// store error. The one check that a project exists, for the service and for the commands
    /// that only read.
    public func requireProject(_ key: ProjectKey) throws(ServiceError) -> Project {
        let found: Project?
        do { found = try project(key) } catch { throw .store(error) }
        if let found { return found }
        let suggestion = Suggestion.closest(to: key.rawValue, in: projectKeys.map(\.rawValue))
        throw .unknownProject(key, suggestion: suggestion)
    }
}
