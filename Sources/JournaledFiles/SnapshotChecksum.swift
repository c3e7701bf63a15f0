import CRelinkChecksum
import Foundation

/// CRC-32C, through the CPU's instruction (SSE4.2) where there is one: about 10 GB/s on one core,
/// so checking 82 MB costs a few milliseconds. It finds every change of up to 32 adjacent bits and
/// all but one in 4 billion others; it guards against accidents (a disk, a careless edit), not
/// against someone forging a file, which the store's threat model leaves to file permissions.
package enum SnapshotChecksum {
    package static func update(_ crc: UInt32, _ data: Data) -> UInt32 {
        data.withUnsafeBytes { relink_crc32c(crc, $0.baseAddress, $0.count) }
    }

    package static func compute(prefix: Data, rest: Data) -> UInt32 { update(update(0, prefix), rest) }

    package static func format(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "crc32c:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    package static func parse(_ text: Substring) -> UInt32? {
        guard text.hasPrefix("crc32c:"), text.count == 15 else { return nil }
        return UInt32(text.dropFirst(7), radix: 16)
    }

    package static var isHardware: Bool { relink_crc32c_is_hardware() != 0 }

    /// Checks a whole snapshot's `"checksum":"crc32c:…"` wherever it stands among the top-level
    /// fields, as a journal line's is: relink writes it in one place (the first line of
    /// `state.json`, the second of `secrets.json`) and reads it fast there, but a file whose field
    /// was moved (by hand, or by a tool that reorders keys) must not step around it. The checksum
    /// is computed on the file without that field and one comma beside it, which is what relink
    /// sealed. A key repeated in any object of a file that records a checksum is damage, since a
    /// decoder keeps one of the two silently. A file that names no `checksum` field (written by
    /// hand) is `.none`: accepted on its decode alone.
    package static func verdict(_ data: Data) -> JournalLineChecksum.Verdict {
        guard data.range(of: Data(#""checksum""#.utf8)) != nil else { return .none }
        let scan = TopLevelFields(data)
        // A file that names a checksum but is not one plain JSON object to the scanner (a byte-order
        // mark before it, say) is refused here: the decoder might accept what the scanner cannot
        // check, and the checksum would be stepped around.
        if let problem = scan.problem { return .malformed(problem) }
        let fields = scan.fields.filter { $0.key == "checksum" }
        guard let field = fields.first else { return .none }
        if let problem = JournalLineChecksum.repeatedKey(data) { return .malformed(problem) }
        let value = data[field.valueRange]
        guard value.count == 17, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\""),
            value.dropFirst(8).dropLast().allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            let recorded = parse(Substring(decoding: value.dropFirst().dropLast(), as: UTF8.self))
        else { return .malformed("its \"checksum\" field is not \"crc32c:\" and 8 lower-case hex digits") }
        var without = data
        without.removeSubrange(field.removalRange)
        let computed = update(0, without)
        return recorded == computed ? .matches : .mismatch(recorded: recorded, computed: computed)
    }
}
