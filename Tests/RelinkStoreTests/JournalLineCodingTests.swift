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

@Suite("A journal line's checksum, wherever it stands")
struct JournalLineChecksumTests {
    static func sealed(_ text: String) -> String {
        var data = Data(text.utf8)
        JournalLineChecksum.seal(&data)
        return String(decoding: data, as: UTF8.self)
    }

    @Test("relink's own line matches; moved to the front it still matches; changed it does not")
    func moved() throws {
        let line = Self.sealed(#"{"seq":7,"changes":[{"token":"abc"}]}"#)
        #expect(JournalLineChecksum.verdict(Data(line.utf8)) == .matches)
        let field = try #require(line.range(of: #","crc32c":"[0-9a-f]{8}""#, options: .regularExpression))
        var front = line
        let text = String(line[field].dropFirst())
        front.removeSubrange(field)
        front.insert(contentsOf: text + ",", at: front.index(after: front.startIndex))
        #expect(JournalLineChecksum.verdict(Data(front.utf8)) == .matches, "\(front)")
        let changed = front.replacingOccurrences(of: "abc", with: "abd")
        guard case .mismatch = JournalLineChecksum.verdict(Data(changed.utf8)) else {
            Issue.record("a changed line passed: \(changed)")
            return
        }
        // In the middle, too.
        var middle = line
        middle.removeSubrange(field)
        middle = middle.replacingOccurrences(of: #""seq":7,"#, with: #""seq":7,\#(text),"#)
        #expect(JournalLineChecksum.verdict(Data(middle.utf8)) == .matches, "\(middle)")
    }

    @Test(
        "Malformed checksums and repeated keys are damage; a line without any checksum is accepted",
        arguments: [
            (#"{"crc32c":"xyz","seq":1}"#, "malformed"),
            (#"{"crc32c":"00000000","crc32c":"00000000","seq":1}"#, "malformed"),
            (#"{"seq":1,"seq":2}"#, "malformed"),
            (#"{"seq":1,"changes":[{"a":1,"a":2}]}"#, "malformed"),
            (#"{"seq":1,"note":"crc32c is mentioned"}"#, "none"),
            (#"{"seq":1,"changes":[{"a":1},{"a":2}]}"#, "none"),
            (#"{"seq":1,"note":"a \"quoted\" \\ key","b":"}"}"#, "none"),
        ])
    func verdicts(line: String, expected: String) {
        let verdict = JournalLineChecksum.verdict(Data(line.utf8))
        switch (verdict, expected) {
        case (.malformed, "malformed"), (.none, "none"): break
        default: Issue.record("\(line): \(verdict)")
        }
    }
}
