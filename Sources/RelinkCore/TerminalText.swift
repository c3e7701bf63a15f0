/// Text as a terminal lays it out: how many columns it takes, and how to shorten it to a width.
///
/// A terminal gives East Asian wide and fullwidth characters and emoji two columns, and combining
/// marks, variation selectors and joiners none; counting `Character`s instead put a `projects`
/// column seven places off for `東京サポート Grüße 😀`. This is the `wcwidth` of a current
/// terminal, grapheme by grapheme (Unicode's East Asian Width property, wide and fullwidth ranges;
/// `Emoji_Presentation`, or an emoji with VS16), without libc's locale-dependence.
public enum TerminalText {
    /// The columns `text` takes on a terminal.
    public static func width(_ text: some StringProtocol) -> Int {
        // Most text is printable ASCII, a column a byte: no grapheme breaking, no Unicode
        // properties (`projects` lays out every cell of every row).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// The columns one grapheme takes: 0, 1 or 2.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
        if scalars.contains(where: { $0.properties.isEmojiPresentation })
            || (first.properties.isEmoji && scalars.contains { $0.value == 0xFE0F })
        {
            return 2
        }
        var total = 0
        for scalar in scalars { total += width(of: scalar) }
        return min(total, 2)
    }

    /// The columns one scalar takes, alone.
    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if scalar.value == 0x200B || (0xFE00...0xFE0F).contains(scalar.value) { return 0 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) code points, as ranges of EastAsianWidth.txt (made from
    /// Python's `unicodedata` 14.0, unassigned code points joining their neighbours' run, planes 2
    /// and 3 whole as the file's defaults have them). Emoji that Unicode gives a narrow width, such
    /// as U+1F321 🌡 or U+1F54A 🕊 (text presentation by default), are not in it: a terminal
    /// counts them one column, as `wcwidth` does.
    static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        // Binary search: the first range that ends at or after `value`.
        var low = 0
        var high = wideRanges.count
        while low < high {
            let middle = (low + high) / 2
            if wideRanges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low < wideRanges.count && wideRanges[low].contains(value)
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAD9,
        0xFE10...0xFE19, 0xFE30...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x1B2FB, 0x1F004...0x1F004,
        0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F320, 0x1F32D...0x1F335,
        0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
        0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4,
        0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD
    ]

    /// `text` cut to at most `columns` columns, with `…` in place of what was cut, never inside a
    /// grapheme; whole when it fits.
    public static func shortened(_ text: String, toColumns columns: Int) -> String {
        guard width(text) > columns else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let next = width(of: character)
            if used + next > max(columns - 1, 0) { break }
            kept.append(character)
            used += next
        }
        return kept + "…"
    }

    /// A word a person typed, quoted for a message: shortened to about 40 columns, so that an
    /// error about a 20,000-character word still fits a line.
    public static func quotedWord(_ word: String, columns: Int = 40) -> String {
        "\"\(shortened(word, toColumns: columns))\""
    }
}

// MARK: - Laying lines out to a width

extension TerminalText {
    /// The columns `text` takes on a terminal, its colour codes (`ESC [ … m`) taking none.
    public static func visibleWidth(_ text: some StringProtocol) -> Int {
        var total = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                total += width(of: character)
            }
        }
        return total
    }

    /// `text` as words in lines of at most `width` columns.
    ///
    /// Words are split at spaces, but some stay together so that a wrapped line still reads as a
    /// command: a bracketed group (`[--password PW]`) and an option with its value (`--seed 7`).
    /// A unit wider than `width` stands alone on its line rather than being cut: it is usually a
    /// path or a URL, which a person copies whole.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for unit in units(of: text) {
            let unitWidth = visibleWidth(unit)
            if current.isEmpty {
                current = unit
                currentWidth = unitWidth
            } else if currentWidth + 1 + unitWidth <= width {
                current += " " + unit
                currentWidth += 1 + unitWidth
            } else {
                lines.append(current)
                current = unit
                currentWidth = unitWidth
            }
        }
        lines.append(current)
        return lines
    }

    /// Every line of `text` that is wider than `width` wrapped at its words, its continuation lines
    /// indented under its first (two columns deeper than its own indent, or under the command of a
    /// `usage:` line). Lines that fit are left exactly as they are, runs of spaces included.
    public static func fitted(_ text: String, width: Int) -> String {
        guard text.utf8.count > width || text.contains("\n") else { return text }
        var output: [Substring] = []
        var changed = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // No character takes more columns than its UTF-8 bytes: a line of `width` bytes fits
            // without being measured.
            guard line.utf8.count > width, visibleWidth(line) > width else {
                output.append(line)
                continue
            }
            changed = true
            let indent = line.prefix { $0 == " " }
            let body = line.dropFirst(indent.count)
            // A label and its value (`  redirect-url      not set — …`): the value wraps under itself.
            let head: Substring
            let hanging: Int
            if let run = body.range(of: "  "),
                let valueStart = body[run.upperBound...].firstIndex(where: { $0 != " " }),
                visibleWidth(line[..<valueStart]) <= width / 2
            {
                head = line[..<valueStart]
                hanging = visibleWidth(head)
            } else {
                head = indent
                hanging = indent.count + (body.hasPrefix("usage: ") ? 7 : 2)
            }
            let rest = String(line[head.endIndex...])
            var wrapped = wrap(rest, width: width - visibleWidth(head))
            if wrapped.count > 1 {
                // The first line's words set; the rest re-wrap under the hanging indent.
                let more = wrapped.dropFirst().joined(separator: " ")
                wrapped = [wrapped[0]] + wrap(more, width: width - hanging)
            }
            let margin = String(repeating: " ", count: hanging)
            output.append(head + wrapped[0])
            output += wrapped.dropFirst().map { Substring(margin + $0) }
        }
        return changed ? output.joined(separator: "\n") : text
    }

    /// The `[` and `]` a word shows, not counting the `[` of a colour code's `ESC [`.
    static func brackets(in word: Substring) -> (opening: Int, closing: Int) {
        var opening = 0
        var closing = 0
        var afterEscape = false
        for character in word {
            if character == "[", !afterEscape { opening += 1 }
            if character == "]" { closing += 1 }
            afterEscape = character == "\u{1B}"
        }
        return (opening, closing)
    }

    /// The units `wrap` keeps whole: words, with bracketed groups, `--option VALUE` and `old → new` glued.
    static func units(of text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        // A `[` groups only when its `]` comes: text a person typed ("Support [EMEA") must not
        // glue the rest of a line into one unbreakable unit.
        var balance = 0
        var lastBalanced = -1
        for (index, word) in words.enumerated() {
            let (opening, closing) = brackets(in: word)
            balance = max(0, balance + opening - closing)
            if balance == 0 { lastBalanced = index }
        }
        var units: [String] = []
        var depth = 0
        var glueNext = false
        for (index, word) in words.enumerated() {
            let (opening, closing) = index <= lastBalanced ? brackets(in: word) : (0, 0)
            let isOption = word.hasPrefix("--") && word.count > 2 && !word.contains("=")
            if let last = units.last, depth > 0 || word == "→" || (glueNext && !word.hasPrefix("-") && !word.hasPrefix("[")) {
                units[units.count - 1] = last + " " + word
                // A change reads `old → new`: the arrow keeps both sides on its line.
                glueNext = word == "→"
            } else {
                units.append(String(word))
                glueNext = isOption && depth == 0 && opening == 0
            }
            depth = max(0, depth + opening - closing)
        }
        return units
    }
}
