import Foundation
import JournaledFiles

/// Finds whether any of many secrets occurs in a file's bytes, in one pass per distinct secret
/// length (a rolling hash), instead of one search per secret: an export of a store with thousands
/// of tokens checks every file against every token.
package struct SecretScan {
    private struct Group {
        var length: Int
        var hashes: Set<UInt64>
        var secrets: Set<[UInt8]>
    }

    private let groups: [Group]
    private static let base: UInt64 = 1_099_511_628_211

    package init(_ secrets: [String]) {
        var byLength: [Int: Set<[UInt8]>] = [:]
        for secret in secrets where !secret.isEmpty {
            byLength[secret.utf8.count, default: []].insert(Array(secret.utf8))
        }
        groups = byLength.map { length, secrets in
            Group(length: length, hashes: Set(secrets.map { Self.hash($0[...]) }), secrets: secrets)
        }
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 &* base &+ UInt64($1) }
    }

    /// Whether `data` holds one of the secrets.
    package func occurs(in data: Data) -> Bool {
        let bytes = [UInt8](data)
        for group in groups where group.length <= bytes.count {
            let length = group.length
            var power: UInt64 = 1  // base^(length-1), to take the leaving byte out
            for _ in 1..<max(length, 1) { power = power &* Self.base }
            var rolling = Self.hash(bytes[0..<length])
            var start = 0
            while true {
                if group.hashes.contains(rolling), group.secrets.contains(Array(bytes[start..<start + length])) {
                    return true
                }
                let next = start + length
                guard next < bytes.count else { break }
                rolling = (rolling &- UInt64(bytes[start]) &* power) &* Self.base &+ UInt64(bytes[next])
                start += 1
            }
        }
        return false
    }
}
