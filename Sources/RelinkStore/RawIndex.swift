import Foundation
import JournaledFiles
import RelinkCore

/// The undecoded records of one snapshot section, found by key without a dictionary.
///
/// relink writes each section sorted by key, and a key is `[A-Z][A-Z0-9_]*` in ASCII, so the
/// records' file order is their key order and a key is found by a binary search over the keys'
/// bytes, copied out of their lines while the open streamed the file (a few bytes a record).
/// Opening a store then builds no dictionary and makes no string per record: it checks that the
/// keys are valid and strictly increasing (`LineLayout`), which also proves them unique. Records
/// decoded, replaced or deleted since are marked gone.
struct RawIndex: Sendable {
    /// In key order; `keyOffset`/`keyLength` locate each key in `keyBytes`.
    private var records: [RawRecord]
    private var keyBytes: [UInt8]
    private var gone = Set<Int>()
    let bytes: SnapshotBytes?

    init() {
        records = []
        keyBytes = []
        bytes = nil
    }

    /// `records` must be in strictly increasing key order (`LineLayout` checks it).
    init(sortedRecords records: [RawRecord], keyBytes: [UInt8], bytes: SnapshotBytes) {
        self.records = records
        self.keyBytes = records.isEmpty ? [] : keyBytes
        self.bytes = records.isEmpty ? nil : bytes
    }

    var count: Int { records.count - gone.count }
    var isEmpty: Bool { count == 0 }

    subscript(key: ProjectKey) -> RawRecord? {
        position(of: key).map { records[$0] }
    }

    mutating func remove(_ key: ProjectKey) {
        if let position = position(of: key) { gone.insert(position) }
    }

    /// The records not gone, in key order, each with its key.
    var entries: [(key: ProjectKey, record: RawRecord)] {
        guard bytes != nil, !isEmpty else { return [] }
        return keyBytes.withUnsafeBytes { buffer in
            records.indices.compactMap { position in
                gone.contains(position) ? nil : (Self.key(of: records[position], in: buffer), records[position])
            }
        }
    }

    var keys: [ProjectKey] { entries.map(\.key) }

    private static func key(of record: RawRecord, in buffer: UnsafeRawBufferPointer) -> ProjectKey {
        let start = Int(record.keyOffset)
        let text = String(decoding: buffer[start..<(start + Int(record.keyLength))], as: UTF8.self)
        // Checked byte by byte when the store was opened.
        guard let key = ProjectKey(rawValue: text) else { preconditionFailure("\(text) was checked as a key") }
        return key
    }

    private func position(of key: ProjectKey) -> Int? {
        guard !records.isEmpty else { return nil }
        var wanted = key.rawValue
        let found: Int? = wanted.withUTF8 { wantedBytes in
            keyBytes.withUnsafeBytes { buffer -> Int? in
                guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
                var low = 0
                var high = records.count
                while low < high {
                    let middle = (low + high) / 2
                    let record = records[middle]
                    let key = UnsafeBufferPointer(
                        start: base + Int(record.keyOffset), count: Int(record.keyLength))
                    let order = compareKeys(key, wantedBytes)
                    if order == 0 { return middle }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
        guard let found, !gone.contains(found) else { return nil }
        return found
    }
}

/// memcmp order, a shorter key before the longer it begins: the order of `ProjectKey`'s `<` for
/// the ASCII keys it accepts.
func compareKeys(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(left.count, right.count)
    if common > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress {
        let order = memcmp(leftBase, rightBase, common)
        if order != 0 { return Int(order) }
    }
    return left.count - right.count
}
