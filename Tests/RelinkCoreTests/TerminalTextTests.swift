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
