import Crypto
import Foundation
import RelinkCore

/// A salted SHA-256 digest of a low-entropy secret (a password, a fixture's client secret).
public struct SaltedDigest: Codable, Equatable, Sendable {
    /// Hex random salt.
    public var salt: String
    /// Hex SHA-256 of `salt + secret`.
    public var sha256: String

    /// Digests `secret` with a fresh random salt.
    public init(secret: String) {
        var generator = SystemRandomNumberGenerator()
        let salt = Secret.hex(bytes: (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        self.salt = salt
        self.sha256 = Secret.sha256Hex(salt + secret)
    }

    /// Whether `secret` is the one digested, compared in constant time.
    public func matches(_ secret: String) -> Bool {
        Secret.constantTimeEqual(Secret.sha256Hex(salt + secret), sha256)
    }
}

/// Helpers for secrets: digests, fresh random values, constant-time comparison.
public enum Secret {
    public static func sha256Hex(_ text: String) -> String {
        sha256Hex(data: Data(text.utf8))
    }

    public static func sha256Hex(data: Data) -> String {
        hex(bytes: Array(SHA256.hash(data: data)))
    }

    public static func hex(bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A fresh random secret from the system's generator (never the seeded fault generator).
    public static func random(prefix: String, bytes count: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + hex(bytes: (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
