import Foundation
import RelinkCommands
import RelinkCore
import RelinkStore

/// Renders results for a person reading a terminal (or a transcript).
struct TextRenderer {
    var style: Style

    func projects(_ views: [SettingsView]) -> String {
        guard !views.isEmpty else { return "No projects in this store." }
        let headers = ["KEY", "NAME", "STATUS", "WORKSPACE", "APP USER"]
        let rows = views.map { view in
            [
                view.key.rawValue, view.name, "● " + view.indicator.rawValue,
                view.workspace.map { "\($0.name) (\($0.region))" } ?? "—", view.appUser?.email ?? "—",
            ]
        }
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String], indicator: Indicator? = nil) -> String {
            var text = ""
            for (i, cell) in cells.enumerated() {
                if i > 0 { text += "  " }
                // Pad first, colour after: escape codes would upset the column widths.
                if i == 2, let indicator, style.colour {
                    text += style.dot(indicator) + cell.dropFirst()
                } else {
                    text += cell
                }
                if i < cells.count - 1 { text += String(repeating: " ", count: widths[i] - cell.count) }
            }
            return text
        }
        var lines = [style.bold(line(headers))]
        lines.reserveCapacity(rows.count + 1)
        for (row, view) in zip(rows, views) { lines.append(line(row, indicator: view.indicator)) }
        return lines.joined(separator: "\n")
    }

    func show(_ view: SettingsView, project: Project) -> String {
        var lines: [String] = []
        lines.append(style.bold("\(view.key) · \(view.name)") + style.dim("  (\(project.jiraSite))"))
        lines.append("Intercom integration")
        lines.append("  \(style.indicator(view.indicator))  \(view.headline)")
        func field(_ label: String, _ value: String) { lines.append("  " + Self.padded(label, 16) + value) }
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
        if let warning = view.warning { lines.append("  " + style.warning("⚠ " + warning)) }
        if let notice = view.notice { lines.append("  " + style.dim("ⓘ " + notice)) }
        field("Actions", view.actions.map(Self.label).joined(separator: " · "))
        lines.append("Settings")
        let settings = project.settings
        let panel = settings.intercomIssuePanel
        let fields = panel.visibleFields
        field(
            "Issue panel",
            (panel.enabled ? "on" : "off") + (panel.allowConversationView ? ", conversation view allowed" : "")
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

    func events(_ events: [ConnectionEvent]) -> String {
        guard !events.isEmpty else { return "No transitions recorded." }
        return events.map { event in
            var line =
                "\(Self.time(event.at))  \(Self.padded(event.project.rawValue, 5)) "
                + "\(event.kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(event.from.rawValue) → \(event.to.rawValue)"
            if let cause = event.cause { line += ", cause \(cause)" }
            if let causes = event.possibleCauses {
                line += ", causes that fit: \(causes.map(\.rawValue).joined(separator: ", "))"
            }
            if let evidence = event.evidence { line += ", Intercom answered \(evidence.summary)" }
            if let user = event.appUser {
                switch event.kind {
                case .broken, .recovered: break
                case .revoked: line += ", app user was \(user.email)"
                default: line += ", as \(user.email)"
                }
            }
            if let detail = event.detail { line += "; \(detail)" }
            return line + style.dim("  by \(event.actor)")
        }.joined(separator: "\n")
    }

    func help(_ topic: String?) -> String {
        let formatter = HelpFormatter(width: 80)
        return topic.map(formatter.topic) ?? formatter.overview()
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func label(_ action: SettingsView.Action) -> String {
        switch action {
        case .connect: "Connect"
        case .check: "Check"
        case .revoke: "Revoke"
        case .reconnect: "Reconnect"
        case .changeAppUser: "Change app user"
        }
    }

    /// `2026-11-29 07:45:12 UTC`: a person reads UTC; JSON carries the full timestamp.
    static func time(_ date: Date) -> String {
        let text = Timestamp.format(date)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }
}
