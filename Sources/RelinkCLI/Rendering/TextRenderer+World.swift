import Foundation
import IntercomMockWorld
import RelinkCore

/// `world` as tables a person can read: workspaces; teammates with their memberships; tokens with
/// the project that holds each, alive or dead and why.
extension TextRenderer {
    func world(_ world: RedactedWorld, holders: [String: ProjectKey]) -> String {
        var sections = [style.bold("Workspaces")]
        sections.append(
            Self.table(
                ["ID", "NAME", "REGION", "TIMEZONE", "PLAN"],
                world.workspaces.map {
                    // The world settings that refuse the API: the plan, and the IP allowlist.
                    let refusals = [
                        $0.isPlanRestricted ? "restricted: the API answers 403 api_plan_restricted" : nil,
                        $0.refusesCallerAddress ? "IP allowlist refuses this machine: 403" : nil,
                    ].compactMap { $0 }
                    return [
                        $0.idCode, $0.name, $0.region.rawValue, $0.timezone,
                        refusals.isEmpty ? "—" : refusals.joined(separator: "; "),
                    ]
                }, empty: "none"))
        sections.append(style.bold("Teammates"))
        sections.append(
            Self.table(
                ["EMAIL", "NAME", "ID", "MEMBER OF", "REMOVED FROM", "PERMISSION WITHDRAWN IN"],
                world.teammates.map {
                    [
                        $0.email, $0.name, $0.id, Self.list($0.workspaces), Self.list($0.removedFrom),
                        Self.list($0.permissionWithdrawnIn ?? []),
                    ]
                }, empty: "none"))
        sections.append(style.bold("Apps"))
        sections.append(
            Self.table(
                ["CLIENT ID", "NAME", "KIND", "REDIRECT URLS"],
                world.apps.map {
                    [
                        $0.clientId, $0.name, $0.development == true ? "development" : "production",
                        Self.list($0.redirectUris),
                    ]
                }, empty: "none"))
        sections.append(style.bold("Tokens") + style.dim(" (ids only; values are never shown)"))
        let shown = world.tokens.suffix(Self.tokenRows)
        sections.append(
            Self.table(
                ["TOKEN", "HELD BY", "TEAMMATE", "WORKSPACE", "STATE"],
                shown.map { token in
                    [
                        token.id, holders[token.id]?.rawValue ?? "—", token.teammate, token.workspace,
                        Self.tokenState(token, held: holders[token.id] != nil),
                    ]
                }, empty: "none"))
        if world.tokens.count > shown.count {
            sections.append("  … and \(world.tokens.count - shown.count) older (world --json lists them all)")
        }
        let limits = world.rateLimit
        sections.append(style.bold("Rate limits") + style.dim(" (as Intercom counts them)"))
        sections.append(
            "  \(limits.appLimitPerMinute) a minute per app, \(limits.workspaceLimitPerMinute) per workspace, "
                + "in \(limits.windowSeconds)-s windows: \(limits.appLimitPerWindow) and "
                + "\(limits.workspaceLimitPerWindow) per window")
        return sections.joined(separator: "\n")
    }

    /// The newest tokens shown; a large world has thousands.
    static let tokenRows = 50

    static func tokenState(_ token: RedactedWorld.Token, held: Bool) -> String {
        if token.status == "alive" {
            let base = token.permissionMissing ? "alive, permission missing (401 on /conversations)" : "alive"
            // Revoke and app-user forget the old token without killing it in Intercom.
            return held
                ? base
                : base + "; no project holds it (relink forgot it on revoke, app-user or project remove; not a leak)"
        }
        guard let cause = token.cause else { return "dead" }
        let at = token.killedAt.map { " at " + Self.time($0) } ?? ""
        return "dead: \(cause.rawValue)" + (token.causeGuessed == true ? " (guessed on import)" : " (simulated)") + at
    }

    static func list(_ items: [String]) -> String { items.isEmpty ? "—" : items.joined(separator: ", ") }

    /// Rows under headers, each column as wide as its widest cell, indented by two spaces.
    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "  " + empty }
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var text = "  "
            for (i, cell) in cells.enumerated() {
                text += cell
                if i < cells.count - 1 { text += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
