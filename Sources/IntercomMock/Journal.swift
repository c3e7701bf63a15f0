import Foundation

/// One request as the journal keeps it. Tokens appear only as their public id, or `[redacted]`
/// when the request carried a token the mock does not know.
public struct JournalEntry: Codable, Equatable, Sendable {
    /// Order in which the mock decided the answers; later decisions have larger numbers.
    public var sequence: Int
    public var time: Date
    public var method: String
    public var path: String
    /// `nil` when the connection was dropped without an answer.
    public var status: Int?
    public var requestID: String
    /// The fault applied, e.g. `f1:latency 120ms`.
    public var fault: String?
    public var token: String?
    /// Whether the token was alive when the request was decided; `nil` without a known token.
    public var tokenAlive: Bool?

    enum CodingKeys: String, CodingKey {
        case sequence, time, method, path, status
        case requestID = "request_id"
        case fault, token
        case tokenAlive = "token_alive"
    }
}

/// The request journal: a ring of the most recent entries, so a long benchmark cannot grow it
/// without bound and appending stays O(1).
struct Journal: Sendable {
    private var storage: [JournalEntry] = []
    private var start = 0
    private(set) var nextSequence = 1
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(_ make: (Int) -> JournalEntry) {
        let entry = make(nextSequence)
        nextSequence += 1
        if storage.count < capacity {
            storage.append(entry)
        } else {
            storage[start] = entry
            start = (start + 1) % capacity
        }
    }

    /// The last `limit` entries, oldest first.
    func entries(limit: Int?) -> [JournalEntry] {
        let ordered = Array(storage[start...] + storage[..<start])
        guard let limit, limit < ordered.count else { return ordered }
        return Array(ordered.suffix(max(limit, 0)))
    }

    mutating func clear() {
        storage.removeAll()
        start = 0
    }
}
