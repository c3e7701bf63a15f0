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

    /// The recorded and the computed checksum of a line; nil when the line records none.
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

    package static func format(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
