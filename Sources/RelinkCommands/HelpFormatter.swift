import RelinkCore

/// `help` and `help COMMAND` as text laid out for a width, from the table.
public struct HelpFormatter: Sendable {
    /// Columns to lay out for; 80 when not a terminal.
    public var width: Int

    public init(width: Int = 80) {
        self.width = max(40, width)
    }

    /// The groups and their commands' names: a first screen that fits 24 rows, saying where the
    /// rest of the help is.
    public func overview() -> String {
        let column = (CommandTable.groups.map(\.keyword.count).max() ?? 0) + 4
        var lines = Self.wrap(
            "Commands by group: help GROUP lists a group with what each command does, help COMMAND shows "
                + "one in detail, help all lists every command.", width: width)
        lines.append("")
        for group in CommandTable.groups {
            lines += aligned("  " + group.keyword, column: column, items: names(of: group.commands))
        }
        lines.append("")
        lines += Self.wrap(
            "To begin: projects, show SUP, break SUP password-changed, check SUP, reconnect SUP. From the "
                + "shell: relink --help for relink's options, relink mock serve --help for the standalone mock.",
            width: width)
        return lines.joined(separator: "\n")
    }

    /// Commands' names, those of one parent joined (`mock fault add|list|clear`).
    func names(of commands: [CommandSpec]) -> [String] {
        var entries: [(parent: [String], leaves: [String])] = []
        for spec in commands {
            let parent = Array(spec.words.dropLast())
            if spec.words.count > 2, let last = entries.last, last.parent == parent {
                entries[entries.count - 1].leaves.append(spec.words.last!)
            } else {
                entries.append((spec.words.count > 2 ? parent : spec.words, spec.words.count > 2 ? [spec.words.last!] : []))
            }
        }
        return entries.map { entry in
            (entry.parent + (entry.leaves.isEmpty ? [] : [entry.leaves.joined(separator: "|")])).joined(separator: " ")
        }
    }

    /// Every command of `commands`: its name and summary, the summaries aligned and wrapped.
    func list(_ commands: [CommandSpec], heading: String) -> [String] {
        let names = commands.map(\.name)
        let column = min((names.map(\.count).max() ?? 0) + 4, width / 2)
        var lines = [heading]
        for spec in commands {
            lines += aligned("  " + spec.name, column: column, text: spec.summary)
        }
        return lines
    }

    /// `label` then `items`, comma-separated, wrapped in a column between items only, so that a
    /// command's name (`mock fault add`) is never split.
    func aligned(_ label: String, column: Int, items: [String]) -> [String] {
        var wrapped = [""]
        for (index, item) in items.enumerated() {
            let piece = item + (index < items.count - 1 ? "," : "")
            let line = wrapped[wrapped.count - 1]
            if line.isEmpty {
                wrapped[wrapped.count - 1] = piece
            } else if line.count + 1 + piece.count <= width - column {
                wrapped[wrapped.count - 1] = line + " " + piece
            } else {
                wrapped.append(piece)
            }
        }
        return aligned(label, column: column, wrapped: wrapped)
    }

    /// `label` then `text` wrapped in a column; `text` starts on the next line when `label` is too wide.
    func aligned(_ label: String, column: Int, text: String) -> [String] {
        aligned(label, column: column, wrapped: Self.wrap(text, width: width - column))
    }

    func aligned(_ label: String, column: Int, wrapped: [String]) -> [String] {
        let margin = String(repeating: " ", count: column)
        var lines: [String] = []
        if label.count + 2 <= column {
            lines.append(label + String(repeating: " ", count: column - label.count) + wrapped[0])
        } else {
            lines.append(label)
            lines.append(margin + wrapped[0])
        }
        return lines + wrapped.dropFirst().map { margin + $0 }
    }

    /// A group of commands (`help mock`), every command (`help all`), or one command, or every
    /// command under a name (`help mock fault`): usage, what it does, its options.
    public func topic(_ name: String) -> String {
        if name == "all" {
            return list(CommandTable.all, heading: "Every command (help COMMAND for one in detail):").joined(
                separator: "\n")
        }
        if name == "mock serve" {
            // Not a REPL command: `relink help mock serve` reaches here from the shell.
            return Self.wrap(
                "mock serve is run from the shell, not the REPL: relink mock serve [--port N] [--host H] "
                    + "[--store DIR] serves the mock Intercom as a standalone server and prints its base URL; "
                    + "relink mock serve --help lists its options.", width: width
            ).joined(separator: "\n")
        }
        if let group = CommandTable.groups.first(where: { $0.keyword == name }) {
            var lines = list(group.commands, heading: "\(group.title) (help COMMAND for one in detail):")
            if group.keyword == "mock" {
                lines.append("")
                lines += Self.wrap(
                    "From the shell, relink mock serve runs the mock as a standalone server on its own port "
                        + "(relink mock serve --help).", width: width)
            }
            return lines.joined(separator: "\n")
        }
        return CommandTable.entries(under: name).map(detail).joined(separator: "\n\n")
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
            // An example that wraps is still one command: its continuation sits two columns deeper.
            lines += spec.examples.flatMap { example in
                let first = Self.wrap(example, width: width - 4)
                guard first.count > 1 else { return ["    " + example] }
                let rest = Self.wrap(first.dropFirst().joined(separator: " "), width: width - 6)
                return ["    " + first[0]] + rest.map { "      " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Words into lines of at most `width` columns; a word longer than that stands alone, and an
    /// option stays with its value (``TerminalText/wrap(_:width:)``).
    public static func wrap(_ text: String, width: Int) -> [String] {
        TerminalText.wrap(text, width: width)
    }
}
