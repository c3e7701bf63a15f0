import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A minimal HTTP `CONNECT` proxy on 127.0.0.1, a port the OS picks, for the tests of
/// `HTTPS_PROXY`/`NO_PROXY`.
///
/// It reads the `CONNECT host:port HTTP/1.1` head (at most 16 KiB), records the target, and either
/// refuses (when told to, or when the target is not loopback) or connects to the target and copies
/// bytes both ways until either side closes. It never connects outside 127.0.0.0/8, `::1` and
/// `localhost`: any other target is answered 403 without a connection attempt.
public final class ConnectProxy: Sendable {
    /// What the proxy does with a `CONNECT`.
    public enum Mode: Sendable, Equatable {
        /// Tunnel to loopback targets (the default).
        case tunnel
        /// Answer every `CONNECT` with this status (403, 407…) and close, as a refusing proxy does.
        /// A 407 carries `Proxy-Authenticate: Basic realm="relink-test"`.
        case refuse(status: Int)
    }

    /// One `CONNECT` the proxy received.
    public struct Attempt: Sendable, Equatable {
        /// `host:port` as the client asked for it.
        public var target: String
        /// Whether the client sent `Proxy-Authorization` (never its value).
        public var hadProxyAuthorization: Bool
        /// The status the proxy answered: 200 for a tunnel, 403/407 refused, 502 the target did not answer.
        public var status: Int
    }

    public let port: Int
    private let serverChannel: any Channel
    private let shared: Shared

    /// `127.0.0.1`, for `HTTPClient.Configuration.Proxy.server(host:port:)`.
    public var host: String { "127.0.0.1" }
    /// `http://127.0.0.1:PORT`, for `HTTPS_PROXY`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, serverChannel: any Channel, shared: Shared) {
        self.port = port
        self.serverChannel = serverChannel
        self.shared = shared
    }

    /// Starts the proxy and returns once it listens.
    public static func start(mode: Mode = .tunnel) async throws -> ConnectProxy {
        let shared = Shared(mode: mode)
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                shared.track(child)
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ConnectFrontHandler(shared: shared))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ProxyError("the proxy has no port")
        }
        return ConnectProxy(port: port, serverChannel: channel, shared: shared)
    }

    /// Runs `body` against a fresh proxy and shuts it down afterwards, whatever happens.
    public static func with<T>(mode: Mode = .tunnel, _ body: (ConnectProxy) async throws -> T) async throws -> T {
        try await scoped(try await start(mode: mode), shutdown: { await $0.shutdown() }, body)
    }

    /// Stops listening and closes every connection, client and upstream, still open.
    public func shutdown() async {
        try? await serverChannel.close()
        for channel in shared.drain() {
            try? await channel.close()
        }
    }

    /// Changes what the proxy does with the next `CONNECT`s.
    public func setMode(_ mode: Mode) {
        shared.state.withLock { $0.mode = mode }
    }

    /// Every `CONNECT` received so far, in order.
    public var attempts: [Attempt] { shared.state.withLock { $0.attempts } }

    /// The `host:port` of every tunnel the proxy opened (status 200), in order.
    public var tunnelledTargets: [String] { attempts.filter { $0.status == 200 }.map(\.target) }

    /// Whether `host` is one the proxy may connect to: 127.0.0.0/8, `::1` or `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// Splits `host:port` (`[v6]:port` too); `nil` when it is not one.
    static func split(target: String) -> (host: String, port: Int)? {
        guard let colon = target.lastIndex(of: ":") else { return nil }
        var host = String(target[..<colon])
        guard let port = Int(target[target.index(after: colon)...]), (1...65535).contains(port), !host.isEmpty else {
            return nil
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

struct ProxyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the handlers share with the proxy: its mode, the log, and the open channels to close.
final class Shared: Sendable {
    struct State {
        var mode: ConnectProxy.Mode
        var attempts: [ConnectProxy.Attempt] = []
        var channels: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    let state: Mutex<State>

    init(mode: ConnectProxy.Mode) { state = Mutex(State(mode: mode)) }

    /// Remembers a channel until it closes; one opened after shutdown is closed at once.
    func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let closed = state.withLock { state -> Bool in
            if !state.closed { state.channels[id] = channel }
            return state.closed
        }
        if closed {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.channels.removeValue(forKey: id) }
        }
    }

    func drain() -> [any Channel] {
        state.withLock { state in
            state.closed = true
            defer { state.channels.removeAll() }
            return Array(state.channels.values)
        }
    }

    func record(_ attempt: ConnectProxy.Attempt) {
        state.withLock { $0.attempts.append(attempt) }
    }

    var mode: ConnectProxy.Mode { state.withLock { $0.mode } }
}

/// The client's side: reads the `CONNECT` head, then forwards bytes to the upstream channel.
final class ConnectFrontHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case readingHead(ByteBuffer)
        case connecting(pending: [ByteBuffer])
        case tunnelling(peer: any Channel)
        case done
    }

    static let maxHeadBytes = 16 * 1024
    private let shared: Shared
    private var phase = Phase.readingHead(ByteBuffer())

    init(shared: Shared) { self.shared = shared }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch phase {
        case .readingHead(var head):
            head.writeBuffer(&bytes)
            phase = .readingHead(head)
            readHead(context: context, buffered: head)
        case .connecting(var pending):
            pending.append(bytes)
            phase = .connecting(pending: pending)
        case .tunnelling(let peer):
            peer.writeAndFlush(bytes, promise: nil)
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .tunnelling(let peer) = phase { peer.close(promise: nil) }
        phase = .done
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func readHead(context: ChannelHandlerContext, buffered: ByteBuffer) {
        let view = buffered.readableBytesView
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = view.firstRange(of: terminator) else {
            if buffered.readableBytes > Self.maxHeadBytes { answer(context: context, status: 431, target: nil) }
            return
        }
        let headLength = end.upperBound - view.startIndex
        var rest = buffered
        let headText = rest.readString(length: headLength) ?? ""
        let lines = headText.split(separator: "\r\n", omittingEmptySubsequences: true)
        let requestLine = lines.first.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
        let hadProxyAuthorization = lines.dropFirst().contains {
            $0.lowercased().hasPrefix("proxy-authorization:")
        }
        guard requestLine.count == 3, requestLine[0] == "CONNECT" else {
            answer(context: context, status: 405, target: nil)
            return
        }
        let target = String(requestLine[1])
        let refuse = { (status: Int) in
            self.shared.record(.init(target: target, hadProxyAuthorization: hadProxyAuthorization, status: status))
            self.answer(context: context, status: status, target: target)
        }
        if case .refuse(let status) = shared.mode {
            refuse(status)
            return
        }
        guard let (host, port) = ConnectProxy.split(target: target), ConnectProxy.isLoopback(host) else {
            refuse(403)
            return
        }
        phase = .connecting(pending: rest.readableBytes > 0 ? [rest] : [])
        let front = context.channel
        let shared = self.shared
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(.seconds(5))
            .channelInitializer { peer in
                shared.track(peer)
                return peer.eventLoop.makeCompletedFuture {
                    try peer.pipeline.syncOperations.addHandler(ConnectBackHandler(front: front))
                }
            }
            .connect(host: host, port: port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let peer):
                    guard case .connecting(let pending) = self.phase else {
                        peer.close(promise: nil)
                        return
                    }
                    shared.record(.init(target: target, hadProxyAuthorization: hadProxyAuthorization, status: 200))
                    self.phase = .tunnelling(peer: peer)
                    context.writeAndFlush(
                        self.wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 Connection Established\r\n\r\n")),
                        promise: nil)
                    for bytes in pending { peer.write(bytes, promise: nil) }
                    peer.flush()
                case .failure:
                    guard case .connecting = self.phase else { return }
                    refuse(502)
                }
            }
    }

    /// Answers a refusal with an empty body (a body would itself be a protocol error to AHC) and closes.
    private func answer(context: ChannelHandlerContext, status: Int, target: String?) {
        phase = .done
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: 0\r\nConnection: close\r\n"
        if status == 407 { head += "Proxy-Authenticate: Basic realm=\"relink-test\"\r\n" }
        head += "\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// The target's side: bytes from the target go to the client; when either closes, so does the other.
final class ConnectBackHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let front: any Channel

    init(front: any Channel) { self.front = front }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        front.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        front.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
