import Foundation

/// The CRC-32C that ends each journal line relink writes (see `checkLineChecksum`).
package enum JournalLineChecksum {
    package static let fieldStart = Data(#","crc32c":""#.utf8)
    /// `,"crc32c":"` + 8 hex digits + `"}`.
    package static var fieldLength: Int { fieldStart.count + 8 + 2 }

    /// Appends the checksum field to an encoded entry (`{…}`).
    package static func seal(_ line: inout Data) {
        let crc = SnapshotChecksum.update(0, line)
        line.removeLast()
        line.append(fieldStart)
        line.append(contentsOf: Array(format(crc).utf8))
        line.append(contentsOf: Array(#""}"#.utf8))
    }

    /// What a line's checksum field says.
    package enum Verdict: Equatable {
        /// The line names no `crc32c` key: written by hand, accepted on its decode alone.
        case none
        case matches
        case mismatch(recorded: UInt32, computed: UInt32)
        /// The line cannot be trusted for another reason: a key repeated in one object, or a
        /// `crc32c` field that is not 8 hex digits or is given twice.
        case malformed(String)
    }

    /// Checks a line's checksum wherever its field stands: relink writes it last, but a line that
    /// names `crc32c` anywhere (moved to the front by hand or by a tool that reorders keys) is
    /// checked all the same, on the line without that field, so a checksum cannot be stepped
    /// around by moving it. A key repeated in any object of the line is damage too: a decoder
    /// would keep one of the two silently.
    package static func verdict(_ line: Data) -> Verdict {
        if let problem = repeatedKey(line) { return .malformed(problem) }
        if let (recorded, computed) = check(line) {
            return recorded == computed ? .matches : .mismatch(recorded: recorded, computed: computed)
        }
        guard line.range(of: Data(#""crc32c""#.utf8)) != nil else { return .none }
        let scan = TopLevelFields(line)
        if let problem = scan.problem { return .malformed(problem) }
        let fields = scan.fields.filter { $0.key == "crc32c" }
        // "crc32c" only inside a value (a note that mentions it): no checksum field.
        guard let field = fields.first else { return .none }
        guard fields.count == 1 else { return .malformed("its \"crc32c\" field is given \(fields.count) times") }
        let value = line[field.valueRange]
        guard value.count == 10, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\""),
            value.dropFirst().dropLast().allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            let recorded = UInt32(String(decoding: value.dropFirst().dropLast(), as: UTF8.self), radix: 16)
        else { return .malformed("its \"crc32c\" field is not 8 lower-case hex digits") }
        // The line as relink encoded it before sealing: without the field and one comma beside it.
        var without = line
        without.removeSubrange(field.removalRange)
        let computed = SnapshotChecksum.update(0, without)
        return recorded == computed ? .matches : .mismatch(recorded: recorded, computed: computed)
    }

    /// The recorded and the computed checksum of a line whose field is where relink writes it
    /// (last); nil when it is not there.
    package static func check(_ line: Data) -> (recorded: UInt32, computed: UInt32)? {
        guard line.count > fieldLength, line.last == UInt8(ascii: "}") else { return nil }
        let field = line.index(line.endIndex, offsetBy: -fieldLength)
        guard line[field...].starts(with: fieldStart) else { return nil }
        let hex = line[(field + fieldStart.count)..<(line.endIndex - 2)]
        guard line[line.endIndex - 2] == UInt8(ascii: "\""),
            hex.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            let recorded = UInt32(String(decoding: hex, as: UTF8.self), radix: 16)
        else { return nil }
        let computed = SnapshotChecksum.update(SnapshotChecksum.update(0, line[..<field]), Data("}".utf8))
        return (recorded, computed)
    }

    /// The first key repeated within one object of the line, described; nil when none is.
    static func repeatedKey(_ line: Data) -> String? {
        // One entry per open bracket: an object's keys so far and whether a key comes next, or nil
        // for an array.
        var open: [(keys: Set<Data>, expectingKey: Bool)?] = []
        var index = line.startIndex
        while index < line.endIndex {
            switch line[index] {
            case UInt8(ascii: "{"): open.append(([], true))
            case UInt8(ascii: "["): open.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !open.isEmpty { open.removeLast() }
            case UInt8(ascii: ","): if let last = open.indices.last, open[last] != nil { open[last]!.expectingKey = true }
            case UInt8(ascii: ":"): if let last = open.indices.last, open[last] != nil { open[last]!.expectingKey = false }
            case UInt8(ascii: "\""):
                let end = stringEnd(line, from: index)
                if let last = open.indices.last, let object = open[last], object.expectingKey {
                    let key = Data(line[index..<end])
                    if object.keys.contains(key) {
                        return "the key \(String(decoding: key.prefix(40), as: UTF8.self)) is given twice in one object"
                    }
                    open[last]!.keys.insert(key)
                }
                index = end
                continue
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index just past the string that starts at `start` (a quote).
    static func stringEnd(_ line: Data, from start: Data.Index) -> Data.Index {
        var index = start + 1
        while index < line.endIndex {
            if line[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if line[index] == UInt8(ascii: "\"") { return index + 1 }
            index += 1
        }
        return line.endIndex
    }

    package static func format(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// The top-level fields of a one-line JSON object: each key, where its value lies, and what to
/// remove to take the field out with one comma beside it.
struct TopLevelFields {
    struct Field {
        var key: String
        var valueRange: Range<Data.Index>
        var removalRange: Range<Data.Index>
    }

    var fields: [Field] = []
    var problem: String?

    init(_ line: Data) {
        guard let open = line.firstIndex(where: { $0 > 32 }), line[open] == UInt8(ascii: "{") else {
            problem = "it is not a JSON object"
            return
        }
        var index = open + 1
        var fieldStart = index
        var depth = 0
        var key: (String, Data.Index)?
        var valueStart: Data.Index?
        func close(valueEnd end: Data.Index, removalEnd: Data.Index) {
            guard let (name, _) = key, let start = valueStart else { return }
            var valueEnd = end
            while valueEnd > start, line[valueEnd - 1] <= 32 { valueEnd -= 1 }
            fields.append(Field(key: name, valueRange: start..<valueEnd, removalRange: fieldStart..<removalEnd))
            key = nil
            valueStart = nil
        }
        while index < line.endIndex {
            let byte = line[index]
            if byte == UInt8(ascii: "\"") {
                let end = JournalLineChecksum.stringEnd(line, from: index)
                if depth == 0, key == nil {
                    key = (String(decoding: line[(index + 1)..<max(end - 1, index + 1)], as: UTF8.self), index)
                } else if depth == 0, valueStart == nil {
                    valueStart = index
                }
                index = end
                continue
            }
            switch byte {
            case UInt8(ascii: ":") where depth == 0:
                if let next = line[(index + 1)...].firstIndex(where: { $0 > 32 }) { valueStart = next }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    // The last field: remove it with the comma before it, keeping the space
                    // before the brace (a pretty-printed file's newline).
                    close(valueEnd: index, removalEnd: index)
                    if let last = fields.indices.last, fields.count > 1 || fields[last].removalRange.lowerBound > open + 1 {
                        var start = fields[last].removalRange.lowerBound
                        if start > open + 1, line[start - 1] == UInt8(ascii: ",") { start -= 1 }
                        fields[last].removalRange = start..<fields[last].valueRange.upperBound
                    }
                    return
                }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                // A field followed by a comma: remove it with that comma.
                close(valueEnd: index, removalEnd: index + 1)
                fieldStart = index + 1
            default: break
            }
            index += 1
        }
        problem = "it ends before its object closes"
    }
}
