/// `help` and `help COMMAND` as text laid out for a width, from the table.
public struct HelpFormatter: Sendable {
    /// Columns to lay out for; 80 when not a terminal.
    public var width: Int

    public init(width: Int = 80) {
        self.width = max(40, width)
    }

    /// Every command: its name and summary, the summaries aligned and wrapped.
    public func overview() -> String {
        let names = CommandTable.all.map(\.name)
        let column = min((names.map(\.count).max() ?? 0) + 4, width / 2)
        var lines = ["Commands (help COMMAND for one in detail):"]
        for spec in CommandTable.all {
            let name = "  " + spec.name
            let padded = name.count + 2 <= column ? name + String(repeating: " ", count: column - name.count) : nil
            let wrapped = Self.wrap(spec.summary, width: width - column)
            if let padded {
                lines.append(padded + wrapped[0])
            } else {
                lines.append(name)
                lines.append(String(repeating: " ", count: column) + wrapped[0])
            }
            lines += wrapped.dropFirst().map { String(repeating: " ", count: column) + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// One command, or every command of a group (`help mock`): usage, what it does, its options.
    public func topic(_ name: String) -> String {
        CommandTable.entries(under: name).map(detail).joined(separator: "\n\n")
    }

    func detail(_ spec: CommandSpec) -> String {
        var lines = Self.wrap(spec.synopsis, width: width - 7).enumerated().map { index, line in
            (index == 0 ? "usage: " : "       ") + line
        }
        lines += Self.wrap(spec.summary, width: width - 2).map { "  " + $0 }
        if !spec.details.isEmpty {
            lines.append("")
            lines += Self.wrap(spec.details, width: width - 2).map { "  " + $0 }
        }
        if !spec.options.isEmpty {
            lines.append("")
            let labels = spec.options.map { option in option.placeholder.map { "\(option.name) \($0)" } ?? option.name }
            let column = min((labels.map(\.count).max() ?? 0) + 6, width / 2)
            for (label, option) in zip(labels, spec.options) {
                let wrapped = Self.wrap(option.help, width: width - column)
                let head = "  " + label
                if head.count + 2 <= column {
                    lines.append(head + String(repeating: " ", count: column - head.count) + wrapped[0])
                } else {
                    lines.append(head)
                    lines.append(String(repeating: " ", count: column) + wrapped[0])
                }
                lines += wrapped.dropFirst().map { String(repeating: " ", count: column) + $0 }
            }
        }
        if !spec.examples.isEmpty {
            lines.append("")
            lines.append("  for example:")
            lines += spec.examples.flatMap { Self.wrap($0, width: width - 4).map { "    " + $0 } }
        }
        return lines.joined(separator: "\n")
    }

    /// Words into lines of at most `width` characters; a word longer than that stands alone.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }
}
