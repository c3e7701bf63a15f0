import Foundation
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkStore
import RelinkTestSupport
import Testing

/// The outbox's promise across processes, against a live mock: relink processes killed with
/// SIGKILL in the middle of a delivery, and processes delivering the same outbox at once, lose no
/// note and post none twice. The mock's conversations are the witness: each item's marker is
/// counted among their note parts.
@Suite("The outbox across processes: kill -9 and concurrent deliveries")
struct OutboxDeliveryProcessTests {
    /// Queues `count` comments on SUP's issues without delivering them: what a broken connection
    /// left behind, with SUP connected again.
    static func queue(_ count: Int, in store: Store) throws -> [String] {
        let issues = [IssueKey(rawValue: "SUP-12")!, IssueKey(rawValue: "SUP-40")!]
        return try store.update { transaction in
            var project = try transaction.project("SUP")!
            var ids: [String] = []
            for index in 0..<count {
                let event = JiraEvent.commented(issues[index % 2], text: "note \(index) · ünïcødé")
                let decision = project.settings.decide(event, conversations: project.conversations(of: event.issue))
                ids += project.enqueue(decision, for: event, workspaceID: "acme4sup", at: Date()).map(\.id)
            }
            transaction.put(project)
            return ids
        }
    }

    /// How many note parts carry each marker, over the mock's world.
    static func markerCounts(_ world: MockWorld, ids: [String]) -> [String: Int] {
        let bodies = world.conversations.flatMap(\.parts).filter { $0.partType == "note" }.compactMap(\.body)
        return Dictionary(
            uniqueKeysWithValues: ids.map { id in (id, bodies.filter { $0.contains("[relink \(id)]") }.count) })
    }

    /// `relink outbox deliver SUP` on the mock's store, its standard output and error in one pipe.
    final class Delivery: @unchecked Sendable {
        // @unchecked: after `init` starts the process, only `finish` (on one queue) touches it.
        let process = Process()
        let pipe = Pipe()

        init(_ mock: LiveMock) throws {
            process.executableURL = try builtExecutable("relink")
            process.arguments = [
                "--store", mock.directory.path, "--endpoint", mock.server.baseURL, "-c", "outbox deliver SUP",
            ]
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
        }

        /// Everything it printed, once it has ended, waited for off the cooperative pool (the mock
        /// it talks to needs those threads).
        func finish() async -> String {
            let text = String(decoding: await pipe.readToEnd(), as: UTF8.self)
            await process.waitForExit()
            return text
        }

        func kill() async {
            Foundation.kill(process.processIdentifier, SIGKILL)
            _ = await finish()
        }
    }

    static func deliver(_ mock: LiveMock) throws -> Delivery { try Delivery(mock) }

    @Test("relink killed with SIGKILL at random points of a delivery loses no note and posts none twice")
    func killedDeliveriesPostEachNoteOnce() async throws {
        try await withLiveMock { mock in
            let ids = try Self.queue(12, in: mock.store)
            // Slow posts, so that kills land before, during and after them (and between a post and
            // its record, when the mock takes a post whose client is gone).
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/*", method: "POST", kind: .latency, latencyMinMs: 5, latencyMaxMs: 60))
            var generator = SystemRandomNumberGenerator()
            var rounds = 0
            while rounds < 30, !(try Store(directory: mock.directory).project("SUP")?.outbox.isEmpty ?? true) {
                let child = try Self.deliver(mock)
                // The crash point, drawn at random: not a wait for anything to happen.
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...400, using: &generator)))
                await child.kill()
                rounds += 1
            }
            // Whatever the kills left: a delivery to the end (a second one if Intercom, slowed by
            // the load of this machine, had a transient failure).
            var output = ""
            for _ in 0..<3 where !(try Store(directory: mock.directory).project("SUP")?.outbox.isEmpty ?? true) {
                output += try await Self.deliver(mock).finish()
            }
            let store = try Store(directory: mock.directory)
            #expect(
                try store.project("SUP")?.outbox.isEmpty == true,
                "after \(rounds) killed deliveries: \(output)")
            let counts = Self.markerCounts(await mock.intercom.world, ids: ids)
            #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts.filter { $0.value != 1 })")
            // In order: on each conversation the markers appear as they were queued.
            for conversation in await mock.intercom.world.conversations where conversation.workspaceID == "acme4sup" {
                let order = conversation.parts.compactMap { part in
                    ids.firstIndex { part.body?.contains("[relink \($0)]") == true }
                }
                #expect(order == order.sorted(), "conversation \(conversation.id): \(order)")
            }
        }
    }

    @Test("Three relink processes delivering the same outbox at once post each note once")
    func concurrentDeliveriesPostEachNoteOnce() async throws {
        try await withLiveMock { mock in
            let ids = try Self.queue(9, in: mock.store)
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/*", method: "POST", kind: .latency, latencyMinMs: 5, latencyMaxMs: 30))
            let children = try (0..<3).map { _ in try Self.deliver(mock) }
            var output: [String] = []
            for child in children { output.append(await child.finish()) }
            // None posted twice, whatever each process met.
            #expect(Self.markerCounts(await mock.intercom.world, ids: ids).values.allSatisfy { $0 <= 1 }, "\(output)")
            // A transient failure under load leaves items held (exit 1): one more delivery ends them.
            if children.contains(where: { $0.process.terminationStatus != 0 }) {
                output.append(await try Self.deliver(mock).finish())
            }
            #expect(try Store(directory: mock.directory).project("SUP")?.outbox.isEmpty == true, "\(output)")
            let counts = Self.markerCounts(await mock.intercom.world, ids: ids)
            #expect(counts.count == ids.count && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
        }
    }

    @Test(
        "500, 503, 429 and a dropped connection on the live mock during delivery lose nothing",
        arguments: ["500", "503", "429", "drop"])
    func faultsDuringDeliveryLoseNothing(_ fault: String) async throws {
        try await withLiveMock { mock in
            let ids = try Self.queue(4, in: mock.store)
            let spec: FaultSpec =
                switch fault {
                case "429": FaultSpec(path: "/conversations/*", method: "POST", kind: .rateLimit, times: 1)
                case "drop": FaultSpec(path: "/conversations/*", method: "POST", kind: .drop, times: 1)
                default:
                    FaultSpec(path: "/conversations/*", method: "POST", kind: .status, status: Int(fault)!, times: 1)
                }
            _ = try await mock.control.addFault(spec)
            let first = try await mock.service.outbox.deliver("SUP", actor: "test")
            #expect(first.held.count == ids.count && first.stopped != nil, "\(fault): \(first.stopped ?? "-")")
            #expect(try mock.store.connection(for: "SUP").state.name == .connected)
            let second = try await mock.service.outbox.deliver("SUP", actor: "test")
            #expect(second.delivered.count == ids.count && second.held.isEmpty, "\(second.stopped ?? "-")")
            let counts = Self.markerCounts(await mock.intercom.world, ids: ids)
            #expect(counts.values.allSatisfy { $0 == 1 }, "\(fault): \(counts)")
        }
    }

    @Test("A post that times out but lands is found on the next delivery, not posted again")
    func timeoutThatLandsIsNotRepeated() async throws {
        // The client gives up after 1 s; the mock takes the post after 2.5 s. Both are far from
        // each other, so that a loaded machine does not blur which happened.
        try await withLiveMock(requestTimeout: .seconds(1)) { mock in
            let ids = try Self.queue(1, in: mock.store)
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/*", method: "POST", kind: .latency, latencyMs: 2500, times: 1))
            let first = try await mock.service.outbox.deliver("SUP", actor: "test")
            #expect(first.delivered.isEmpty && first.held.count == 2)
            // The mock takes the post once its latency is over, whoever waits for the answer.
            var waited = 0
            while Self.markerCounts(await mock.intercom.world, ids: ids)[ids[0]] == 0, waited < 400 {
                try await Task.sleep(for: .milliseconds(20))  // bounded: the mock's latency, not a race
                waited += 1
            }
            var delivered: [(item: OutboxItem, foundPosted: Bool)] = []
            for _ in 0..<3 where !((try mock.store.project("SUP"))?.outbox.isEmpty ?? true) {
                delivered += try await mock.service.outbox.deliver("SUP", actor: "test").delivered
            }
            #expect(delivered.first { $0.item.id == ids[0] }?.foundPosted == true)
            #expect(Self.markerCounts(await mock.intercom.world, ids: ids).values.allSatisfy { $0 == 1 })
        }
    }
}
