import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bare HTTP/1.1 client over a TCP socket, so a test can send any `Host` (a DNS-rebinding
/// page's) and read an event stream as it comes. Every read is bounded by a receive timeout and
/// every loop by a deadline; the blocking work runs on a thread of its own, off the cooperative
/// pool the server runs on.
public struct PageHTTP: Sendable {
    public let port: Int

    public init(port: Int) { self.port = port }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: String
        public var body: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public var authority: String { "127.0.0.1:\(port)" }

    public func get(_ path: String, host: String? = nil) async throws -> Answer {
        try await exchange("GET \(path) HTTP/1.1\r\nHost: \(host ?? authority)\r\nConnection: close\r\n\r\n")
    }

    public func post(_ path: String, body: String = "", headers: [String: String] = [:], host: String? = nil)
        async throws
        -> Answer
    {
        var request = "POST \(path) HTTP/1.1\r\nHost: \(host ?? authority)\r\nConnection: close\r\n"
        request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        return try await exchange(request + "\r\n" + body)
    }

    /// Sends `request` and reads until the server closes.
    public func exchange(_ request: String) async throws -> Answer {
        let bytes = try await offThePool {
            let socket = try Self.connect(port: port)
            defer { close(socket) }
            try Self.send(request, on: socket)
            return try Self.readUntil(socket, deadline: ContinuousClock.now + .seconds(60)) { _ in false }
        }
        return try Self.parse(bytes)
    }

    /// Opens `path` as an event stream and reads until `done` says the text so far is enough;
    /// fails when `deadline` passes first.
    public func stream(
        _ path: String, deadline: Duration = .seconds(30), until done: @escaping @Sendable (String) -> Bool
    )
        async throws -> String
    {
        let request = "GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nAccept: text/event-stream\r\n\r\n"
        let bytes = try await offThePool {
            let socket = try Self.connect(port: port)
            defer { close(socket) }
            try Self.send(request, on: socket)
            return try Self.readUntil(socket, deadline: ContinuousClock.now + deadline) {
                done(String(decoding: $0, as: UTF8.self))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An event stream kept open while the test does something else: `read(until:)` continues it.
    public final class OpenStream: @unchecked Sendable {
        // @unchecked: one test drives it, one read at a time.
        let socket: Int32
        public private(set) var text = ""

        public init(port: Int, path: String) async throws {
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n"
            socket = try await offThePool {
                let socket = try PageHTTP.connect(port: port)
                try PageHTTP.send(request, on: socket)
                return socket
            }
        }

        deinit { close(socket) }

        /// Reads on until `done(text)`; fails after `deadline`.
        @discardableResult
        public func read(deadline: Duration = .seconds(30), until done: @escaping @Sendable (String) -> Bool)
            async throws
            -> String
        {
            let before = text
            let socket = socket
            let more = try await offThePool {
                try PageHTTP.readUntil(socket, deadline: ContinuousClock.now + deadline) {
                    done(before + String(decoding: $0, as: UTF8.self))
                }
            }
            text = before + String(decoding: more, as: UTF8.self)
            return text
        }
    }

    // MARK: Sockets

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        // A bound on each read: the deadline is checked between reads.
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect() failed: errno \(errno)")
        }
        return fd
    }

    static func send(_ request: String, on socket: Int32) throws {
        let bytes = Array(request.utf8)
        guard Glibc.send(socket, bytes, bytes.count, 0) == bytes.count else {
            throw Failure(description: "send() failed")
        }
    }

    /// Reads until the peer closes or `done` holds for what was read; throws at the deadline.
    static func readUntil(_ socket: Int32, deadline: ContinuousClock.Instant, done: ([UInt8]) -> Bool) throws
        -> [UInt8]
    {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while ContinuousClock.now < deadline {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return received }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                if errno == ECONNRESET { return received }
                throw Failure(description: "recv() failed: errno \(errno)")
            }
            received.append(contentsOf: buffer[0..<count])
            if done(received) { return received }
        }
        throw Failure(
            description:
                "no answer before the deadline; read so far: \(String(decoding: received.suffix(400), as: UTF8.self))")
    }

    static func parse(_ bytes: [UInt8]) throws -> Answer {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no HTTP answer: \(text)") }
        let head = String(text[..<split.lowerBound])
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var body = String(text[split.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return Answer(status: status, headers: head, body: body)
    }

    static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let chunk = rest.utf8[start...].prefix(size)
            body += String(decoding: chunk, as: UTF8.self)
            rest = Substring(String(decoding: rest.utf8[start...].dropFirst(size + 2), as: UTF8.self))
        }
        return body
    }
}
