import Foundation
import RelinkCore
import RelinkStore

/// What every page knows besides the records it shows.
struct PageContext: Sendable {
    /// The per-process token every POST must carry (never a secret of the store).
    var token: String
    /// Why the store cannot be written, when it cannot: then the page offers no action.
    var readOnlyReason: String?
    var isRealAPI: Bool
    var intercomDescription: String
    var storePath: String
}

/// Renders the pages as HTML: the projects list, one project's "Intercom integration" section
/// from the same `SettingsView` `show` prints, and its timeline in `log`'s words.
enum PageRenderer {
    // MARK: Documents

    /// A whole page around `content`; the script swaps `content` for a fresh fragment on change.
    static func document(
        title: String, content: String, fragmentURL: String, project: ProjectKey?, context: PageContext
    )
        -> String
    {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="relink-token" content="\(HTML.escape(context.token))">
        <title>\(HTML.escape(title)) · relink</title>
        <link rel="stylesheet" href="/assets/page.css">
        <script src="/assets/page.js" defer></script>
        </head>
        <body data-live="off">
        <header class="topbar"><a class="brand" href="/">relink</a><span class="where">Jira · Project settings · Apps</span>\
        <span class="live" id="live" title="Live updates from the store">● live</span></header>
        <div id="flash" class="flash" role="status" aria-live="polite" hidden></div>
        <main id="content" data-fragment="\(HTML.escape(fragmentURL))" data-project="\(HTML.escape(project?.rawValue ?? ""))">
        \(content)
        </main>
        <footer class="footer">Store \(HTML.escape(context.storePath)) · Intercom: \(HTML.escape(context.intercomDescription))\
        \(context.readOnlyReason.map { " · <strong>read-only</strong>: " + HTML.escape($0) } ?? "")</footer>
        </body>
        </html>
        """
    }

    // MARK: The projects list

    /// The list's query: a filter on key, name, workspace and app user, an indicator, a page.
    struct ListQuery: Equatable, Sendable {
        var text = ""
        var indicator: Indicator?
        var page = 1
        static let pageSize = 50

        func matches(_ listing: ProjectListing) -> Bool {
            if let indicator, listing.indicator != indicator { return false }
            guard !text.isEmpty else { return true }
            let fields = [
                listing.key.rawValue, listing.name, listing.workspace?.name ?? "", listing.workspace?.id ?? "",
                listing.appUser?.email ?? "", listing.appUser?.name ?? "",
            ]
            return fields.contains { $0.range(of: text, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
        }

        /// `?q=…&indicator=…&page=N`, without the parts at their defaults.
        func queryString(page: Int? = nil) -> String {
            var parts: [String] = []
            if !text.isEmpty { parts.append("q=" + HTML.component(text)) }
            if let indicator { parts.append("indicator=" + indicator.rawValue) }
            let page = page ?? self.page
            if page > 1 { parts.append("page=\(page)") }
            return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
        }
    }

    static func projectList(_ listings: [ProjectListing], query: ListQuery) -> String {
        var counts: [Indicator: Int] = [:]
        for listing in listings { counts[listing.indicator, default: 0] += 1 }
        let matching = listings.filter(query.matches)
        let pages = max(1, (matching.count + ListQuery.pageSize - 1) / ListQuery.pageSize)
        let page = min(max(1, query.page), pages)
        let shown = matching.dropFirst((page - 1) * ListQuery.pageSize).prefix(ListQuery.pageSize)
        var html = "<h1>Projects</h1>\n"
        html +=
            "<p class=\"summary\">\(listings.count) project\(listings.count == 1 ? "" : "s"): "
            + [Indicator.green, .yellow, .grey].map { "\(indicatorBadge($0)) \(counts[$0, default: 0])" }.joined(
                separator: " · ") + "</p>\n"
        html += """
            <form class="filter" method="get" action="/" role="search">
            <label>Filter <input type="search" name="q" value="\(HTML.escape(query.text))" placeholder="key, name, workspace or app user"></label>
            <label>Status <select name="indicator"><option value="">any</option>\
            \([Indicator.green, .yellow, .grey].map { "<option value=\"\($0.rawValue)\"\(query.indicator == $0 ? " selected" : "")>\($0.rawValue)</option>" }.joined())\
            </select></label>
            <button type="submit">Show</button>
            </form>

            """
        guard !matching.isEmpty else {
            return html
                + "<p class=\"empty\">\(listings.isEmpty ? "No projects in this store." : "No project matches.")</p>"
        }
        html +=
            "<table class=\"projects\">\n<thead><tr><th>Key</th><th>Name</th><th>Status</th><th>Workspace</th><th>App user</th></tr></thead>\n<tbody>\n"
        for listing in shown {
            let key = HTML.escape(listing.key.rawValue)
            html +=
                "<tr data-key=\"\(key)\"><td><a href=\"/projects/\(HTML.component(listing.key.rawValue))\">\(key)</a></td>"
                + "<td>\(HTML.escape(listing.name))</td><td>\(indicatorBadge(listing.indicator))</td>"
                + "<td>\(listing.workspace.map { HTML.escape("\($0.name) (\($0.region))") } ?? "—")</td>"
                + "<td>\(listing.appUser.map { HTML.escape($0.email) } ?? "—")</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        html += "<nav class=\"pager\" aria-label=\"Pages\">"
        html += "<span>Showing \(shown.startIndex + 1)–\(shown.startIndex + shown.count) of \(matching.count)</span>"
        if page > 1 { html += " <a rel=\"prev\" href=\"/\(query.queryString(page: page - 1))\">← Previous</a>" }
        html += " <span>Page \(page) of \(pages)</span>"
        if page < pages { html += " <a rel=\"next\" href=\"/\(query.queryString(page: page + 1))\">Next →</a>" }
        html += "</nav>\n"
        return html
    }

    // MARK: One project

    static func projectSection(
        view: SettingsView, project: Project, events: [ConnectionEvent], context: PageContext
    ) -> String {
        let key = HTML.escape(view.key.rawValue)
        var html = """
            <nav class="crumbs"><a href="/">Projects</a> › \(key)</nav>
            <h1>\(key) · \(HTML.escape(view.name)) <span class="site">(\(HTML.escape(project.jiraSite)))</span></h1>
            <section class="integration" data-indicator="\(view.indicator.rawValue)" data-state="\(view.state.rawValue)" aria-labelledby="integration-title">
            <h2 id="integration-title">Intercom integration</h2>
            <p class="status">\(indicatorBadge(view.indicator)) <span class="headline">\(HTML.escape(view.headline))</span></p>

            """
        if let warning = view.warning {
            html +=
                "<div class=\"warning\" role=\"alert\"><span aria-hidden=\"true\">⚠</span> <span class=\"warning-text\">\(HTML.escape(warning))</span></div>\n"
        }
        if let notice = view.notice {
            html += "<div class=\"notice\"><span aria-hidden=\"true\">ⓘ</span> \(HTML.escape(notice))</div>\n"
        }
        html += "<dl class=\"fields\">\n"
        func field(_ label: String, _ value: String, raw: Bool = false) {
            html += "<dt>\(HTML.escape(label))</dt><dd>\(raw ? value : HTML.escape(value))</dd>\n"
        }
        if let workspace = view.workspace {
            field("Workspace", "\(workspace.name) (\(workspace.id), \(workspace.region))")
        }
        if let user = view.appUser { field("App user", "\(user.name) <\(user.email)>") }
        if let since = view.since { field("Connected since", time(since)) }
        if let check = view.lastCheck {
            field(
                "Last check",
                time(check.at) + " — " + check.result.rawValue.replacingOccurrences(of: "_", with: " ")
                    + (check.reason.map { ": \($0)" } ?? ""))
        } else if view.state != .notConnected {
            field("Last check", "never")
        }
        if let held = view.heldWork { field("Outbox", held) }
        field("Actions", view.actions.map(\.label).joined(separator: " · "))
        html += "</dl>\n"
        html += actions(view: view, context: context)
        html += "</section>\n"
        html += settings(project.settings)
        html += linksAndOutbox(project: project, view: view)
        html += timeline(events)
        return html
    }

    /// Reconnect as a button, Revoke in the "⋯" menu, as the app's settings section has them.
    static func actions(view: SettingsView, context: PageContext) -> String {
        let key = view.key
        if let reason = context.readOnlyReason {
            return
                "<p class=\"readonly\">Read-only: \(HTML.escape(reason)), so no action is offered.</p>\n"
        }
        let offered = PageAction.offered(for: view, realAPI: context.isRealAPI)
        func form(_ action: PageAction, _ label: String, _ classes: String) -> String {
            """
            <form class="action" method="post" action="/projects/\(HTML.component(key.rawValue))/actions/\(action.name)">\
            <input type="hidden" name="token" value="\(HTML.escape(context.token))">\
            <button type="submit" class="\(classes)" data-action="\(action.name)">\(HTML.escape(label))</button></form>
            """
        }
        var html = "<div class=\"actions\">\n"
        if offered.contains(.reconnect) { html += form(.reconnect, "Reconnect", "primary") }
        if offered.contains(.check) { html += form(.check, "Check", "secondary") }
        let menu = offered.filter { if case .simulate = $0 { true } else { $0 == .revoke } }
        if !menu.isEmpty {
            html +=
                "<details class=\"menu\"><summary aria-label=\"More actions\" title=\"More actions\">⋯</summary><div class=\"menu-items\">\n"
            if menu.contains(.revoke) { html += form(.revoke, "Revoke connection", "danger") }
            let simulations = menu.compactMap { if case .simulate(let cause) = $0 { cause } else { nil } }
            if !simulations.isEmpty {
                html += "<p class=\"menu-heading\">Simulate on the mock (not a real break)</p>\n"
                for cause in simulations { html += form(.simulate(cause), "Simulate \(cause.rawValue)", "simulation") }
            }
            html += "</div></details>\n"
        }
        html += "</div>\n"
        var notes: [String] = []
        if view.actions.contains(.reconnect), context.isRealAPI {
            notes.append(
                "Reconnect needs the app user to authorize at Intercom and paste back where it redirected: "
                    + "finish it in a terminal with <code>relink reconnect \(HTML.escape(key.rawValue))</code>.")
        }
        if view.actions.contains(.connect) {
            notes.append(
                "Connect in the REPL as the teammate who becomes the app user: "
                    + "<code>connect \(HTML.escape(key.rawValue)) --as EMAIL</code>.")
        }
        if view.actions.contains(.changeAppUser) {
            notes.append(
                "Change app user in the REPL: <code>app-user \(HTML.escape(key.rawValue)) --as EMAIL</code>.")
        }
        for note in notes { html += "<p class=\"hint\">\(note)</p>\n" }
        return html
    }

    static func settings(_ settings: ConnectionConfiguration) -> String {
        let panel = settings.intercomIssuePanel
        let fields = panel.visibleFields
        let linking = settings.conversationLinking
        let triggers = linking.notificationTriggers
        func onOff(_ value: Bool) -> String { value ? "on" : "off" }
        func trigger(_ name: String, _ enabled: Bool, _ reopen: Bool, extra: String = "") -> String {
            "<tr><td>\(name)</td><td>\(onOff(enabled))</td><td>\(reopen ? "yes" : "no")</td><td>\(extra)</td></tr>"
        }
        let transitions =
            triggers.issueTransitioned.transitions.map { HTML.escape($0.joined(separator: ", ")) } ?? "any"
        return """
            <section class="settings"><h2>Settings</h2>
            <dl class="fields">
            <dt>Issue panel</dt><dd>\(onOff(panel.enabled))\(panel.allowConversationView ? " (with conversation view)" : "")</dd>
            <dt>Visible fields</dt><dd>user: \(HTML.escape(fields.user.joined(separator: ", ")))<br>lead: \(HTML.escape(fields.lead.joined(separator: ", ")))<br>company: \(HTML.escape(fields.company.joined(separator: ", ")))</dd>
            <dt>Conversation linking</dt><dd>\(onOff(linking.enabled))\(linking.unassignOnOpen ? "; unassign on open" : "")</dd>
            </dl>
            <table class="triggers"><thead><tr><th>Notify on</th><th>Enabled</th><th>Reopen conversations</th><th></th></tr></thead><tbody>
            \(trigger("Assignment changed", triggers.issueAssignmentChanged.enabled, triggers.issueAssignmentChanged.reopenConversations))
            \(trigger("Commented", triggers.issueCommented.enabled, triggers.issueCommented.reopenConversations, extra: triggers.issueCommented.filterEnabled == true ? "only comments tagged #intercom" : ""))
            \(trigger("Transitioned", triggers.issueTransitioned.enabled, triggers.issueTransitioned.reopenConversations, extra: "to: " + transitions))
            </tbody></table>
            </section>

            """
    }

    static func linksAndOutbox(project: Project, view: SettingsView) -> String {
        var html = "<section class=\"links\"><h2>Linked conversations</h2>\n"
        if project.links.isEmpty {
            html += "<p class=\"empty\">No linked conversations.</p>\n"
        } else {
            html += "<table><thead><tr><th>Issue</th><th>Conversations</th></tr></thead><tbody>\n"
            for link in project.links {
                html +=
                    "<tr><td>\(HTML.escape(link.issueKey))</td><td>\(HTML.escape(link.conversationIds.joined(separator: ", ")))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "<h2>Outbox</h2>\n"
        if project.outbox.isEmpty {
            html += "<p class=\"empty\">Nothing held.</p>\n"
        } else {
            if let held = view.heldWork { html += "<p>\(HTML.escape(held))</p>\n" }
            html +=
                "<table><thead><tr><th>Id</th><th>Issue</th><th>Conversation</th><th>Note</th><th>Why it waits</th></tr></thead><tbody>\n"
            for item in project.outbox {
                html +=
                    "<tr><td>\(HTML.escape(item.id))</td><td>\(HTML.escape(item.issueKey))</td><td>\(HTML.escape(item.conversationID))</td>"
                    + "<td>\(HTML.escape(item.note))</td><td>\(HTML.escape(item.held ?? "waiting for the connection (\(view.state.rawValue.replacingOccurrences(of: "_", with: " ")))"))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        return html + "</section>\n"
    }

    /// The project's events as `log KEY` lists them, oldest first.
    static func timeline(_ events: [ConnectionEvent]) -> String {
        var html = "<section class=\"timeline\"><h2>Timeline</h2>\n"
        guard !events.isEmpty else { return html + "<p class=\"empty\">No transitions recorded.</p></section>\n" }
        html += "<ol class=\"events\">\n"
        for event in events {
            html +=
                "<li data-kind=\"\(HTML.escape(event.kind.rawValue))\"><time>\(time(event.at))</time> "
                + "<span class=\"event\">\(HTML.escape(event.summary))</span> <span class=\"actor\">by \(HTML.escape(event.actor))</span></li>\n"
        }
        return html + "</ol></section>\n"
    }

    // MARK: Pieces

    /// The indicator and its word: never colour alone.
    static func indicatorBadge(_ indicator: Indicator) -> String {
        "<span class=\"indicator \(indicator.rawValue)\"><span class=\"dot\" aria-hidden=\"true\">●</span> \(indicator.rawValue)</span>"
    }

    /// `2026-11-29 07:45:12 UTC`, as `show` and `log` print times.
    static func time(_ date: Date) -> String {
        let text = Timestamp.format(date)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }
}
