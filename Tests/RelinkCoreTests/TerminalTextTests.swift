import Foundation
import Testing

@testable import RelinkCore

/// Display width as a terminal counts it (issue 27), and words shortened to fit (issue 28).
@Suite("Text on a terminal")
struct TerminalTextTests {
    @Test(
        "Wide characters and emoji take two columns, combining marks none",
        arguments: [
            ("SUP", 3), ("東京サポート", 12), ("Grüße", 5), ("Gru\u{308}ße", 5), ("😀", 2), ("👍🏽", 2),
            ("👨‍👩‍👧", 2), ("❤️", 2), ("한국어", 6), ("ｆｕｌｌ", 8), ("東京サポート Grüße 😀", 21), ("", 0), ("a\u{200B}b", 2),
            ("🇯🇵", 2), ("\u{1F321}", 1), ("\u{1F54A}", 1), ("\u{1F321}\u{FE0F}", 2),
        ])
    func widths(text: String, columns: Int) {
        #expect(TerminalText.width(text) == columns)
    }

    @Test("A word is shortened to the columns asked for, with an ellipsis, never inside a grapheme")
    func shortening() {
        let long = String(repeating: "A", count: 20_000)
        let short = TerminalText.shortened(long, toColumns: 40)
        #expect(TerminalText.width(short) == 40 && short.hasSuffix("…"))
        #expect(TerminalText.shortened("SUP", toColumns: 40) == "SUP")
        let wide = TerminalText.shortened(String(repeating: "東", count: 50), toColumns: 40)
        #expect(TerminalText.width(wide) <= 40 && wide.hasSuffix("…"))
        let accents = TerminalText.shortened(String(repeating: "e\u{301}", count: 60), toColumns: 10)
        #expect(accents == String(repeating: "e\u{301}", count: 9) + "…")
        #expect(TerminalText.quotedWord(long).count == 42)
    }
}

/// glibc's `wcwidth`, which its headers declare only under _XOPEN_SOURCE, so Swift's Glibc module
/// leaves it out.
@_silgen_name("wcwidth") private func libcWcwidth(_ character: Int32) -> Int32

@Suite("Display width against the C library's wcwidth")
struct WcwidthAgreementTests {
    /// Every assigned, printable, non-combining scalar of the blocks where widths differ (Hangul,
    /// CJK, symbols, emoji), measured by TerminalText and by glibc's `wcwidth` in a UTF-8 locale
    /// (this thread's only). Counted as a terminal counts them, the two must agree.
    @Test func widthsAgreeWithWcwidth() throws {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else {
            Issue.record("no C.UTF-8 locale")
            return
        }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        var compared = 0
        var disagreements: [String] = []
        let blocks: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2300...0x2BFF, 0x2E80...0x33FF, 0x4E00...0x4E80, 0xAC00...0xAC80, 0xFF00...0xFFEF,
            0x1F000...0x1FAFF,
        ]
        for value in blocks.joined() {
            guard let scalar = Unicode.Scalar(value) else { continue }
            switch scalar.properties.generalCategory {
            case .unassigned, .nonspacingMark, .enclosingMark, .format, .control, .privateUse, .surrogate: continue
            default: break
            }
            // Where terminals themselves differ, and so may we: circled numbers on black squares are
            // East Asian Ambiguous (glibc says 2, most terminals 1), and a regional indicator alone
            // (a flag is two of them, one grapheme of two columns, which both count alike).
            if (0x3248...0x324F).contains(value) || (0x1F1E6...0x1F1FF).contains(value) { continue }
            let theirs = Int(libcWcwidth(Int32(bitPattern: value)))
            // -1: a character this C library's tables do not know (newer than its Unicode).
            guard theirs >= 0 else { continue }
            compared += 1
            let ours = TerminalText.width(of: Character(scalar))
            if ours != theirs { disagreements.append(String(format: "U+%04X ours %d wcwidth %d", value, ours, theirs)) }
        }
        #expect(compared > 5_000)
        #expect(disagreements.isEmpty, "\(disagreements.count): \(disagreements.prefix(20).joined(separator: "; "))")
    }
}
