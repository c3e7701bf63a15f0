import Foundation
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import RelinkCommands
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport
import SupportBundles
import Testing

@testable import RelinkCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Failing I/O tested as SQLite tests it (issue 28): every command that writes runs with its Nth
/// file call failing, for N = 1, 2, … until a run goes by without the fault being reached, and
/// after each failure the store must open, verify clean, hold exactly the state before or after
/// the command, keep every secret in its 0600 files and have no leftover of the attempt. Then
/// each runs with every call interrupted once (`EINTR`) and every write cut short, which must
/// change nothing but the count of system calls.
///
/// Commands run in-process through `CommandExecutor` on an in-memory Intercom: the store's file
/// calls are all there is to fail, and a run costs milliseconds.
@Suite("Failing I/O")
struct FailingIOTests {
    /// A command that writes, on a store prepared for it.
    struct Scenario: Sendable {
        var name: String
        /// The command line; nil when the scenario is the open itself (the migration).
        var line: String?
        var compactionThreshold: Int? = nil
        var prepare: @Sendable (_ store: Store, _ scratch: URL) async throws -> Void = { _, _ in }
    }

    static let clock = Date(timeIntervalSince1970: 1_780_000_000)
    static let typedSecret = "fake-typed-client-secret-for-io-tests"
    /// Far more calls than any command here makes: a loop that never ends is a failure, not a hang.
    static let maximumCalls = 500

    static let scenarios: [Scenario] = [
        Scenario(name: "project add", line: "project add NEW New-project"),
        Scenario(name: "project remove", line: "project remove WEB --force"),
        Scenario(name: "connect", line: "connect OPS --as alice@acme.test"),
        Scenario(name: "reconnect with a token swap", line: "reconnect SUP"),
        Scenario(name: "revoke", line: "revoke BUG"),
        Scenario(
            name: "outbox delivery", line: "outbox deliver SUP",
            prepare: { store, _ in
                // A note held because its conversation could not be found; found again, it is delivered.
                var world = try #require(try store.loadWorld())
                world.conversations.removeAll { $0.id == "1003" }
                let executor = try FailingIOTests.executor(store, intercom: InMemoryIntercom(world: world))
                _ = try? await executor.execute(try #require(try CommandParser.parse("comment SUP-40 held-note")))
                #expect(try store.project("SUP")?.outbox.count == 1, "the note is held")
            }),
        Scenario(
            name: "import", line: nil,
            prepare: { store, scratch in
                _ = try SupportBundle.export(store, to: scratch.appendingPathComponent("bundle"))
                try store.update { $0.put(Project(key: "XTRA", name: "Made after the export", jiraSite: DemoFixture.site)) }
            }),
        Scenario(
            name: "compaction (project add)", line: "project add CMP Compacted", compactionThreshold: 1,
            prepare: { store, _ in try growJournals(store) }),
        Scenario(
            name: "compaction (reconnect)", line: "reconnect BUG", compactionThreshold: 1,
            prepare: { store, _ in try growJournals(store) }),
        Scenario(name: "migration of an older store", line: nil),
        // Not a change of the store, but its bundle's files go through the same seam.
        Scenario(name: "export", line: "export {scratch}/bundle"),
        Scenario(name: "config set", line: "config set region eu"),
        Scenario(name: "config set client-secret", line: "config set client-secret"),
    ]

    /// Journals past a quarter of their snapshots, so that the next commit compacts both.
    static func growJournals(_ store: Store) throws {
        for index in 0..<40 {
            try store.update(deferringCompaction: true) { transaction in
                transaction.put(Project(key: ProjectKey(rawValue: "GROW\(index)")!, name: "grown", jiraSite: DemoFixture.site))
                transaction.rememberMockPassword("fake-password-\(index)", for: "grown\(index)@acme.test")
            }
        }
    }

    /// `body`'s answer for every scenario, by name: all at once in memory, where a file call is
    /// quick; one after another on a disk, where each fsync would hold one of the cooperative
    /// pool's threads for milliseconds while other tests' bounded waits run.
    static func forEachScenario<T: Sendable>(
        _ body: @escaping @Sendable (Scenario) async throws -> T
    ) async throws -> [String: T] {
        let atOnce = TemporaryDirectory.memoryIsAvailable ? scenarios.count : 1
        return try await withThrowingTaskGroup(of: (String, T).self) { group in
            var pending = scenarios[...]
            var answers: [String: T] = [:]
            for scenario in pending.prefix(atOnce) { group.addTask { (scenario.name, try await body(scenario)) } }
            pending = pending.dropFirst(atOnce)
            while let (name, answer) = try await group.next() {
                answers[name] = answer
                if let scenario = pending.popFirst() { group.addTask { (scenario.name, try await body(scenario)) } }
            }
            return answers
        }
    }

    @Test func everyWritingCommandSurvivesTheFailureOfEachOfItsFileCalls() async throws {
        let counts = try await Self.forEachScenario { try await failEachCall(of: $0) }
        let total = counts.values.reduce(0, +)
        let summary = Self.scenarios.map { "\($0.name): \(counts[$0.name] ?? 0)" }
        print("Failing I/O: \(total) failure points covered (\(summary.joined(separator: ", ")))")
        #expect(total > 100)
    }

    @Test func interruptedCallsAndShortWritesAreRetriedNeverReported() async throws {
        let absorbed = try await Self.forEachScenario { scenario in
            let clean = try await run(scenario, faults: nil)
            var absorbed = 0
            for plan in [FileFaults.Plan.interruptEach, .shortWrites] {
                let faults = FileFaults(plan)
                let outcome = try await run(scenario, faults: faults)
                #expect(outcome.failure == nil, "\(scenario.name), \(plan): \(outcome.failure ?? "")")
                #expect(outcome.dump == clean.dump, "\(scenario.name), \(plan): not what a clean run leaves")
                let (interruptions, shortWrites) = faults.absorbed
                absorbed += interruptions + shortWrites
            }
            return absorbed
        }.values.reduce(0, +)
        print("Failing I/O: \(absorbed) interruptions and short writes absorbed")
        #expect(absorbed > 100)
    }

    /// `ulimit -f 0`, then `ulimit -f 8`, across `project add`s (issue 28's finding that held):
    /// the add that would pass the limit fails naming journal.jsonl, exit 1, and the store opens and
    /// verifies with every add before it.
    @Test(arguments: [0, 8 * 1024])
    func aFileSizeLimitStopsProjectAddsNamingTheJournal(limit: Int) async throws {
        let scratch = try TemporaryDirectory.inMemory()
        let directory = scratch.file("store")
        try await Self.preparedStores.store(for: Self.scenarios[0]).copy(to: directory)
        let store = try Store(directory: directory)
        let executor = try Self.executor(store, intercom: InMemoryIntercom(world: try #require(try store.loadWorld())))
        let faults = FileFaults(.fileSizeLimit(bytes: limit))
        var added: [ProjectKey] = []
        var failure: (status: Int32, text: String)?
        for index in 0..<400 {
            let command = try #require(try CommandParser.parse("project add LIM\(index) Limited"))
            do {
                _ = try await FileSystemCalls.$faults.withValue(faults) { try await executor.execute(command) }
                added.append(try #require(ProjectKey(rawValue: "LIM\(index)")))
            } catch {
                let status: Int32 = error is UsageError ? 2 : 1
                failure = (status, TextPresenter(style: .plain).failure(error, exitCode: status, redacting: []).text)
                break
            }
        }
        let (status, message) = try #require(failure, "400 project adds fit under a limit of \(limit) bytes")
        #expect(status == 1)
        #expect(message.contains("journal.jsonl") && message.contains(String(cString: strerror(EFBIG))), "\(message)")
        #expect(limit > 0 || added.isEmpty)
        let reopened = try Store(directory: directory)
        #expect(try reopened.verifyIncludingMock().findings.isEmpty)
        #expect(reopened.projectKeys.filter { $0.rawValue.hasPrefix("LIM") } == added.sorted())
    }

    /// A token no connection names (what a failed write between a commit's appends leaves) is
    /// reported by verify until the next compaction, which drops it (issue 28).
    @Test func tokensNothingRefersToAreDroppedByTheNextCompaction() async throws {
        let scratch = try TemporaryDirectory.inMemory()
        let directory = scratch.file("store")
        try await Self.preparedStores.store(for: Self.scenarios[0]).copy(to: directory)
        let store = try Store(directory: directory, options: .init(compactionThreshold: 1))
        let unused = "fake-token-nothing-refers-to"
        try store.update(deferringCompaction: true) { $0.storeToken(unused, id: "tok-unused") }
        let before = try store.verifyIncludingMock()
        #expect(before.unreferencedTokens >= 1 && before.findings.isEmpty)

        // The next commit that folds the secrets journal (grown past a quarter of its snapshot).
        try Self.growJournals(store)
        try store.update { $0.put(Project(key: "LAST", name: "Compacts", jiraSite: DemoFixture.site)) }
        #expect(try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("secrets.jsonl").path)[.size] as? Int == 0)
        let after = try Store(directory: directory).verifyIncludingMock()
        #expect(after.unreferencedTokens == 0)
        #expect(after.findings.isEmpty, "every connection keeps its token")
        #expect(after.tokens == before.tokens - before.unreferencedTokens)
        for name in ["secrets.json", "secrets.jsonl"] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains(unused), "\(name) still holds the dropped token")
        }
    }

    /// A whole-file write whose process died before its rename leaves `.NAME.PID.tmp`: the next
    /// open removes it, and leaves a live process's alone.
    @Test func theNextOpenRemovesTemporariesOfProcessesThatDied() async throws {
        let scratch = try TemporaryDirectory.inMemory()
        let directory = scratch.file("store")
        try await Self.preparedStores.store(for: Self.scenarios[0]).copy(to: directory)
        // A PID above Linux's largest (2^22) belongs to no process.
        let dead = directory.appendingPathComponent(".state.json.2147483646.tmp")
        let live = directory.appendingPathComponent(".settings.json.\(getpid()).tmp")
        try Data("torn".utf8).write(to: dead)
        try Data("being written".utf8).write(to: live)
        _ = try Store(directory: directory)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }

    // MARK: The loop

    /// Runs the scenario failing call 1, 2, … until a run no longer reaches the failing call;
    /// answers how many runs had a call fail.
    private func failEachCall(of scenario: Scenario) async throws -> Int {
        let before = try await run(scenario, faults: nil, execute: false)
        let after = try await run(scenario, faults: nil)
        #expect(after.failure == nil, "\(scenario.name) fails without faults: \(after.failure ?? "")")
        let codes = [EIO, ENOSPC, EFBIG]
        for n in 1...Self.maximumCalls {
            let faults = FileFaults(.fail(call: n, errno: codes[n % codes.count]))
            let outcome = try await run(scenario, faults: faults)
            guard let fired = faults.fired else {
                #expect(outcome.failure == nil)
                return n - 1
            }
            let place = "\(scenario.name), call \(n): \(fired)"
            if let failure = outcome.failure {
                #expect(outcome.status != 0, "\(place)")
                let subject = Self.subject(of: fired.path)
                #expect(failure.contains(subject), "\(place): the message does not name \(subject): \(failure)")
                #expect(failure.contains(String(cString: strerror(fired.errno))), "\(place): \(failure)")
                #expect(!outcome.secrets.contains { failure.contains($0) }, "\(place): the message quotes a secret")
            }
            // A failed call the command could go on without (a cleanup's) leaves the state after it.
            #expect(
                outcome.dump == before.dump || outcome.dump == after.dump,
                "\(place): the store holds neither the state before nor after the command\n\(outcome.dump)")
            #expect(outcome.leftovers.isEmpty, "\(place): left \(outcome.leftovers)")
            #expect(outcome.leakedSecrets.isEmpty, "\(place): a secret in \(outcome.leakedSecrets)")
            #expect(outcome.findings.isEmpty, "\(place): verify finds \(outcome.findings)")
        }
        Issue.record("\(scenario.name) still reaches call \(Self.maximumCalls)")
        return Self.maximumCalls
    }

    /// The store file a failed call concerned, as a person would name it: a temporary's target.
    static func subject(of path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasPrefix(".") { name.removeFirst() }
        if name.hasSuffix(".tmp") {
            name = String(name.dropLast(".tmp".count))
            if let dot = name.lastIndex(of: "."), Int(name[name.index(after: dot)...]) != nil {
                name = String(name[..<dot])
            }
        }
        if name.hasSuffix(".change") { name = String(name.dropLast(".change".count)) }
        // A directory's sync is named by the directory, its last component as well.
        return name
    }

    struct Outcome {
        var status: Int32
        var failure: String?
        var dump: String
        var findings: [String]
        var leftovers: [String]
        var leakedSecrets: [String]
        /// Every secret the store holds after the run, and the one `config set` was given.
        var secrets: [String]
    }

    /// Runs the scenario on a fresh copy of its prepared store (with `faults`), then opens the
    /// store as the next command would and reads what it holds.
    private func run(_ scenario: Scenario, faults: FileFaults?, execute: Bool = true) async throws -> Outcome {
        let scratch = try TemporaryDirectory.inMemory()
        let directory = scratch.file("store")
        let prepared = try await Self.preparedStores.store(for: scenario)
        try prepared.copy(to: directory)
        var status: Int32 = 0
        var failure: String?
        let used = StoreHolder()
        if execute {
            do {
                try await FileSystemCalls.$faults.withValue(faults) {
                    try await Self.execute(
                        scenario, store: directory, bundle: prepared.bundle, scratch: scratch.url, holder: used)
                }
            } catch {
                status = error is UsageError ? 2 : 1
                failure = TextPresenter(style: .plain).failure(error, exitCode: status, redacting: []).text
            }
        }
        if scenario.compactionThreshold != nil, execute, failure == nil, faults == nil {
            for journal in ["journal.jsonl", "secrets.jsonl"] {
                let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(journal).path)[
                    .size] as? Int
                #expect(size == 0, "\(scenario.name): \(journal) was not folded into its snapshot")
            }
        }
        let store = try Store(directory: directory)
        let verification = try store.verifyIncludingMock()
        let dump = try Self.dump(store)
        if let used = used.store {
            // The REPL goes on with the store it has: after its next refresh it must read what an
            // open reads, whatever the failure left in its memory.
            try used.refresh()
            #expect(try Self.dump(used) == dump, "\(scenario.name): the running process reads another state")
        }
        return Outcome(
            status: status, failure: failure, dump: dump,
            findings: verification.findings.map(\.description),
            leftovers: try Self.leftovers(in: directory),
            leakedSecrets: try Self.filesHoldingSecrets(in: directory, secrets: try store.allSecrets + [Self.typedSecret]),
            secrets: (try store.allSecrets + [Self.typedSecret]).filter { !$0.isEmpty })
    }

    final class StoreHolder: @unchecked Sendable {
        // @unchecked: set by the run, read after it, on one task.
        var store: Store?
    }

    private static func execute(
        _ scenario: Scenario, store directory: URL, bundle: URL, scratch: URL, holder: StoreHolder
    ) async throws {
        guard let line = scenario.line else {
            if scenario.name.hasPrefix("migration") {
                _ = try Store(directory: directory)
            } else {
                let store = try Store(directory: directory)
                holder.store = store
                let command = Command.importBundle(path: bundle.path, replace: true)
                _ = try await executor(store, intercom: InMemoryIntercom(world: try #require(try store.loadWorld())))
                    .execute(command)
            }
            return
        }
        let store = try Store(
            directory: directory, options: .init(compactionThreshold: scenario.compactionThreshold))
        holder.store = store
        let intercom = InMemoryIntercom(world: try #require(try store.loadWorld()))
        let command = try #require(
            try CommandParser.parse(line.replacingOccurrences(of: "{scratch}", with: scratch.path)))
        _ = try await executor(store, intercom: intercom).execute(command)
    }

    static func executor(_ store: Store, intercom: InMemoryIntercom) throws -> CommandExecutor {
        let service = ConnectionService(
            store: store, intercom: intercom, worldControl: intercom,
            configuration: ServiceConfiguration(
                retry: RetryPolicy(maxAttempts: 1, sleep: { _ in }), now: { clock }, postSettleTime: .zero,
                sleep: { _ in }))
        return CommandExecutor(
            store: store, services: InProcessServices(service: service), json: false, style: .plain,
            interactive: false, readSecret: { _ in typedSecret })
    }

    // MARK: Prepared stores, made once per scenario

    /// A prepared store, copied for each run, and the bundle an import reads beside it.
    final class Prepared: Sendable {
        let directory: URL
        let bundle: URL
        init(directory: URL, bundle: URL) {
            self.directory = directory
            self.bundle = bundle
        }

        func copy(to destination: URL) throws {
            try FileManager.default.copyItem(at: directory, to: destination)
        }
    }

    /// Each scenario's store is prepared once and kept for the whole test run.
    private static let preparedStores = PreparedStores()

    actor PreparedStores {
        private var made: [String: Prepared] = [:]
        private var directories: [TemporaryDirectory] = []

        func store(for scenario: Scenario) async throws -> Prepared {
            if let prepared = made[scenario.name] { return prepared }
            let temporary = try TemporaryDirectory.inMemory()
            directories.append(temporary)
            let directory = temporary.file("store")
            if scenario.name.hasPrefix("migration") {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(FailingIOTests.schema1Store.utf8).write(to: directory.appendingPathComponent("state.json"))
            } else {
                let store = try Store(directory: directory, options: .init(durable: false))
                try DemoFixture.write(to: store)
                try store.compact()
                try await scenario.prepare(store, temporary.url)
            }
            let prepared = Prepared(directory: directory, bundle: temporary.file("bundle"))
            made[scenario.name] = prepared
            return prepared
        }
    }

    static let schema1Store = """
        {"schemaVersion":1,"projects":[
          {"key":"SUP","name":"Support","site":"acme.atlassian.net",
           "links":[{"issueKey":"SUP-1","conversationIds":["123"]}],
           "connection":{"state":"connected","token":"v1-secret-token-for-io-tests",
             "authorization":{"workspace":{"id":"drzzt019","name":"Acme Support","region":"US"},
               "appUser":{"id":"1","email":"jira-bot@acme.test","name":"Jira Bot"},"tokenID":"t-sup",
               "since":"2026-01-02T03:04:05.000Z"}}},
          {"key":"OPS","name":"Operations","site":"acme.atlassian.net"}]}
        """

    // MARK: What a store holds

    /// The store's records as text that two stores holding the same agree on: times, token ids
    /// and the bookkeeping of a delivery's attempts left out, a token's presence kept.
    static func dump(_ store: Store) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines: [String] = []
        for var project in try store.projects {
            project.outbox = project.outbox.map { item in
                var item = item
                item.attempt = nil
                item.held = nil
                return item
            }
            lines.append(String(decoding: try encoder.encode(project), as: UTF8.self))
        }
        for (key, connection) in try store.connections.sorted(by: { $0.key < $1.key }) {
            var text = String(decoding: try encoder.encode(connection), as: UTF8.self)
            if let id = connection.state.authorization?.tokenID {
                text = text.replacingOccurrences(of: id, with: try store.token(id: id) == nil ? "<lost>" : "<token>")
            }
            lines.append("\(key): \(text)")
        }
        for event in try store.events() {
            lines.append("\(event.project) \(event.kind) \(event.from) → \(event.to) by \(event.actor)")
        }
        lines.append("settings: " + String(decoding: try encoder.encode(try store.settings()), as: UTF8.self))
        lines.append("client secret: \(try store.clientSecret != nil)")
        let text = lines.joined(separator: "\n")
        return text.replacing(/\d{4}-\d\d-\d\dT[0-9:.]+Z/, with: "<time>")
    }

    /// What a failed attempt may leave and the next open must have cleared: temporaries.
    static func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".tmp") || $0.hasSuffix(".change") || $0 == ".change.json"
        }
    }

    /// Files other than 0600 ones that hold one of `secrets`.
    static func filesHoldingSecrets(in directory: URL, secrets: [String]) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        var found: [String] = []
        for case let url as URL in walker {
            var info = stat()
            guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 != 0 else {
                continue
            }
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            if secrets.contains(where: { !$0.isEmpty && text.contains($0) }) { found.append(url.lastPathComponent) }
        }
        return found
    }
}

/// The services of a run on an in-memory Intercom, standing in for the built-in mock.
struct InProcessServices: ServiceProvider {
    let service: ConnectionService

    func connectionService() async throws -> ConnectionService { service }
    func mockControl() async throws -> (any MockControl)? { nil }
    var intercomDescription: String { "an in-memory Intercom" }
    var isRealAPI: Bool { false }
}
