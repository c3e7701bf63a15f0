import Foundation
import JournaledFiles
import RelinkCore
import Synchronization

/// One section of the snapshot (projects or connections), keyed by project, each record decoded
/// on first use.
///
/// Opening a store finds the records' lines and keys without decoding them (the snapshot's
/// checksum vouches for their bytes); a record is decoded when it is first read and kept decoded.
/// `decodeAll()` decodes what is left on every core, for the commands that read everything.
/// Once every record is decoded the file's bytes are let go.
///
/// A value type with a shared cache: reads decode into the cache under its lock (which changes
/// nothing that can be observed), writes copy the storage first when it is shared.
struct RecordTable<Value: Codable & Sendable & Equatable>: Sendable, Equatable {
    private var storage: Storage
    private let section: String

    init(section: String, key: @escaping @Sendable (Value) -> ProjectKey) {
        self.section = section
        storage = Storage(key: key)
    }

    /// Records read already, decoded.
    init(section: String, decoded: [ProjectKey: Value], key: @escaping @Sendable (Value) -> ProjectKey) {
        self.init(section: section, key: key)
        storage.decoded = decoded
    }

    /// Records of a snapshot, not decoded.
    init(section: String, raw: RawIndex, key: @escaping @Sendable (Value) -> ProjectKey) {
        self.init(section: section, key: key)
        storage.raw = raw
    }

    var count: Int { storage.lock.withLock { storage.raw.count + storage.decoded.count } }

    var keys: [ProjectKey] { storage.lock.withLock { Array(storage.raw.keys) + Array(storage.decoded.keys) } }

    func contains(_ key: ProjectKey) -> Bool {
        storage.lock.withLock { storage.decoded[key] != nil || storage.raw[key] != nil }
    }

    /// How many records are still undecoded (for tests and the benchmark).
    var undecodedCount: Int { storage.lock.withLock { storage.raw.count } }

    /// Puts `value` in place of the record for `key` (`nil` removes it), without reading it.
    mutating func set(_ value: Value?, forKey key: ProjectKey) {
        makeUnique()
        storage.lock.withLock {
            storage.raw.remove(key)
            storage.decoded[key] = value
            storage.releaseBytesIfDone()
        }
    }

    /// The record for `key`, decoding it on first use. A record that cannot be decoded, or whose
    /// bytes changed in the file since the open (a program rewrote it in place), is damage.
    ///
    /// - Throws: `StoreError.damaged` naming the file, line and what is wrong.
    func value(forKey key: ProjectKey) throws(StoreError) -> Value? {
        try storage.locked { () throws(StoreError) -> Value? in
            if let value = storage.decoded[key] { return value }
            guard let raw = storage.raw[key], let bytes = storage.raw.bytes else { return nil }
            let value: Value = try Self.decode(raw, from: bytes, section: section, key: key, storage.key)
            storage.raw.remove(key)
            storage.decoded[key] = value
            storage.releaseBytesIfDone()
            return value
        }
    }

    /// Decodes every record not decoded yet, on every core, and lets the file's bytes go.
    ///
    /// - Throws: `StoreError.damaged` naming the first record (by line) that cannot be read.
    func decodeAll() throws(StoreError) {
        try storage.locked { () throws(StoreError) in
            guard let bytes = storage.raw.bytes, !storage.raw.isEmpty else { return }
            let pending = storage.raw.entries
            let values: [Value] = try ParallelDecode.decode(
                pending.map(\.record), from: bytes, section: section, expectedKeys: pending.map(\.key), key: storage.key
            )
            storage.decoded.reserveCapacity(storage.decoded.count + values.count)
            for (entry, value) in zip(pending, values) { storage.decoded[entry.key] = value }
            storage.raw = RawIndex()
        }
    }

    /// Part of every record, sorted by key: of the records not decoded yet, decoded as `Part` on
    /// every core and not kept; of the others, `from` their value.
    ///
    /// - Throws: `StoreError.damaged` naming the first record (by line) that cannot be read.
    func parts<Part: ScannedPart>(
        _ type: Part.Type, key: @escaping (Part) -> ProjectKey, from value: (Value) -> Part
    ) throws(StoreError) -> [Part] {
        let (raw, decoded) = storage.lock.withLock { (storage.raw, storage.decoded) }
        var parts: [Part] = []
        if let bytes = raw.bytes {
            let pending = raw.entries
            parts = try ParallelDecode.scan(
                pending.map(\.record), from: bytes, section: section, expectedKeys: pending.map(\.key), key: key)
        }
        guard !decoded.isEmpty else { return parts }  // the raw entries are in key order already
        parts += decoded.values.map(value)
        return parts.sorted { key($0) < key($1) }
    }

    /// Every record, decoded (what is not decoded yet is decoded on every core).
    func all() throws(StoreError) -> [ProjectKey: Value] {
        try decodeAll()
        return storage.lock.withLock { storage.decoded }
    }

    /// Each record as a line of the snapshot, sorted by key: a record never decoded is copied as
    /// the bytes that were read (the snapshot's checksum vouched for them), others are encoded,
    /// many of them on every core (`makeEncoder` gives each its own encoder).
    func snapshotLines(_ makeEncoder: @Sendable () -> JSONEncoder) throws -> [Data] {
        let (raw, decoded) = storage.lock.withLock { (storage.raw, storage.decoded) }
        var lines: [(key: ProjectKey, line: Data)] = try ParallelEncode.encode(Array(decoded), makeEncoder)
        if let bytes = raw.bytes {
            let entries = raw.entries
            let read = try bytes.lines(of: entries.map(\.record))
            lines += zip(entries, read).map { ($0.0.key, $0.1) }
        }
        return lines.sorted { $0.key < $1.key }.map(\.line)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = try? lhs.all(), let right = try? rhs.all() else { return false }
        return left == right
    }

    private static func decode(
        _ raw: RawRecord, from bytes: SnapshotBytes, section: String, key: ProjectKey,
        _ keyOf: (Value) -> ProjectKey
    ) throws(StoreError) -> Value {
        let data = try bytes.bytes(of: raw)
        let value: Value
        do {
            value = try StoreCoding.decoder().decode(Value.self, from: data)
        } catch {
            throw .damaged(
                file: bytes.url.path,
                problem: "line \(raw.line) of \(section): \(StoreError.describe(error, data: data))")
        }
        guard keyOf(value) == key else {
            throw .damaged(
                file: bytes.url.path,
                problem: "line \(raw.line) of \(section): the record of \(keyOf(value)) was found as \(key)")
        }
        return value
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    private final class Storage: @unchecked Sendable {
        // @unchecked: every member is read and written under `lock`.
        let lock = NSLock()
        var raw = RawIndex()
        var decoded: [ProjectKey: Value] = [:]
        let key: @Sendable (Value) -> ProjectKey

        init(key: @escaping @Sendable (Value) -> ProjectKey) { self.key = key }

        func locked<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
            lock.lock()
            defer { lock.unlock() }
            return try body()
        }

        func copy() -> Storage {
            lock.withLock {
                let copy = Storage(key: key)
                copy.raw = raw
                copy.decoded = decoded
                return copy
            }
        }

        /// The file's bytes are needed only while a record is undecoded.
        func releaseBytesIfDone() {
            if raw.isEmpty { raw = RawIndex() }
        }
    }
}

/// Decoding many records of a snapshot on every core; a bad record is named by its line.
enum ParallelDecode {
    static func decode<T: Decodable & Sendable>(
        _ records: [RawRecord], from bytes: SnapshotBytes, section: String, expectedKeys: [ProjectKey]? = nil,
        key: ((T) -> ProjectKey)? = nil
    ) throws(StoreError) -> [T] {
        let ranges = chunkRanges(of: records.count, serialBelow: 2000, perCore: 8)
        let results = ChunkResults<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { chunk in
            let decoder = StoreCoding.decoder()
            let range = ranges[chunk]
            // One decode per chunk, of the chunk's lines as one JSON array: a decoder call has a
            // fixed cost that thousands of one-line calls would pay thousands of times.
            var array = Data("[".utf8)
            array.reserveCapacity(range.reduce(2) { $0 + Int(records[$1].count) + 1 })
            do throws(StoreError) {
                try bytes.withBytes(of: records[range]) { index, line in
                    if index > 0 { array.append(0x2C) }
                    array.append(line)
                    return true
                }
            } catch {
                results.fail(chunk, error)
                return
            }
            array.append(0x5D)
            if let decoded = try? decoder.decode([T].self, from: array) {
                results.set(chunk, decoded)
                return
            }
            // Something in this chunk is bad: find the record, to name its line.
            for index in range {
                let data: Data
                do throws(StoreError) {
                    data = try bytes.bytes(of: records[index])
                } catch {
                    results.fail(chunk, error)
                    return
                }
                do {
                    _ = try decoder.decode(T.self, from: data)
                } catch {
                    let problem = StoreError.describe(error, data: data)
                    results.fail(chunk, "line \(records[index].line), \(section)[\(index)]: \(problem)")
                    return
                }
            }
            results.fail(
                chunk,
                "lines \(records[range.lowerBound].line)–\(records[range.upperBound - 1].line) of \(section) cannot be read together"
            )
        }
        try results.throwFirstProblem(in: bytes)
        let values = results.joined
        if let expectedKeys, let key {
            try requireKeys(of: values, records: records, expected: expectedKeys, key: key, section: section, in: bytes)
        }
        return values
    }
}

extension ParallelDecode {
    /// Like `decode`, for a part a `ListingScanner` reads: each record is scanned, and only one the
    /// scanner gives up on goes through `JSONDecoder` (which names what is wrong with it).
    static func scan<T: ScannedPart>(
        _ records: [RawRecord], from bytes: SnapshotBytes, section: String, expectedKeys: [ProjectKey],
        key: (T) -> ProjectKey
    ) throws(StoreError) -> [T] {
        let ranges = chunkRanges(of: records.count, serialBelow: 4000, perCore: 4)
        let results = ChunkResults<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { chunk in
            let range = ranges[chunk]
            var values: [T] = []
            values.reserveCapacity(range.count)
            var decoder: JSONDecoder?
            var problem: String?
            do throws(StoreError) {
                try bytes.withBytes(of: records[range]) { offset, line in
                    if let value = T.scan(line) {
                        values.append(value)
                        return true
                    }
                    let data = Data(line)
                    do {
                        if decoder == nil { decoder = StoreCoding.decoder() }
                        values.append(try decoder!.decode(T.self, from: data))
                        return true
                    } catch {
                        let index = range.lowerBound + offset
                        problem =
                            "line \(records[index].line), \(section)[\(index)]: \(StoreError.describe(error, data: data))"
                        return false
                    }
                }
            } catch {
                results.fail(chunk, error)
                return
            }
            if let problem { return results.fail(chunk, problem) }
            results.set(chunk, values)
        }
        try results.throwFirstProblem(in: bytes)
        let values = results.joined
        try requireKeys(of: values, records: records, expected: expectedKeys, key: key, section: section, in: bytes)
        return values
    }

    /// Each value's key is the one the index found its line under, or the line is named as damaged.
    fileprivate static func requireKeys<T>(
        of values: [T], records: [RawRecord], expected expectedKeys: [ProjectKey], key: (T) -> ProjectKey,
        section: String, in bytes: SnapshotBytes
    ) throws(StoreError) {
        for (index, value) in values.enumerated() where key(value) != expectedKeys[index] {
            throw .damaged(
                file: bytes.url.path,
                problem:
                    "line \(records[index].line) of \(section): the record of \(key(value)) was found as \(expectedKeys[index])"
            )
        }
    }
}

/// Encoding many records on every core: after a `check --all` a compaction encodes every
/// connection it changed, and one core did that while the other waited.
enum ParallelEncode {
    static func encode<T: Encodable & Sendable>(
        _ records: [(key: ProjectKey, value: T)], _ makeEncoder: @Sendable () -> JSONEncoder
    ) throws -> [(key: ProjectKey, line: Data)] {
        let ranges = chunkRanges(of: records.count, serialBelow: 2000, perCore: 4)
        let results = ChunkResults<(key: ProjectKey, line: Data)>(count: ranges.count)
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { chunk in
            let range = ranges[chunk]
            let encoder = makeEncoder()
            do {
                results.set(chunk, try records[range].map { ($0.key, try encoder.encode($0.value)) })
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.joined
    }
}

/// `count` items cut into consecutive, non-empty ranges, one per task of `concurrentPerform`: a
/// single range below `serialBelow` items (threads would cost more than they save), else `perCore`
/// ranges per core, so that one slow range does not leave a core idle.
func chunkRanges(of count: Int, serialBelow: Int, perCore: Int) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let chunkCount = count < serialBelow ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount * perCore)
    let size = (count + chunkCount - 1) / chunkCount
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
}

/// Results of a parallel decode, one slot per chunk.
private final class ChunkResults<T>: @unchecked Sendable {
    // @unchecked: each chunk writes only its own slot, under `lock`; reads come after
    // concurrentPerform has returned.
    private let lock = NSLock()
    private var values: [[T]]
    private var problems: [String?]
    private var errors: [StoreError?]

    init(count: Int) {
        values = Array(repeating: [], count: count)
        problems = Array(repeating: nil, count: count)
        errors = Array(repeating: nil, count: count)
    }

    func set(_ chunk: Int, _ decoded: [T]) { lock.withLock { values[chunk] = decoded } }
    func fail(_ chunk: Int, _ problem: String) { lock.withLock { problems[chunk] = problem } }
    /// A record's bytes could not be read (they changed since the open, or a read failed).
    func fail(_ chunk: Int, _ error: StoreError) { lock.withLock { errors[chunk] = error } }

    /// The first chunk's failure, in file order.
    func throwFirstProblem(in bytes: SnapshotBytes) throws(StoreError) {
        for (problem, error) in zip(problems, errors) {
            if let error { throw error }
            if let problem { throw .damaged(file: bytes.url.path, problem: problem) }
        }
    }
    var joined: [T] { values.flatMap { $0 } }
}
