import Foundation
import IntercomMockWorld
import Logging

/// The mock Intercom's state: the world, the faults, the request journal and the clock.
///
/// Everything a request decides (is the token alive, is it over the rate limit, which fault hits)
/// happens inside one call to this actor, and every break cause is one call too, so a cause is
/// atomic with respect to concurrent requests. The world is saved after every change.
public actor MockIntercom {
    /// The current world.
    public private(set) var world: MockWorld
    /// What `reset()` returns to: the world as it was loaded or given at start.
    private let initialWorld: MockWorld
    private let persistence: (any WorldPersistence)?
    /// Fired when the server stops, ending injected latency early.
    nonisolated let stopping = StopSignal()
    /// The clock; tests inject one to expire authorization codes and rate-limit windows.
    public nonisolated let now: @Sendable () -> Date
    let logger: Logger

    var faults: [ActiveFault] = []
    var nextFaultNumber = 1
    var journal = Journal(capacity: 10_000)
    var rateCounters = RateLimitCounters()
    /// Encoded `/me` answers by teammate and workspace: `/me` is the hot path (health checks,
    /// the benchmark), and its answer changes only when the world does.
    var meBodies: [String: Data] = [:]
    /// Request ids are a random per-process half and a counter: unique, and cheaper than a UUID.
    let requestIDPrefix = UInt64.random(in: .min ... .max)
    var requestCounter: UInt64 = 0

    /// How long an authorization code may wait for its exchange.
    public static let codeLifetime: TimeInterval = 300

    /// A mock over `world`, kept in memory only.
    public init(
        world: MockWorld, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "relink.mock")
    ) {
        self.init(world: world, persistence: nil, now: now, logger: logger)
    }

    /// `persistence` must hold `world` already: every change applies to what it holds.
    private init(
        world: MockWorld, persistence: (any WorldPersistence)?, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.world = world
        self.initialWorld = world
        self.persistence = persistence
        self.now = now
        self.logger = logger
    }

    /// A mock over the world saved in `persistence`, or over `fallback` (saved at once) when none was.
    ///
    /// Throws what the persistence throws when a saved world exists but is damaged; it is left untouched.
    public static func load(
        from persistence: any WorldPersistence, orStartWith fallback: MockWorld = MockWorld(),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "relink.mock")
    ) throws -> MockIntercom {
        let world: MockWorld
        if let saved = try persistence.loadWorld() {
            world = saved
        } else {
            world = fallback
            try persistence.replaceWorld(with: world)
        }
        return MockIntercom(world: world, persistence: persistence, now: now, logger: logger)
    }

    /// Applies `change` to the world and only then makes it current, so a failed save leaves the
    /// world as it was. With a persistence, the change applies to the world as last saved by any
    /// process sharing it, so no process saves a stale copy over another's change.
    func commit<T>(_ change: (inout MockWorld) throws -> T) throws -> T {
        let result: T
        if let persistence {
            (world, result) = try persistence.updateWorld(change)
        } else {
            var copy = world
            result = try change(&copy)
            world = copy
        }
        meBodies.removeAll()
        return result
    }

    /// Edits the world (fixtures, control API) and saves it. Throws what `change` throws, or a
    /// persistence error.
    public func edit<T: Sendable>(_ change: @Sendable (inout MockWorld) throws -> T) throws -> T {
        try commit(change)
    }

    /// Issues a token without the OAuth dance (fixtures, tests) and returns its plaintext once.
    public func issueToken(teammateEmail: String, workspaceID: String, clientID: String) throws -> String {
        let issuedAt = now()
        return try commit {
            try $0.issueToken(
                teammateEmail: teammateEmail, workspaceID: workspaceID, clientID: clientID, issuedAt: issuedAt)
        }
    }

    /// Puts the world back to its baseline (the one the persistence recorded, else the world as it
    /// was at start) and clears faults, journal and rate-limit counters.
    public func reset() throws {
        let baseline = try persistence?.baselineWorld() ?? initialWorld
        try persistence?.replaceWorld(with: baseline)
        world = baseline
        meBodies.removeAll()
        faults.removeAll()
        journal.clear()
        rateCounters.removeAll()
    }

    /// The most recent journal entries, oldest first.
    public func journalEntries(limit: Int? = nil) -> [JournalEntry] {
        journal.entries(limit: limit)
    }

    // MARK: Faults

    /// Installs a fault; throws ``MockError`` when the spec does not fit its kind.
    @discardableResult
    public func addFault(_ spec: FaultSpec) throws -> FaultInfo {
        try spec.validate()
        let fault = ActiveFault(id: "f\(nextFaultNumber)", spec: spec)
        nextFaultNumber += 1
        faults.append(fault)
        return fault.info
    }

    /// The installed faults, in the order they are tried.
    public func faultList() -> [FaultInfo] {
        faults.map(\.info)
    }

    /// Removes one fault; `false` when there is none with that id.
    @discardableResult
    public func removeFault(id: String) -> Bool {
        let before = faults.count
        faults.removeAll { $0.info.id == id }
        return faults.count != before
    }

    /// Removes every fault.
    public func removeAllFaults() {
        faults.removeAll()
    }

    /// The first installed fault that matches and hits, drawing from each matching fault's generator.
    func decideFault(method: String, path: String) -> FaultDecision {
        for index in faults.indices where faults[index].info.spec.matches(method: method, path: path) {
            let decision = faults[index].decide()
            if decision != .none { return decision }
        }
        return .none
    }
}
