import IntercomMockWorld

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
