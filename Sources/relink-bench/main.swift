// relink's benchmarks and the fixture generator: `relink-bench --help` lists the subcommands, and
// BENCHMARKS.md has the figures, the machine and the commands. `store` runs `generate`,
// `store-child` and `tinydb-file` as child processes, so each size is measured in a fresh process.
import ArgumentParser
import AsyncHTTPClient
import Foundation
import IntercomClient
import IntercomAPI
import IntercomMockControl
import IntercomMockStore
import IntercomMockWorld
import Logging
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("relink-bench: \(message)\n".utf8))
    exit(2)
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

/// CPU seconds (user and system) this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func elapsedMS(since start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func generate(
    projects: Int, into directory: URL, world: Bool, workspaces: Int? = nil, connectedOnly: Bool = false
) throws {
    try? FileManager.default.removeItem(at: directory)
    let store = try Store(directory: directory, options: .init(durable: false))
    let generated = try LargeStoreGenerator(
        projectCount: projects, includeWorld: world, workspaceCount: workspaces, connectedOnly: connectedOnly
    ).generate(into: store)
    if world { try store.replaceWorld(with: generated) }
}

/// Writes the same records as a TinyDB file: one document per project, its connection merged in.
func writeTinyDB(from directory: URL, to file: URL) throws {
    let store = try Store(directory: directory)
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .relinkTimestamp
    var table: [String: Any] = [:]
    for (index, project) in try store.projects.enumerated() {
        var document = try JSONSerialization.jsonObject(with: encoder.encode(project)) as! [String: Any]
        document["connection"] = try JSONSerialization.jsonObject(
            with: encoder.encode(store.connection(for: project.key)))
        table[String(index + 1)] = document
    }
    try JSONSerialization.data(withJSONObject: ["_default": table]).write(to: file)
}

/// In a fresh process: open the store, then time `commits` single-record updates.
func measureChild(directory: URL, commits: Int) throws {
    let start = ContinuousClock.now
    let store = try Store(directory: directory)
    let openMS = elapsedMS(since: start)
    let keys = store.projectKeys
    var generator = SplitMix64(seed: 42)
    var latencies: [Double] = []
    latencies.reserveCapacity(commits)
    for _ in 0..<commits {
        let key = keys[Int(generator.next() % UInt64(keys.count))]
        let began = ContinuousClock.now
        try store.update { transaction in
            var connection = try transaction.connection(for: key)
            if connection.state.authorization != nil {
                if let event = try connection.recordCheck(.healthy, at: Date(), by: "bench") {
                    transaction.record(event)
                }
                transaction.put(connection)
            } else if var project = try transaction.project(key) {
                project.name += "."
                transaction.put(project)
            }
        }
        latencies.append(elapsedMS(since: began))
    }
    latencies.sort()
    let result: [String: Double] = [
        "open_ms": openMS, "commit_median_ms": percentile(latencies, 0.5), "commit_p99_ms": percentile(latencies, 0.99),
        "commit_max_ms": latencies.last ?? 0, "peak_mb": peakMemoryMB(),
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
}

func runChild(_ executable: String, _ arguments: [String]) throws -> [String: Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
        let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double]
    else { fail("\(executable) \(arguments.joined(separator: " ")) failed") }
    return result
}

/// This executable's own path, for its children: `CommandLine.arguments[0]` is only `relink-bench`
/// when it was found on PATH, which is no path to run.
func ownExecutable() -> String {
    Bundle.main.executablePath ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0]
}

/// Why TinyDB's rows cannot be measured here, or nil when they can: Python's `tinydb` and the
/// baseline script (`Scripts/tinydb_baseline.py`, in the checkout beside the working directory or
/// the one this was built from) must both be found.
func tinyDBUnavailable(script: URL) -> String? {
    guard FileManager.default.fileExists(atPath: script.path) else {
        return "Scripts/tinydb_baseline.py is not found (run from a relink checkout)"
    }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import tinydb"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return "python3 is not found" }
    probe.waitUntilExit()
    return probe.terminationStatus == 0 ? nil : "Python's tinydb is not installed (pip install tinydb)"
}

func benchStore(sizes: [Int], commits: Int, work: URL, compare: Bool) throws {
    let me = ownExecutable()
    let checkoutScript = URL(fileURLWithPath: "Scripts/tinydb_baseline.py")
    let builtFromScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/tinydb_baseline.py")
    let script = FileManager.default.fileExists(atPath: checkoutScript.path) ? checkoutScript : builtFromScript
    let skipTinyDB = compare ? tinyDBUnavailable(script: script) : "--no-tinydb"
    if let skipTinyDB { print("TinyDB's rows are skipped: \(skipTinyDB).") }
    print("size      system  open ms  commit median ms  commit p99 ms  commit max ms  peak MB")
    for size in sizes {
        let directory = work.appendingPathComponent("store-\(size)")
        // Generated in a child too: a child spawned by a large parent would report the parent's
        // peak memory as its own (ru_maxrss survives the spawn).
        let generator = try Process.run(
            URL(fileURLWithPath: me), arguments: ["generate", "--projects", String(size), "--out", directory.path])
        generator.waitUntilExit()
        guard generator.terminationStatus == 0 else { fail("generating \(size) projects failed") }
        let relink = try runChild(me, ["store-child", directory.path, String(commits)])
        func row(_ system: String, _ r: [String: Double]) {
            print(
                String(
                    format: "%-8d  %-6@  %7.1f  %16.3f  %13.3f  %13.3f  %7.1f", size, system, r["open_ms"]!,
                    r["commit_median_ms"]!,
                    r["commit_p99_ms"]!, r["commit_max_ms"]!, r["peak_mb"]!))
        }
        row("relink", relink)
        guard skipTinyDB == nil else { continue }
        let tinyFile = work.appendingPathComponent("tinydb-\(size).json")
        let writer = try Process.run(
            URL(fileURLWithPath: me), arguments: ["tinydb-file", directory.path, tinyFile.path])
        writer.waitUntilExit()
        // TinyDB rewrites its whole file on every update: fewer commits at the large sizes keep the run short.
        let tinyCommits = size >= 100_000 ? 20 : size >= 10_000 ? 100 : commits
        let tiny = try runChild(
            "/usr/bin/env",
            [
                "python3", script.path, tinyFile.path,
                String(tinyCommits),
            ])
        row("tinydb", tiny)
    }
}

func benchCheck(store storePath: String, endpoint: String, concurrency: Int) async throws {
    let store = try Store(directory: URL(fileURLWithPath: storePath))
    let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPIntercomClient.recommendedConfiguration(maxConnectionsPerHost: concurrency))
    let logger = Logger(label: "relink.bench")
    let control = CountedControl(MockControlClient(baseURL: endpoint, httpClient: httpClient, logger: logger))
    let service = ConnectionService(
        store: store,
        intercom: HTTPIntercomGateway(target: .mock(baseURL: endpoint), httpClient: httpClient, logger: logger),
        worldControl: control,
        configuration: ServiceConfiguration(checkConcurrency: concurrency, logger: logger))
    let clock = ContinuousClock()
    let started = clock.now
    let cpuBefore = cpuSeconds()
    let results = try await service.health.check(nil)
    let elapsed = clock.now - started
    let cpu = cpuSeconds() - cpuBefore
    try await httpClient.shutdown()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let latencies = results.map {
        Double($0.duration.components.seconds) * 1000 + Double($0.duration.components.attoseconds) / 1e15
    }
    .sorted()
    var outcomes: [String: Int] = [:]
    for result in results {
        switch result.outcome {
        case .healthy: outcomes["healthy", default: 0] += 1
        case .rejected: outcomes["rejected", default: 0] += 1
        case .transientFailure: outcomes["transient", default: 0] += 1
        }
    }
    // Rejected checks also ask the mock for the simulated cause: one request per batch that had any.
    let requests = results.count + control.requests
    let report: [String: Any] = [
        "checks": results.count, "seconds": seconds, "checks_per_second": Double(results.count) / seconds,
        "requests_per_second": Double(requests) / seconds,
        // The client's own cost, which no ceiling moves (BENCHMARKS.md §7b).
        "cpu_us_per_check": cpu / Double(max(results.count, 1)) * 1e6,
        "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99), "concurrency": concurrency,
        "outcomes": outcomes,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
}

/// The control a check run uses, counting the requests it makes (ground truth for rejected tokens).
final class CountedControl: WorldControl {
    private let control: MockControlClient
    private let count = Mutex(0)

    init(_ control: MockControlClient) { self.control = control }

    var requests: Int { count.withLock { $0 } }

    func authorize(email: String, password: String, workspace: String?, clientID: String, state: String) async
        -> Result<String, IntercomFailure>
    {
        count.withLock { $0 += 1 }
        return await control.authorize(
            email: email, password: password, workspace: workspace, clientID: clientID, state: state)
    }

    func applyCause(_ request: CauseRequest) async throws(MockControlError) -> BreakReport {
        count.withLock { $0 += 1 }
        return try await control.applyCause(request)
    }

    func teammateEmails() async throws(MockControlError) -> [String] {
        count.withLock { $0 += 1 }
        return try await control.teammateEmails()
    }

    func inspect(token: String) async throws(MockControlError) -> MockControlAPI.TokenInspection {
        count.withLock { $0 += 1 }
        return try await control.inspect(token: token)
    }

    func inspect(tokens: [String]) async throws(MockControlError) -> [MockControlAPI.TokenInspection?] {
        count.withLock { $0 += (tokens.count + MockControlAPI.InspectManyRequest.limit - 1) / MockControlAPI.InspectManyRequest.limit }
        return try await control.inspect(tokens: tokens)
    }
}

/// `relink-bench`: one subcommand a benchmark (see BENCHMARKS.md), plus the helpers they run as children.
struct RelinkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relink-bench", abstract: "relink's benchmarks and fixture generator (see BENCHMARKS.md).",
        subcommands: [
            Generate.self, Fixtures.self, StoreBench.self, Check.self, Wire.self, Pacing.self, OpenProfileCommand.self,
            TinyDBFile.self, StoreChild.self,
        ])
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A store of N projects in every state (the generator of Fixtures/large).")
    @Option(help: "How many projects.") var projects: Int
    @Option(help: "The store directory to write (replaced).") var out: String
    @Flag(help: "Also write the mock's world for the store's connections.") var world = false
    @Option(help: "Spread the connections over this many workspaces (default: one per 500 projects, at least 3).")
    var workspaces: Int?
    @Flag(help: "Connect every project, each with a live token.") var connectedOnly = false

    func run() throws {
        try generate(
            projects: projects, into: URL(fileURLWithPath: out), world: world, workspaces: workspaces,
            connectedOnly: connectedOnly)
    }
}

struct Fixtures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes Fixtures/demo and Fixtures/large (5,000 projects) anew, replacing them.",
        discussion: """
            Run it in a relink checkout: it rewrites the source tree's Fixtures/ (or --root), which the \
            tests, the scenario transcripts and the benchmarks read. `make fixtures` does the same.
            """)
    @Option(help: "The Fixtures directory it rewrites.") var root = "Fixtures"

    func run() throws {
        let root = URL(fileURLWithPath: root)
        let demo = root.appendingPathComponent("demo")
        try? FileManager.default.removeItem(at: demo)
        try DemoFixture.write(to: Store(directory: demo, options: .init(durable: false)))
        try generate(projects: 5000, into: root.appendingPathComponent("large"), world: true)
        for fixture in [demo, root.appendingPathComponent("large")] {
            for leftover in [".lock", "journal.jsonl", "secrets.jsonl"] {
                try? FileManager.default.removeItem(at: fixture.appendingPathComponent(leftover))
            }
        }
    }
}

struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Open time, commit latency and peak memory per size, each in a fresh child, beside TinyDB.")
    @Option(help: "Store sizes, comma-separated.") var sizes = "1000,10000,100000"
    @Option(help: "Commits to time per size.") var commits = 1000
    @Option(help: "Where the stores are generated.") var work = NSTemporaryDirectory() + "relink-bench"
    @Flag(help: "Measure relink alone, without TinyDB's rows (skipped anyway, with a note, when tinydb is missing).")
    var noTinydb = false

    func run() throws {
        try benchStore(
            sizes: sizes.split(separator: ",").compactMap { Int($0) }, commits: commits,
            work: URL(fileURLWithPath: work), compare: !noTinydb)
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "check --all through the connection service against a standalone mock; Scripts/bench-check.sh runs it beside wrk."
    )
    @Option(help: "The store to check.") var store: String
    @Option(help: "The mock's base URL.") var endpoint: String
    @Option(help: "Checks at once.") var concurrency = 16

    func run() async throws {
        try await measure()
    }

    func measure() async throws {
        try await benchCheck(store: store, endpoint: endpoint, concurrency: concurrency)
    }
}

struct OpenProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-profile", abstract: "Where opening a store spends its time.")
    @Argument(help: "The store directory.") var store: String

    func run() throws {
        for (phase, ms) in try OpenProfile.measure(store: URL(fileURLWithPath: store)) {
            print(phase.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%8.1f ms", ms))
        }
    }
}

struct TinyDBFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tinydb-file", abstract: "Writes a store's records as a TinyDB file (for the store benchmark).")
    @Argument(help: "The store directory.") var store: String
    @Argument(help: "The TinyDB file to write.") var file: String

    func run() throws {
        try writeTinyDB(from: URL(fileURLWithPath: store), to: URL(fileURLWithPath: file))
    }
}

struct StoreChild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-child", abstract: "In a fresh process: open a store, then time single-record commits.")
    @Argument(help: "The store directory.") var store: String
    @Argument(help: "How many commits.") var commits: Int

    func run() throws {
        try measureChild(directory: URL(fileURLWithPath: store), commits: commits)
    }
}

// Parse, then run. Through an existential, run() resolves to ParsableCommand's synchronous one
// (which prints help), so the one async subcommand is run by its own type.
do {
    var command = try RelinkBench.parseAsRoot()
    if let check = command as? Check {
        try await check.measure()
    } else if let pacing = command as? Pacing {
        try await pacing.measure()
    } else if let wire = command as? Wire {
        try await wire.measure()
    } else {
        try command.run()
    }
} catch {
    RelinkBench.exit(withError: error)
}
