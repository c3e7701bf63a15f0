import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore

#if canImport(Glibc)
    import Glibc
#endif

/// A bare TCP client: sends bytes and reads until the peer closes, so a test can tell a dropped
/// connection (no bytes, then EOF) from an answer. Every read is bounded by a 5 s timeout.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the blocking exchange on its own thread: blocking the few cooperative threads would
    /// starve the mock's actor, which runs on them.
    static func exchange(port: Int, request: String) async throws -> (bytes: [UInt8], closedByPeer: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try blockingExchange(port: port, request: request) }) }.start()
        }
    }

    static func blockingExchange(port: Int, request: String) throws -> (bytes: [UInt8], closedByPeer: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        // Only a bound on a server that hangs: the answer or the close ends the read long before.
        // 5 s was reached on a loaded 2-core machine, which read as a server that never closed.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed: errno \(errno)") }
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw Failure(description: "send() failed") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Bounded: at most 1000 reads, each bounded by the receive timeout.
        for _ in 0..<1000 {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (received, true) }
            if count < 0 {
                // ECONNRESET also means the peer closed without answering.
                if errno == ECONNRESET { return (received, true) }
                return (received, false)
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return (received, false)
    }

    /// Whether a mock on `port` has answered `requestID`: the server that answered it still
    /// listens. A bare "something answers" is not enough once a server has stopped, because the
    /// OS may hand its freed port to another test's mock at once.
    static func journals(_ requestID: String, port: Int) async -> Bool {
        guard
            let answer = try? await exchange(
                port: port, request: "GET /__mock/journal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        else { return false }
        return String(decoding: answer.bytes, as: UTF8.self).contains(requestID)
    }
}
