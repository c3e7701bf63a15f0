import RelinkCore

/// Rows under headers, laid out for a terminal's width by cell, never by the terminal.
///
/// Columns are as wide as their widest cell, measured in display columns (`東京` takes four). When
/// the table is wider than the width, columns give way in an order that keeps what a person copies:
/// first the last column, whose cells wrap at their words onto lines of their own under it (never
/// narrower than its longest word, so a URL is not cut); then the columns of names, whose cells
/// are shortened with `…`; then the last column again, down to a few words; identifiers (keys,
/// ids, emails) only when nothing else is left.
struct TextTable {
    /// How a column gives way when the table is too wide.
    enum Column {
        /// Names and free text: shortened with `…`.
        case shortened
        /// Identifiers a person copies: shortened only when nothing else can give.
        case kept
    }

    var headers: [String]
    var rows: [[String]]
    /// How each column but the last gives way (the last always wraps); `.shortened` when not given.
    var columns: [Column] = []
    /// Spaces before every line.
    var indent = 0
    /// Spaces between columns.
    var gap = 2

    /// The table as lines of at most `width` columns (when the headers alone fit).
    ///
    /// - Parameter paint: decorates a cell's visible text after it is laid out (colour, bold), so
    ///   that escape codes never count as width. Row `nil` is the header.
    func render(width: Int, paint: (_ row: Int?, _ column: Int, _ text: String) -> String = { $2 }) -> [String] {
        let columns = headers.count
        let last = columns - 1
        var widths = headers.map { TerminalText.width($0) }
        var longestWord = 0
        for row in rows {
            for (column, cell) in row.enumerated() where column < columns {
                widths[column] = max(widths[column], TerminalText.width(cell))
                if column == last {
                    for word in cell.split(separator: " ") { longestWord = max(longestWord, TerminalText.width(word)) }
                }
            }
        }
        let available = width - indent - gap * (columns - 1)
        func policy(_ column: Int) -> Column { column < self.columns.count ? self.columns[column] : .shortened }
        let named = (0..<last).filter { policy($0) == .shortened }
        let kept = (0..<last).filter { policy($0) == .kept }
        let headerFloor = headers.map { TerminalText.width($0) }
        let phases: [(columns: [Int], floor: (Int) -> Int)] = [
            ([last], { _ in max(headerFloor[last], longestWord, 24) }),
            (named, { max(headerFloor[$0], 8) }),
            ([last], { _ in 12 }),
            (kept, { headerFloor[$0] }),
        ]
        for phase in phases {
            while widths.reduce(0, +) > available {
                // Take a column from the widest of the phase that can still give.
                guard
                    let widest = phase.columns.filter({ widths[$0] > phase.floor($0) })
                        .max(by: { widths[$0] < widths[$1] })
                else { break }
                widths[widest] -= 1
            }
        }
        let margin = String(repeating: " ", count: indent)
        func lines(_ cells: [String], row: Int?) -> [String] {
            var first = margin
            var continuation: [String] = []
            for column in 0..<columns {
                let cell = column < cells.count ? cells[column] : ""
                if column == last {
                    let wrapped =
                        TerminalText.width(cell) <= widths[column]
                        ? [cell]
                        : TerminalText.wrap(cell, width: widths[column]).flatMap {
                            // A single word wider than the column is shortened, not left to overflow.
                            TerminalText.width($0) > widths[column]
                                ? [TerminalText.shortened($0, toColumns: widths[column])] : [$0]
                        }
                    first += paint(row, column, wrapped[0])
                    let lead = String(repeating: " ", count: indent + widths.dropLast().reduce(0, +) + gap * (columns - 1))
                    continuation = wrapped.dropFirst().map { lead + paint(row, column, $0) }
                } else {
                    let shown = TerminalText.shortened(cell, toColumns: widths[column])
                    let padding = String(repeating: " ", count: max(0, widths[column] - TerminalText.width(shown)))
                    first += paint(row, column, shown) + padding + String(repeating: " ", count: gap)
                }
            }
            return [first] + continuation
        }
        var output = lines(headers, row: nil)
        output.reserveCapacity(rows.count + 1)
        for (index, row) in rows.enumerated() { output += lines(row, row: index) }
        return output
    }
}
