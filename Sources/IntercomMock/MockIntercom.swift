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

    /// Where faults and the journal are kept: the store's files, shared with every process on the
    /// store, or this process's memory.
    let activity: any MockActivityPersistence
    var faultBook = FaultBook()
    /// Set when a decision moved a fault's generator or count, so the book is saved with it.
    var faultsChanged = false
    /// Journal lines decided in the current activity call, written when it ends.
    var pendingLines: [JournalLine] = []
    /// Inside an activity call (its lock held): a world saved now is reported with its writes.
    private var deciding = false
    /// The world file saved in the current activity call, if one was.
    private var worldSavedInDecision: WorldFileStamp?
    /// The next journal entry's number: one past the last this process saw from any process.
    var nextSequence = 1
    /// Counted from this process's decisions and every other process's journal lines.
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
        self.init(world: world, persistence: nil, activity: InMemoryMockActivity(), now: now, logger: logger)
    }

    /// `persistence` must hold `world` already: every change applies to what it holds.
    private init(
        world: MockWorld, persistence: (any WorldPersistence)?, activity: any MockActivityPersistence,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.world = world
        self.initialWorld = world
        self.persistence = persistence
        self.activity = activity
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
        // The activity first: it notes the world's file as it is, so the first request reloads
        // the world only if another process changed it after this load.
        let activity = try persistence.makeActivity()
        let world: MockWorld
        if let saved = try persistence.loadWorld() {
            world = saved
        } else {
            world = fallback
            try persistence.replaceWorld(with: world)
        }
        return MockIntercom(
            world: world, persistence: persistence, activity: activity, now: now, logger: logger)
    }

    /// Runs `body` after taking in what other processes on the store changed (the world, faults,
    /// journal lines and so rate-limit counts), and saves the faults and journal lines it changed
    /// before any other process decides anything. Throws what `body` throws (nothing is saved
    /// then) or a persistence error.
    func withActivity<T>(_ body: () throws -> T) throws -> T {
        let windowSeconds = world.rateLimit.windowSeconds
        let since = Date(
            timeIntervalSince1970: TimeInterval(
                RateLimitCounters.windowStart(at: unixSeconds(), windowSeconds: windowSeconds)))
        return try activity.exclusively(lookingBackTo: since) { changes in
            try absorb(changes)
            faultsChanged = false
            pendingLines = []
            deciding = true
            worldSavedInDecision = nil
            defer {
                pendingLines = []
                deciding = false
            }
            let result = try body()
            return (
                result,
                MockActivityWrites(
                    faults: faultsChanged ? faultBook : nil, lines: pendingLines, worldSaved: worldSavedInDecision)
            )
        }
    }

    private func absorb(_ changes: MockActivityChanges) throws {
        if changes.worldChanged, let persistence, let saved = try persistence.loadWorld() {
            if saved.rateLimit != world.rateLimit { rateCounters.removeAll() }
            world = saved
            meBodies.removeAll()
        }
        if let faults = changes.faults { faultBook = faults }
        if changes.startOver { rateCounters.removeAll() }
        for line in changes.lines {
            switch line {
            case .entry(let entry):
                nextSequence = max(nextSequence, entry.sequence &+ 1)
                if let counted = entry.countedAs {
                    rateCounters.record(
                        clientID: counted.clientID, workspaceID: counted.workspaceID,
                        at: Self.unixSeconds(entry.time), windowSeconds: world.rateLimit.windowSeconds)
                }
            case .mark:
                rateCounters.removeAll()
            }
        }
    }

    /// Journals one entry, numbered after every entry any process journaled before it.
    func journal(_ make: (Int) -> JournalEntry) {
        pendingLines.append(.entry(make(nextSequence)))
        nextSequence &+= 1
    }

    func unixSeconds() -> Int { Self.unixSeconds(now()) }

    static func unixSeconds(_ date: Date) -> Int {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return seconds.isFinite && abs(seconds) < 1e15 ? Int(seconds) : 0
    }

    /// Applies `change` to the world and only then makes it current, so a failed save leaves the
    /// world as it was. With a persistence, the change applies to the world as last saved by any
    /// process sharing it, so no process saves a stale copy over another's change.
    func commit<T>(_ change: (inout MockWorld) throws -> T) throws -> T {
        let result: T
        if let persistence {
            let saved: WorldFileStamp?
            (world, result, saved) = try persistence.updateWorldStamped(change)
            // The world held is the file just saved: the activity need not have it read back.
            if let saved {
                if deciding { worldSavedInDecision = saved } else { activity.noteWorldSaved(saved) }
            }
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
    /// was at start) and clears faults, journal and rate-limit counters, for every process on the store.
    public func reset() throws {
        let baseline = try persistence?.baselineWorld() ?? initialWorld
        try persistence?.replaceWorld(with: baseline)
        world = baseline
        meBodies.removeAll()
        try withActivity {
            faultBook = FaultBook()
            faultsChanged = true
            pendingLines.append(.mark(.reset))
            rateCounters.removeAll()
        }
    }

    /// The most recent journal entries since the last reset, oldest first, from every process on the store.
    public func journalEntries(limit: Int? = nil) throws -> [JournalEntry] {
        try activity.journalEntries(limit: limit)
    }

    /// The world as last saved by any process on the store.
    public func currentWorld() throws -> MockWorld {
        try withActivity { world }
    }

    // MARK: Faults

    /// Installs a fault; throws ``MockError`` when the spec does not fit its kind, or a persistence error.
    @discardableResult
    public func addFault(_ spec: FaultSpec) throws -> FaultInfo {
        try spec.validate()
        return try withActivity {
            faultsChanged = true
            return faultBook.add(spec)
        }
    }

    /// The installed faults, in the order they are tried, with their hit counts from every process.
    public func faultList() throws -> [FaultInfo] {
        try withActivity { faultBook.faults.map(\.info) }
    }

    /// Removes one fault; `false` when there is none with that id.
    @discardableResult
    public func removeFault(id: String) throws -> Bool {
        try withActivity {
            let before = faultBook.faults.count
            faultBook.faults.removeAll { $0.info.id == id }
            faultsChanged = faultBook.faults.count != before
            return faultsChanged
        }
    }

    /// Removes every fault.
    public func removeAllFaults() throws {
        try withActivity {
            faultsChanged = !faultBook.faults.isEmpty
            faultBook.faults.removeAll()
        }
    }

    /// The first installed fault that matches and hits, drawing from each matching fault's generator.
    func decideFault(method: String, path: String) -> FaultDecision {
        guard !faultBook.faults.isEmpty else { return .none }
        let (decision, drew) = faultBook.decide(method: method, path: path)
        faultsChanged = faultsChanged || drew
        return decision
    }
}
