import ArgumentParser
import AsyncHTTPClient
import Foundation
import IntercomAPI
import IntercomClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `GET /me` in a loop with nothing of a check around it, three ways, to show what each layer of a
/// check's HTTP exchange costs in CPU (BENCHMARKS.md §7b): relink's `HTTPIntercomClient.meProbe`
/// (what a check calls), AsyncHTTPClient alone, and NIO's HTTP/1.1 codecs with one handler per
/// keep-alive connection and no task per request (the floor a hand-written client would start from).
struct Wire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "GET /me in a loop through relink's client, AsyncHTTPClient alone, or bare NIO: CPU per request.")

    enum Layer: String, ExpressibleByArgument, CaseIterable {
        case client, ahc, nio
    }

    @Option(help: "The mock's base URL (http://127.0.0.1:PORT).") var endpoint: String
    @Option(help: "The bearer token.") var token = "fake-large-token-0"
    @Option(help: "Requests in all.") var requests = 20_000
    @Option(help: "Requests at once (one connection each).") var concurrency = 16
    @Option(help: "client | ahc | nio") var layer: Layer = .client

    func run() async throws {
        try await measure()
    }

    func measure() async throws {
        guard requests > 0, concurrency > 0, requests >= concurrency else {
            throw ValidationError("--requests must be at least --concurrency, both positive")
        }
        let before = cpuSeconds()
        let clock = ContinuousClock()
        let started = clock.now
        let answered: Int
        switch layer {
        case .client: answered = try await throughClient()
        case .ahc: answered = try await throughAsyncHTTPClient()
        case .nio: answered = try await throughNIO()
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpu = cpuSeconds() - before
        let report: [String: Any] = [
            "layer": layer.rawValue, "requests": requests, "ok": answered, "seconds": seconds,
            "requests_per_second": Double(requests) / seconds, "cpu_seconds": cpu,
            "cpu_us_per_request": cpu / Double(requests) * 1e6, "concurrency": concurrency,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
    }

    /// Each of `concurrency` workers makes its share of the requests one after another.
    private func shares() -> [Int] {
        (0..<concurrency).map { requests / concurrency + ($0 < requests % concurrency ? 1 : 0) }
    }

    private func throughClient() async throws -> Int {
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPIntercomClient.recommendedConfiguration(maxConnectionsPerHost: concurrency))
        let client = HTTPIntercomClient(
            endpoint: .custom(baseURL: endpoint), httpClient: httpClient, logger: Logger(label: "relink.bench"))
        let answered = await withTaskGroup(of: Int.self) { group in
            for share in shares() {
                group.addTask {
                    var ok = 0
                    for _ in 0..<share {
                        if case .success = await client.meProbe(token: token, observe: { _ in }) { ok += 1 }
                    }
                    return ok
                }
            }
            return await group.reduce(0, +)
        }
        try await httpClient.shutdown()
        return answered
    }

    private func throughAsyncHTTPClient() async throws -> Int {
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPIntercomClient.recommendedConfiguration(maxConnectionsPerHost: concurrency))
        let url = endpoint + "/me"
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for share in shares() {
                group.addTask {
                    var ok = 0
                    for _ in 0..<share {
                        var request = HTTPClientRequest(url: url)
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Accept", value: "application/json")
                        let response = try await httpClient.execute(request, timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        if response.status == .ok { ok += 1 }
                    }
                    return ok
                }
            }
            return try await group.reduce(0, +)
        }
        try await httpClient.shutdown()
        return answered
    }

    private func throughNIO() async throws -> Int {
        guard let url = URL(string: endpoint), let host = url.host, let port = url.port else {
            throw ValidationError("--endpoint must be http://HOST:PORT for --layer nio")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Accept", value: "application/json")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/me", headers: headers)
        let group = MultiThreadedEventLoopGroup.singleton
        var results: [EventLoopFuture<Int>] = []
        for share in shares() {
            let done = group.next().makePromise(of: Int.self)
            _ = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            RequestLoop(head: head, remaining: share, done: done))
                    }
                }
                .connect(host: host, port: port).get()
            results.append(done.futureResult)
        }
        var answered = 0
        for result in results { answered += try await result.get() }
        return answered
    }
}

/// Sends the next request when the last answer ends, on one keep-alive connection, until
/// `remaining` are answered; counts the 200s.
private final class RequestLoop: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private var remaining: Int
    private var ok = 0
    private let done: EventLoopPromise<Int>

    init(head: HTTPRequestHead, remaining: Int, done: EventLoopPromise<Int>) {
        self.head = head
        self.remaining = remaining
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response):
            if response.status == .ok { ok += 1 }
        case .body:
            break
        case .end:
            remaining -= 1
            if remaining == 0 {
                finish(.success(ok))
                context.close(promise: nil)
            } else {
                send(context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    /// Closed before every answer came (the mock stopped, or dropped the connection).
    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.ioOnClosedChannel))
    }

    private var finished = false

    private func finish(_ result: Result<Int, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(result)
    }

    private func send(_ context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
