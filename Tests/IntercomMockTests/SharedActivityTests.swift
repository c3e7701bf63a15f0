import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkStore
import RelinkTestSupport
import Synchronization
import Testing

@testable import IntercomMock
@testable import RelinkStore

/// Two mocks over one store, each with its own `Store` (as two relink processes have): faults,
/// journal, rate-limit counts and the world are the store's, not either mock's.
@Suite("Mock activity shared through the store")
struct SharedActivityTests {
    /// The fixture's mock over a fresh store, and a second mock over the same directory.
    struct Pair {
        let temporary: TemporaryDirectory
        let fixture: Fixture
        let other: MockIntercom

        init(configure: (inout MockWorld) -> Void = { _ in }) throws {
            temporary = try TemporaryDirectory()
            fixture = try Fixture(persistence: try Store(directory: temporary.url), configure: configure)
            other = try Pair.mock(over: temporary.url, clock: fixture.clock)
        }

        static func mock(over directory: URL, clock: TestClock) throws -> MockIntercom {
            try MockIntercom.load(from: try Store(directory: directory), now: { clock.now }, logger: Fixture.logger)
        }

        /// `body` with a client of each mock.
        func withClients<T: Sendable>(
            _ body: @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> T
        ) async throws -> T {
            let second = MockServer.buildApplication(intercom: other, logger: Fixture.logger)
            return try await fixture.withClient { first in
                try await second.test(.router) { second in try await body(first, second) }
            }
        }
    }

    @Test("a fault added through one mock hits the other's requests, and its budget is the store's")
    func faultsAreShared() async throws {
        let pair = try Pair()
        let token = pair.fixture.botToken
        try await pair.fixture.intercom.addFault(FaultSpec(path: "/me", kind: .status, status: 503, times: 3))
        let statuses = try await pair.withClients { first, second in
            var statuses: [UInt] = []
            for index in 0..<6 {
                let client = index.isMultiple(of: 2) ? second : first
                statuses.append(UInt(try await client.get("/me", token: token).status.code))
            }
            return statuses
        }
        #expect(statuses == [503, 503, 503, 200, 200, 200])
        #expect(try await pair.other.faultList().map(\.triggered) == [3])
        #expect(try await pair.fixture.intercom.faultList().map(\.triggered) == [3])
        // Removed by one, gone for both; ids go on where they were.
        #expect(try await pair.other.removeFault(id: "f1"))
        #expect(try await pair.fixture.intercom.faultList().isEmpty)
        #expect(try await pair.fixture.intercom.addFault(FaultSpec(path: "*", kind: .drop)).id == "f2")
    }

    @Test("the largest seed and generator state survive the file: another mock lists and draws the same")
    func extremeSeedsSurviveTheFile() async throws {
        let pair = try Pair()
        let spec = FaultSpec(path: "/me", kind: .status, status: 500, probability: 0.5, seed: .max, times: .max)
        try await pair.fixture.intercom.addFault(spec)
        let listed = try await pair.other.faultList()
        #expect(listed.map(\.spec.seed) == [.max] && listed.map(\.spec.times) == [.max])
        // The generator's state passes UInt64's half on the first draw: it must read back whole.
        try await pair.withClients { first, second in
            for client in [first, second, first, second] { _ = try await client.get("/me", token: pair.fixture.botToken) }
        }
        let book = try JSONDecoder().decode(
            FaultBook.self, from: Data(contentsOf: pair.temporary.url.appendingPathComponent("mock-faults.json")))
        var expected = SplitMix64(seed: .max)
        for _ in 0..<4 { _ = expected.nextUnitInterval() }
        #expect(book.faults.first?.generatorState == expected.state)
    }

    @Test("a seeded fault draws the same sequence whichever mock serves each request")
    func seededSequenceAcrossMocks() async throws {
        let spec = FaultSpec(path: "/me", kind: .status, status: 500, probability: 0.5, seed: 42)
        let single = try Fixture()
        try await single.intercom.addFault(spec)
        let alone = try await single.withClient { client in
            var statuses: [UInt] = []
            for _ in 0..<24 { statuses.append(UInt(try await client.get("/me", token: single.botToken).status.code)) }
            return statuses
        }
        let pair = try Pair()
        try await pair.other.addFault(spec)
        let token = pair.fixture.botToken
        let shared = try await pair.withClients { first, second in
            var statuses: [UInt] = []
            for index in 0..<24 {
                let client = index % 3 == 0 ? second : first
                statuses.append(UInt(try await client.get("/me", token: token).status.code))
            }
            return statuses
        }
        #expect(shared == alone)
        #expect(Set(alone) == [200, 500], "a probability of one half hits some and spares some")
    }

    @Test("each mock's journal holds both mocks' requests, numbered in the order decided")
    func journalIsShared() async throws {
        let pair = try Pair()
        let token = pair.fixture.bobToken
        try await pair.withClients { first, second in
            _ = try await first.get("/me", token: token)
            _ = try await second.get("/admins", token: token)
            _ = try await first.get("/me", token: token)
        }
        for mock in [pair.fixture.intercom, pair.other] {
            let entries = try await mock.journalEntries()
            #expect(entries.map(\.path) == ["/me", "/admins", "/me"])
            #expect(entries.map(\.sequence) == [1, 2, 3])
            #expect(entries.first?.countedAs == .init(clientID: Fake.clientID, workspaceID: "acme"))
        }
        #expect(try await pair.other.journalEntries(limit: 1).map(\.sequence) == [3])
        // A third mock, started later (the next `relink -c`), reads the same journal and numbers on.
        let later = try Pair.mock(over: pair.temporary.url, clock: pair.fixture.clock)
        try await MockServer.buildApplication(intercom: later, logger: Fixture.logger).test(.router) { client in
            _ = try await client.get("/me", token: token)
        }
        #expect(try await pair.fixture.intercom.journalEntries().map(\.sequence) == [1, 2, 3, 4])
    }

    @Test("mock reset through one clears faults, journal and counts for the other")
    func resetIsShared() async throws {
        let pair = try Pair { $0.rateLimit = .init(appLimitPerMinute: 12, windowSeconds: 10) }  // 2 a window
        let token = pair.fixture.bobToken
        try await pair.fixture.intercom.addFault(FaultSpec(path: "/admins", kind: .status, status: 500))
        try await pair.withClients { first, second in
            #expect(try await first.get("/me", token: token).status == .ok)
            #expect(try await first.get("/me", token: token).status == .ok)
            #expect(try await second.get("/me", token: token).status == .tooManyRequests)
            try await pair.fixture.intercom.reset()
            #expect(try await second.get("/me", token: token).status == .ok, "the counts start again")
            #expect(try await second.get("/admins", token: token).status == .ok, "the fault is gone")
        }
        #expect(try await pair.other.journalEntries().map(\.path) == ["/me", "/admins"])
        #expect(try await pair.other.faultList().isEmpty)
    }

    @Test("rate-limit counts are the store's: requests through either mock count on the same window")
    func rateCountsAreShared() async throws {
        let pair = try Pair { $0.rateLimit = .init(appLimitPerMinute: 24, windowSeconds: 10) }  // 4 a window
        let token = pair.fixture.aliceToken
        let clock = pair.fixture.clock
        try await pair.withClients { first, second in
            for client in [first, second, first, second] {
                #expect(try await client.get("/me", token: token).status == .ok)
            }
            let refused = try await first.get("/me", token: token)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.init("X-RateLimit-Remaining")!] == "0")
            #expect(try await second.get("/me", token: token).status == .tooManyRequests)
            clock.advance(by: 10)
            #expect(try await second.get("/me", token: token).status == .ok, "a new window")
        }
        // A mock started now counts what the others did in this window.
        let later = try Pair.mock(over: pair.temporary.url, clock: clock)
        let counts = try await later.rateLimitCounters()
        #expect(counts.workspaces["acme"]?.count == 1)
        // New limits through one start the counts afresh in the other.
        try await pair.withClients { first, second in
            for _ in 0..<3 { _ = try await first.get("/me", token: token) }
            #expect(try await second.get("/me", token: token).status == .tooManyRequests)
            _ = try await pair.fixture.intercom.setRateLimit(.init(appLimitPerMinute: 24))
            #expect(try await second.get("/me", token: token).status == .ok)
        }
    }

    @Test("a world another process saved is what a running mock answers from")
    func worldChangesReachARunningMock() async throws {
        let pair = try Pair()
        let token = pair.fixture.bobToken
        try await pair.withClients { first, _ in
            #expect(try await first.get("/me", token: token).status == .ok)
            // As `relink -c "break SUP password-changed"` in another terminal would.
            try await pair.other.changePassword(teammateEmail: "bob@acme.test")
            #expect(try await first.get("/me", token: token).status == .unauthorized)
            let world = try await first.get("/__mock/world")
            #expect(world.text.contains("password_changed") || world.text.contains("password-changed"), "\(world.text)")
        }
    }

    @Test("the journal moves to a new segment when full, and a mock following it loses no line or count")
    func segments() async throws {
        let temporary = try TemporaryDirectory()
        let small = SmallSegments(store: try Store(directory: temporary.url))
        let fixture = try Fixture(persistence: small) {
            $0.rateLimit = .init(appLimitPerMinute: 240, windowSeconds: 10)  // 40 a window
        }
        let other = try MockIntercom.load(
            from: SmallSegments(store: try Store(directory: temporary.url)), now: { fixture.clock.now },
            logger: Fixture.logger)
        let second = MockServer.buildApplication(intercom: other, logger: Fixture.logger)
        let token = fixture.bobToken
        try await fixture.withClient { first in
            try await second.test(.router) { second in
                #expect(try await second.get("/me", token: token).status == .ok)
                // One segment (about 15 lines) passes while `other` does nothing.
                for _ in 0..<20 { _ = try await first.get("/me", token: token) }
                let answers = try await (0..<22).asyncMap { _ in try await second.get("/me", token: token).status }
                #expect(answers.prefix(19).allSatisfy { $0 == .ok }, "\(answers)")
                #expect(answers.suffix(3).allSatisfy { $0 == .tooManyRequests }, "\(answers)")
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: temporary.url.path)
        #expect(names.contains("mock-journal.1.jsonl"))
        let kept = try await other.journalEntries()
        #expect(kept.last?.sequence == 43)
        #expect(kept.map(\.sequence) == Array(kept.first!.sequence...43), "newest entries, none missing")
    }

    @Test("a damaged mock-faults.json is refused with its path, never overwritten; a torn journal line is skipped")
    func damage() async throws {
        let pair = try Pair()
        let token = pair.fixture.bobToken
        try await pair.withClients { first, _ in _ = try await first.get("/me", token: token) }
        let faults = pair.temporary.url.appendingPathComponent("mock-faults.json")
        let damage = Data(#"{"faults": [ {"fault": 3"#.utf8)
        try damage.write(to: faults)
        await #expect(throws: StoreError.self) { try await pair.other.addFault(FaultSpec(path: "*", kind: .drop)) }
        let answer = try await pair.withClients { _, second in try await second.get("/me", token: token) }
        #expect(answer.status == .internalServerError)
        let list = try await pair.withClients { first, _ in try await first.get("/__mock/faults") }
        #expect(list.status == .internalServerError && list.text.contains(faults.path), "\(list.text)")
        #expect(try Data(contentsOf: faults) == damage)

        try FileManager.default.removeItem(at: faults)
        let journal = pair.temporary.url.appendingPathComponent("mock-journal.jsonl")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"sequence":99,"time":"20"#.utf8))  // a crash mid-line
        try handle.close()
        try await pair.withClients { first, second async throws in
            #expect(try await first.get("/me", token: token).status == .ok)
            #expect(try await second.get("/me", token: token).status == .ok)
        }
        let entries = try await pair.other.journalEntries()
        #expect(entries.map(\.sequence) == [1, 2, 3], "the torn line is skipped and numbering goes on")
    }
}

/// The store's persistence with journal segments of 4 KiB, so a test fills several.
final class SmallSegments: WorldPersistence {
    let store: Store
    init(store: Store) { self.store = store }
    func loadWorld() throws -> MockWorld? { try store.loadWorld() }
    func updateWorld<T>(_ change: (inout MockWorld) throws -> T) throws -> (world: MockWorld, result: T) {
        try store.updateWorld(change)
    }
    func replaceWorld(with world: MockWorld) throws { try store.replaceWorld(with: world) }
    func makeActivity() throws -> any MockActivityPersistence {
        MockActivityFiles(directory: store.directory, segmentLimit: 4096)
    }
}

extension Range where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for index in self { results.append(try await transform(index)) }
        return results
    }
}

/// A mock reads the world back only when another process saved it: after its own save, the world
/// it holds is the saved one.
@Suite("The mock's own world saves")
struct OwnWorldSaveTests {
    /// The store, counting how often the mock reads the world from it.
    final class CountingStore: WorldPersistence {
        let store: Store
        private let loads = Mutex(0)

        init(_ store: Store) { self.store = store }

        var worldLoads: Int { loads.withLock { $0 } }

        func loadWorld() throws -> MockWorld? {
            loads.withLock { $0 += 1 }
            return try store.loadWorld()
        }
        func updateWorld<T>(_ change: (inout MockWorld) throws -> T) throws -> (world: MockWorld, result: T) {
            try store.updateWorld(change)
        }
        func updateWorldStamped<T>(_ change: (inout MockWorld) throws -> T) throws -> (
            world: MockWorld, result: T, saved: WorldFileStamp?
        ) {
            try store.updateWorldStamped(change)
        }
        func replaceWorld(with world: MockWorld) throws { try store.replaceWorld(with: world) }
        func makeActivity() throws -> any MockActivityPersistence { try store.makeActivity() }
    }

    @Test("its own saves, inside a request or not, are not read back; another process's are")
    func ownSavesAreNotReadBack() async throws {
        let temporary = try TemporaryDirectory()
        let counting = CountingStore(try Store(directory: temporary.url))
        let fixture = try Fixture(persistence: counting)
        try await fixture.withClient { client in
            // The fixture's world was saved after the mock's activity looked: read once, as news.
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
            let loadsAtStart = counting.worldLoads
            // Saved inside a request's decision: a note on the conversation.
            let reply = #"{"message_type":"note","type":"admin","admin_id":"1001","body":"ünïcødé"}"#
            #expect(try await client.post("/conversations/c1/reply", token: fixture.botToken, json: reply).status == .ok)
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
            // Saved outside one: a cause through the control side.
            _ = try await fixture.intercom.revokeToken(fixture.aliceToken)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .unauthorized)
            #expect(counting.worldLoads == loadsAtStart, "the mock read back its own saves")

            // Another process saves: the next request reads it, and answers from it.
            _ = try await SharedActivityTests.Pair.mock(over: temporary.url, clock: fixture.clock)
                .revokeToken(fixture.bobToken)
            #expect(try await client.get("/me", token: fixture.bobToken).status == .unauthorized)
            #expect(counting.worldLoads == loadsAtStart + 1)
            #expect(try await client.get("/me", token: fixture.botToken).status == .ok)
            #expect(counting.worldLoads == loadsAtStart + 1)
        }
    }
}
