import ArgumentParser
import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import IntercomMockControl
import Logging
import RelinkService
import RelinkStore
import Synchronization

/// `check --all` under the mock's rate limits (issue 13 §3): checks done, 429s seen, and the wall
/// time against the floor the limits allow, as a ratio.
struct Pacing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "check --all under the mock's rate limits: 429s seen, wall time against the limits' floor; Scripts/bench-pacing.sh runs it."
    )
    @Option(help: "The store to check (every connection in one workspace).") var store: String
    @Option(help: "The mock's base URL.") var endpoint: String
    @Option(help: "Checks at once.") var concurrency = 16
    @Option(help: "Requests per window the mock allows (the tighter counter's X-RateLimit-Limit).")
    var perWindow = 1666
    @Option(help: "The mock's window length in seconds.") var windowSeconds = 10

    func run() async throws {
        try await measure()
    }

    func measure() async throws {
        let store = try Store(directory: URL(fileURLWithPath: store))
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPIntercomClient.recommendedConfiguration(maxConnectionsPerHost: concurrency))
        let logger = Logger(label: "relink.bench")
        let rateLimited = Mutex(0)
        var retry = RetryPolicy()
        retry.onRetry = { failure, _ in
            if failure.kind == .rateLimited { rateLimited.withLock { $0 += 1 } }
        }
        let service = ConnectionService(
            store: store,
            intercom: HTTPIntercomGateway(target: .mock(baseURL: endpoint), httpClient: httpClient, logger: logger),
            worldControl: MockControlClient(baseURL: endpoint, httpClient: httpClient, logger: logger),
            configuration: ServiceConfiguration(checkConcurrency: concurrency, retry: retry, logger: logger))
        let waits = Mutex<[Double]>([])
        let startedAt = Date()
        let clock = ContinuousClock()
        let started = clock.now
        let results = try await service.health.check(nil) { progress in
            if progress.done % 1000 == 0 {
                FileHandle.standardError.write(Data("  \(progress.done)/\(progress.total) checked\n".utf8))
            }
        } rateLimitWait: { wait in
            waits.withLock {
                $0.append(
                    Double(wait.duration.components.seconds) + Double(wait.duration.components.attoseconds) / 1e18)
            }
        }
        let elapsed = clock.now - started
        try await httpClient.shutdown()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // A check that ended as a failure after its last attempt was a 429 too.
        let failedOn429 = results.filter {
            if case .transientFailure(let reason) = $0.outcome { reason.contains("429") } else { false }
        }.count
        let healthy = results.filter { $0.outcome == .healthy }.count
        // The floor: the counted requests need `windows` windows; the first is the one the run
        // started in (with its full budget), so the last can begin no earlier than
        // `windows - 1` window starts later.
        let windows = max(1, (healthy + perWindow - 1) / perWindow)
        let start = startedAt.timeIntervalSince1970
        let firstWindow = (start / Double(windowSeconds)).rounded(.down) * Double(windowSeconds)
        let floor = max(firstWindow + Double((windows - 1) * windowSeconds) - start, 0)
        let waitList = waits.withLock { $0 }
        let report: [String: Any] = [
            "checks": results.count, "healthy": healthy, "rate_limited_429": rateLimited.withLock { $0 } + failedOn429,
            "seconds": seconds, "floor_seconds": floor, "ratio_to_floor": floor > 0 ? seconds / floor : 0,
            "windows_needed": windows, "per_window": perWindow, "window_seconds": windowSeconds,
            "pacing_waits": waitList.count, "longest_wait_seconds": waitList.max() ?? 0,
            "concurrency": concurrency,
        ]
        print(
            String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
    }
}
