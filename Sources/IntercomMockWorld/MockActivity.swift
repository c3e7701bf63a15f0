import Foundation
import RelinkCore

/// The installed faults as they are saved: each with its generator's state and how often it hit,
/// so that a fault added by one command goes on drawing the same sequence in the next.
public struct FaultBook: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var info: FaultInfo
        /// The state of the fault's SplitMix64 generator after its last draw.
        public var generatorState: UInt64

        enum CodingKeys: String, CodingKey {
            case info = "fault"
            case generatorState = "generator_state"
        }

        public init(info: FaultInfo, generatorState: UInt64) {
            self.info = info
            self.generatorState = generatorState
        }
    }

    /// In the order they are tried.
    public var faults: [Entry]
    /// The number in the next fault's id (`f3`): ids are never reused until a reset.
    public var nextNumber: Int

    enum CodingKeys: String, CodingKey {
        case faults
        case nextNumber = "next_number"
    }

    public init(faults: [Entry] = [], nextNumber: Int = 1) {
        self.faults = faults
        self.nextNumber = nextNumber
    }
}

/// One line of the mock's request journal as it is kept: an entry, or a mark that tells every
/// process reading the journal to forget what came before it.
public enum JournalLine: Equatable, Sendable {
    case entry(JournalEntry)
    case mark(JournalMark)
}

public enum JournalMark: String, Codable, Equatable, Sendable {
    /// `mock reset`: the journal and the rate-limit counts start again.
    case reset
    /// New rate limits: the counts start again, the journal goes on.
    case rateLimitsChanged = "rate_limits_changed"
}

/// What other processes sharing the store changed since this one last looked.
public struct MockActivityChanges: Sendable {
    /// The saved faults, when they changed (or on the first look); `nil` when unchanged.
    public var faults: FaultBook?
    /// Journal lines other processes appended, oldest first. When `startOver` is set (the first
    /// look, or after missing more than one journal segment): the recent lines instead, back to
    /// the last mark or to `since`, to count from afresh.
    public var lines: [JournalLine]
    public var startOver: Bool
    /// Whether the saved world may differ from the one this process holds.
    public var worldChanged: Bool

    public init(
        faults: FaultBook? = nil, lines: [JournalLine] = [], startOver: Bool = false, worldChanged: Bool = false
    ) {
        self.faults = faults
        self.lines = lines
        self.startOver = startOver
        self.worldChanged = worldChanged
    }
}

/// What one decision wrote.
public struct MockActivityWrites: Sendable {
    /// The faults to save; `nil` when they did not change.
    public var faults: FaultBook?
    public var lines: [JournalLine]
    /// The world file this decision saved (``WorldPersistence/updateWorldStamped(_:)``): the world
    /// the mock holds is that file, so the next look need not read it back.
    public var worldSaved: WorldFileStamp?

    public init(faults: FaultBook? = nil, lines: [JournalLine] = [], worldSaved: WorldFileStamp? = nil) {
        self.faults = faults
        self.lines = lines
        self.worldSaved = worldSaved
    }

    public var isEmpty: Bool { faults == nil && lines.isEmpty }
}

/// Where the mock keeps what changes with every request: faults (with their generator state and
/// hit counts), the request journal, and through the journal the rate-limit counts.
///
/// One instance is one process's view: it remembers how far it has read, so each call hands over
/// only what others did since. Every call runs under one lock shared by every process (and every
/// instance) on the same store, so decisions are serialised across them all: a fault's draws, its
/// `times` budget and the rate limits hold for the store, not per process.
public protocol MockActivityPersistence: AnyObject, Sendable {
    /// Runs `decide` under the shared lock with what changed since this instance's last call, and
    /// saves what it returns before the lock is released. `since` bounds the first call's look
    /// back into the journal. Throws when a saved file is damaged (it is never overwritten) or
    /// cannot be written; `decide` runs only when everything could be read.
    func exclusively<T>(
        lookingBackTo since: Date, _ decide: (MockActivityChanges) throws -> (T, MockActivityWrites)
    ) throws -> T

    /// The last `limit` journal entries since the last reset, oldest first (every kept one when `nil`).
    func journalEntries(limit: Int?) throws -> [JournalEntry]

    /// The mock saved the world outside any decision: the world it holds is the file `stamp` names.
    func noteWorldSaved(_ stamp: WorldFileStamp)
}

extension MockActivityPersistence {
    public func noteWorldSaved(_ stamp: WorldFileStamp) {}
}

/// The activity of a mock without a store: kept in this process only, the journal as a ring of
/// the most recent entries so a long benchmark cannot grow it without bound.
public final class InMemoryMockActivity: MockActivityPersistence, @unchecked Sendable {
    // Guarded by `lock`; the mock calls from one actor, but nothing here relies on that.
    private let lock = NSLock()
    private var faults = FaultBook()
    private var ring: [JournalEntry] = []
    private var start = 0
    let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = max(capacity, 1)
    }

    public func exclusively<T>(
        lookingBackTo since: Date, _ decide: (MockActivityChanges) throws -> (T, MockActivityWrites)
    ) throws -> T {
        try lock.withLock {
            // Nobody else writes here: there is never anything new to hand over.
            let (result, writes) = try decide(MockActivityChanges())
            if let saved = writes.faults { faults = saved }
            for line in writes.lines {
                switch line {
                case .entry(let entry): append(entry)
                case .mark(.reset): ring.removeAll(); start = 0
                case .mark(.rateLimitsChanged): break
                }
            }
            return result
        }
    }

    public func journalEntries(limit: Int?) throws -> [JournalEntry] {
        lock.withLock {
            let ordered = Array(ring[start...] + ring[..<start])
            guard let limit, limit < ordered.count else { return ordered }
            return Array(ordered.suffix(max(limit, 0)))
        }
    }

    private func append(_ entry: JournalEntry) {
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[start] = entry
            start = (start + 1) % capacity
        }
    }
}
