import Foundation
import RelinkCommands
import RelinkCore
import RelinkStore

/// Renders results for a person reading a terminal (or a transcript).
struct TextRenderer {
    var style: Style

    func projects(_ views: [ProjectListing]) -> String {
        guard !views.isEmpty else { return "No projects in this store." }
        let headers = ["KEY", "NAME", "STATUS", "WORKSPACE", "APP USER"]
        let rows = views.map { view in
            [
                view.key.rawValue, view.name, "● " + view.indicator.rawValue,
                view.workspace.map { "\($0.name) (\($0.region))" } ?? "—", view.appUser?.email ?? "—",
            ]
        }
        let table = TextTable(headers: headers, rows: rows, columns: [.kept, .shortened, .kept, .shortened])
        return table.render(width: style.width) { row, column, text in
            guard let row else { return style.bold(text) }
            // The dot is painted after the layout: escape codes would upset the column widths.
            guard column == 2, style.colour, text.hasPrefix("●") else { return text }
            return style.dot(views[row].indicator) + text.dropFirst()
        }.joined(separator: "\n")
    }

    func show(_ view: SettingsView, project: Project) -> String {
        var lines: [String] = []
        lines.append(style.bold("\(view.key) · \(view.name)") + style.dim("  (\(project.jiraSite))"))
        lines.append("Intercom integration")
        lines.append("  \(style.indicator(view.indicator))  \(view.headline)")
        func field(_ label: String, _ value: String) {
            lines += wrap(value, first: "  " + Self.padded(label, 16), rest: String(repeating: " ", count: 18))
        }
        if let workspace = view.workspace {
            field("Workspace", "\(workspace.name) (\(workspace.id), \(workspace.region))")
        }
        if let user = view.appUser { field("App user", "\(user.name) <\(user.email)>") }
        if let since = view.since { field("Connected since", Self.time(since)) }
        if let check = view.lastCheck {
            field(
                "Last check",
                Self.time(check.at) + " — " + check.result.rawValue.replacingOccurrences(of: "_", with: " ")
                    + (check.reason.map { ": \($0)" } ?? ""))
        } else if view.state != .notConnected {
            field("Last check", "never")
        }
        if let warning = view.warning {
            lines += wrap(warning, first: "  ⚠ ", rest: "    ").map { style.warning($0) }
        }
        if let notice = view.notice { lines += wrap(notice, first: "  ⓘ ", rest: "    ").map { style.dim($0) } }
        if let held = view.heldWork { field("Outbox", held) }
        field("Actions", view.actions.map(Self.label).joined(separator: " · "))
        lines.append("Settings")
        let settings = project.settings
        let panel = settings.intercomIssuePanel
        let fields = panel.visibleFields
        field(
            "Issue panel",
            (panel.enabled ? "on" : "off") + (panel.allowConversationView ? " (with conversation view)" : "")
                + "; fields: user \(fields.user.count), lead \(fields.lead.count), company \(fields.company.count)")
        let linking = settings.conversationLinking
        let triggers = linking.notificationTriggers
        var rules: [String] = []
        if triggers.issueAssignmentChanged.enabled { rules.append("assignment") }
        if triggers.issueCommented.enabled { rules.append("comment") }
        if triggers.issueTransitioned.enabled {
            rules.append(
                "transition" + (triggers.issueTransitioned.transitions.map { " (\($0.joined(separator: ", ")))" } ?? "")
            )
        }
        field(
            "Linking",
            (linking.enabled ? "on" : "off") + "; notify on "
                + (rules.isEmpty ? "nothing" : rules.joined(separator: ", ")))
        let conversations = project.links.reduce(0) { $0 + $1.count }
        field(
            "Links",
            "\(project.links.count) issue\(project.links.count == 1 ? "" : "s"), \(conversations) conversation\(conversations == 1 ? "" : "s")"
        )
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most the style's width, at word boundaries: the first after `first`,
    /// the others after `rest` (a hanging indent). A word longer than a line stands alone.
    func wrap(_ text: String, first: String, rest: String) -> [String] {
        guard TerminalText.visibleWidth(first + text) > style.width else { return [first + text] }
        // Split at single spaces only, so runs of spaces that align columns stay as they are.
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        var lines: [String] = []
        var current = first
        var empty = true
        for word in words {
            if empty {
                if word.isEmpty { continue }
                current += word
                empty = false
            } else if TerminalText.visibleWidth(current) + 1 + TerminalText.width(word) <= style.width || word.isEmpty {
                current += " " + word
            } else {
                lines.append(current)
                current = rest + word
            }
        }
        lines.append(current)
        return lines
    }

    func events(_ events: [ConnectionEvent]) -> String {
        guard !events.isEmpty else { return "No transitions recorded." }
        return events.map { event in
            let line = "\(Self.time(event.at))  \(Self.padded(event.project.rawValue, 5)) \(event.summary)"
            // The event wraps under its project key; the actor stays dim on the last line.
            return wrap(line + " " + style.dim("by \(event.actor)"), first: "", rest: String(repeating: " ", count: 25))
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }

    func help(_ topic: String?) -> String {
        let formatter = HelpFormatter(width: style.width)
        return topic.map(formatter.topic) ?? formatter.overview()
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TerminalText.width(text)))
    }

    static func label(_ action: SettingsView.Action) -> String { action.label }

    /// `2026-11-29 07:45:12 UTC`: a person reads UTC; JSON carries the full timestamp.
    static func time(_ date: Date) -> String {
        let text = Timestamp.format(date)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }
}
