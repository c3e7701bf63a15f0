/// What `help` says of each command, and what completion offers after it.
struct CommandSpec: Sendable {
    enum Argument: Sendable { case projectKey, cause, none }

    var name: String
    var synopsis: String
    var summary: String
    var details: String
    var flags: [String] = []
    var argument: Argument = .none
    /// Flags whose value is a teammate's email, for completion.
    var emailFlags: [String] = []

    static let all: [CommandSpec] = [
        CommandSpec(
            name: "projects", synopsis: "projects", summary: "every project: key, name, indicator, workspace, app user",
            details: "Lists every project of the store with its indicator (green connected, yellow broken, grey not connected)."),
        CommandSpec(
            name: "show", synopsis: "show KEY", summary: "the project's Intercom integration settings view",
            details: """
                Shows what the project's settings view shows: the indicator, workspace, app user, since when,
                the last check, the warning of a broken connection, the actions available now, the settings
                and the conversation links.
                """, argument: .projectKey),
        CommandSpec(
            name: "connect", synopsis: "connect KEY --as EMAIL [--workspace ID] [--password PW]",
            summary: "authorize as a teammate and connect the project",
            details: """
                Against the mock: logs in as the teammate through the mock's /oauth (the password comes from
                --password, else the one the store remembers for that teammate) and exchanges the code.
                Against the real API: opens the authorize URL and receives the redirect on a one-shot
                loopback listener; --paste prints the URL and reads the code you paste; --token asks for
                an access token at a hidden prompt. Client id and secret come from INTERCOM_CLIENT_ID and
                INTERCOM_CLIENT_SECRET or the secrets file.
                """,
            flags: ["--as", "--workspace", "--password", "--paste", "--token"], argument: .projectKey, emailFlags: ["--as"]),
        CommandSpec(
            name: "check", synopsis: "check [KEY…] [--all]", summary: "health-check connections and update their state",
            details: """
                Calls Intercom with each project's token. 401 or 403 marks the connection broken, with the
                evidence and the causes that fit; 429, 5xx, timeouts and refused connections are transient:
                the state is kept and the failed check recorded. With no key, checks every connected or
                broken project (--all says so explicitly).
                """, flags: ["--all"], argument: .projectKey),
        CommandSpec(
            name: "break", synopsis: "break KEY CAUSE",
            summary: "simulate a break cause on the mock world",
            details: """
                Causes: password-changed, token-revoked, user-removed, app-uninstalled, permission-missing.
                The cause acts on the mock's world (the project's app user, token or workspace); the project's
                record changes only when a check discovers it. Refused against the real API.
                """, argument: .projectKey),
        CommandSpec(
            name: "reconnect", synopsis: "reconnect KEY [--as EMAIL] [--workspace ID] [--allow-workspace-change]",
            summary: "run the connect steps again for a broken or connected project",
            details: """
                Replaces the token, keeping settings and conversation links. --as picks another teammate
                (needed after user-removed); against the mock, --workspace picks the workspace to log in to.
                Connecting to another workspace leaves the links pointing at the old one, so it needs
                --allow-workspace-change and is recorded.
                """,
            flags: ["--as", "--workspace", "--allow-workspace-change", "--password", "--paste", "--token"], argument: .projectKey,
            emailFlags: ["--as"]),
        CommandSpec(
            name: "revoke", synopsis: "revoke KEY", summary: "disconnect the project and forget its token",
            details: """
                The project turns grey; settings and links are kept, so connecting again to the same workspace
                restores everything. Never uninstalls the app: other projects may share the workspace.
                """, argument: .projectKey),
        CommandSpec(
            name: "app-user", synopsis: "app-user KEY --as EMAIL [--allow-workspace-change]",
            summary: "change the app user (revoke, then connect as another teammate)",
            details: "Links and settings survive. The new teammate authorizes as in connect.",
            flags: ["--as", "--allow-workspace-change", "--password"], argument: .projectKey, emailFlags: ["--as"]),
        CommandSpec(
            name: "log", synopsis: "log [KEY] [--limit N]", summary: "recorded transitions",
            details: "Every transition: time, project, from, to, cause, evidence and who or what did it; the last N with --limit.",
            flags: ["--limit"], argument: .projectKey),
        CommandSpec(
            name: "world", synopsis: "world", summary: "the mock's workspaces, teammates and tokens (redacted)",
            details: "Shows the mock Intercom's world. Tokens appear by their public id only."),
        CommandSpec(
            name: "mock", synopsis: "mock fault …|mock journal [--limit N]|mock reset",
            summary: "faults and the request journal of the mock",
            details: """
                mock fault add PATH KIND [--status N] [--latency-ms N] [--probability P] [--seed N] [--times N]
                    KIND is latency, status, rate_limit or drop; PATH is an API path such as /me, or *.
                mock fault list          the faults in force
                mock fault clear [ID]    remove one fault, or all
                mock journal [--limit N] the requests the mock answered (tokens redacted)
                mock reset               the world as loaded, no faults, an empty journal
                """),
        CommandSpec(
            name: "export", synopsis: "export PATH", summary: "a support bundle with every secret redacted",
            details: "Writes projects, connections, events and the mock world to PATH (a directory), with every secret redacted."),
        CommandSpec(name: "help", synopsis: "help [COMMAND]", summary: "this list, or one command in detail", details: ""),
        CommandSpec(name: "quit", synopsis: "quit", summary: "leave the REPL (Ctrl-D too)", details: ""),
    ]

    static func named(_ name: String) -> CommandSpec? { all.first { $0.name == name } }
}
