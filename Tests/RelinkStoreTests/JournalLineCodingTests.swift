import Foundation
import IntercomMockWorld
import Testing

@testable import IntercomMockStore
@testable import RelinkStore

@Suite("The mock journal's line, written by hand")
struct JournalLineCodingTests {
    static let hostile = [
        "/me", "", "/admins/1003", #"/a"b\c"#, "/x\ny\r\tz", "/\u{1}\u{8}\u{c}\u{1f}\u{7f}", "/caf\u{e9}/\u{1f600}",
        "/a/b/c?x=1&y=%20", String(repeating: "é", count: 300),
    ]

    static let entries: [JournalEntry] = {
        var entries: [JournalEntry] = []
        let times: [TimeInterval] = [0, 1_800_000_000.999, -86_400.5, 253_402_300_799, 1_700_000_000]
        for (index, text) in hostile.enumerated() {
            entries.append(
                JournalEntry(
                    sequence: index == 3 ? Int.max : index, time: Date(timeIntervalSince1970: times[index % times.count]),
                    method: index == 1 ? "PÖST" : "GET", path: text, status: index.isMultiple(of: 2) ? 200 : nil,
                    requestID: text.isEmpty ? "-" : text, fault: index == 2 ? text : nil,
                    token: index == 4 ? "[redacted]" : "tok-0123456789abcdef", tokenAlive: index == 5 ? nil : index > 3,
                    intercomVersion: index == 6 ? nil : "2.14",
                    countedAs: index.isMultiple(of: 3) ? .init(clientID: text, workspaceID: "acme") : nil))
        }
        return entries
    }()

    @Test("writes what Foundation's encoder writes, byte for byte, and reads back as the same entry")
    func sameAsTheEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for entry in Self.entries {
            let fast = try #require(JournalLineCoding.fastEncoding(entry))
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: try encoder.encode(entry), as: UTF8.self))
            var expected = entry
            expected.time = Date(timeIntervalSince1970: entry.time.timeIntervalSince1970.rounded(.down))
            #expect(try decoder.decode(JournalEntry.self, from: Data(fast)) == expected)
            #expect(JournalLineCoding.decode(fast) == .entry(expected))
        }
    }

    @Test("a time outside the years 1–9999 is left to the encoder")
    func outOfRangeTimes() {
        for seconds in [-70_000_000_000.0, 300_000_000_000, .infinity] {
            var entry = Self.entries[0]
            entry.time = Date(timeIntervalSince1970: seconds)
            #expect(JournalLineCoding.fastEncoding(entry) == nil)
        }
    }
}
