import Foundation
import IntercomMockWorld
import RelinkCore

/// `world` as tables a person can read: workspaces; teammates with their memberships; tokens with
/// the project that holds each, alive or dead and why.
extension TextRenderer {
    func world(_ world: RedactedWorld, holders: [String: ProjectKey]) -> String {
        var sections = [style.bold("Workspaces")]
        sections.append(
            table(
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
                }, columns: [.kept, .shortened, .kept, .kept], empty: "none"))
        sections.append(style.bold("Teammates"))
        sections.append(
            table(
                ["EMAIL", "NAME", "ID", "MEMBER OF", "CHANGES"],
                world.teammates.map {
                    [$0.email, $0.name, $0.id, Self.list($0.workspaces), Self.changes(of: $0)]
                }, columns: [.kept, .shortened, .kept, .kept], empty: "none"))
        sections.append(style.bold("Apps"))
        sections.append(
            table(
                ["CLIENT ID", "NAME", "KIND", "REDIRECT URLS"],
                world.apps.map {
                    [
                        $0.clientId, $0.name, $0.development == true ? "development" : "production",
                        Self.list($0.redirectUris),
                    ]
                }, columns: [.kept, .shortened, .kept], empty: "none"))
        sections.append(style.bold("Tokens") + style.dim(" (ids only; values are never shown)"))
        let shown = world.tokens.suffix(Self.tokenRows)
        sections.append(
            table(
                ["TOKEN", "HELD BY", "TEAMMATE", "WORKSPACE", "STATE"],
                shown.map { token in
                    [
                        token.id, holders[token.id]?.rawValue ?? "—", token.teammate, token.workspace,
                        Self.tokenState(token, held: holders[token.id] != nil),
                    ]
                    // The teammate gives way first: the Teammates table above names them whole.
                }, columns: [.kept, .kept, .shortened, .kept], empty: "none"))
        if shown.contains(where: { $0.status == "alive" && holders[$0.id] == nil }) {
            sections += wrap(
                "A token no project holds is one relink no longer keeps: forgotten on revoke, app-user or "
                    + "project remove, or minted for a reconnect that was then refused. The mock still accepts "
                    + "it, as Intercom would. Not a leak.", first: "  ", rest: "  ")
        }
        if world.tokens.count > shown.count {
            sections.append("  … and \(world.tokens.count - shown.count) older (world --json lists them all)")
        }
        let limits = world.rateLimit
        sections.append(style.bold("Rate limits") + style.dim(" (as Intercom counts them)"))
        sections += wrap(
            "\(limits.appLimitPerMinute) a minute per app, \(limits.workspaceLimitPerMinute) per workspace, "
                + "in \(limits.windowSeconds)-s windows: \(limits.appLimitPerWindow) and "
                + "\(limits.workspaceLimitPerWindow) per window", first: "  ", rest: "  ")
        return sections.joined(separator: "\n")
    }

    /// The newest tokens shown; a large world has thousands.
    static let tokenRows = 50

    static func tokenState(_ token: RedactedWorld.Token, held: Bool) -> String {
        if token.status == "alive" {
            let base = token.permissionMissing ? "alive, permission missing (401 on /conversations)" : "alive"
            // Revoke and app-user forget the old token without killing it in Intercom.
            return held ? base : base + "; no project holds it (see below)"
        }
        guard let cause = token.cause else { return "dead" }
        let at = token.killedAt.map { " at " + Self.time($0) } ?? ""
        return "dead: \(cause.rawValue)" + (token.causeGuessed == true ? " (guessed on import)" : " (simulated)") + at
    }

    /// What the world's causes changed for a teammate: the workspaces they were removed from, and
    /// those where their app permission was withdrawn.
    static func changes(of teammate: RedactedWorld.Teammate) -> String {
        var changes: [String] = []
        if !teammate.removedFrom.isEmpty { changes.append("removed from " + list(teammate.removedFrom)) }
        if let withdrawn = teammate.permissionWithdrawnIn, !withdrawn.isEmpty {
            changes.append("permission withdrawn in " + list(withdrawn))
        }
        return changes.isEmpty ? "—" : changes.joined(separator: "; ")
    }

    static func list(_ items: [String]) -> String { items.isEmpty ? "—" : items.joined(separator: ", ") }

    /// Rows under headers, indented by two spaces, fitted to the width by cell.
    func table(_ headers: [String], _ rows: [[String]], columns: [TextTable.Column], empty: String) -> String {
        guard !rows.isEmpty else { return "  " + empty }
        return TextTable(headers: headers, rows: rows, columns: columns, indent: 2).render(width: style.width).joined(separator: "\n")
    }
}
