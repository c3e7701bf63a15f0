import RelinkCore

extension CommandTable {
    /// The connections: list and show projects, connect, check, break, reconnect, revoke, change the app
    /// user, and the log of their transitions.
    static let connections: [CommandSpec] = [
        CommandSpec(
            "projects", summary: "every project: key, name, indicator, workspace, app user",
            details:
                "Lists every project of the store with its indicator (green connected, yellow broken, grey not connected).",
            examples: ["projects"]
        ) { _ in .projects },
        CommandSpec(
            "show", summary: "the project's Intercom integration settings view",
            details: """
                Shows what the project's settings view shows: the indicator, workspace, app user, since when, \
                the last check, the warning of a broken connection, the actions available now, the settings \
                and the conversation links.
                """,
            required: .projectKey("KEY"),
            examples: ["show SUP"]
        ) { key, _ in .show(key) },
        CommandSpec(
            "connect", summary: "authorize as a teammate and connect the project",
            details: """
                Against the mock: logs in as the teammate through the mock's /oauth (the password comes from \
                --password, else the one the store remembers for that teammate) and exchanges the code. \
                Against the real API (Intercom redirects only to registered HTTPS URLs): prints the \
                authorize URL and reads back the URL you were redirected to, or its code, checking its state \
                (--paste, the default); --listen receives the redirect on a one-shot loopback listener, for \
                a loopback redirect URL registered for a development app; --token asks for an access token \
                at a hidden prompt. The OAuth app's client id, secret and redirect URL are settings: \
                config shows them, config set keeps them (INTERCOM_CLIENT_ID, INTERCOM_CLIENT_SECRET and \
                INTERCOM_REDIRECT_URI override).
                """,
            required: .projectKey("KEY"),
            options: [
                .value("--as", "EMAIL", .email, "the teammate who authorizes: the app user"),
                .value("--workspace", "ID", .workspace, "the workspace to log in to (the mock)"),
                .value("--password", "PW", .secret, "the teammate's mock password; remembered, never shown"),
                .flag("--paste", "real API (default): print the authorize URL, read back the redirect URL or code"),
                .flag("--listen", "real API: receive the redirect on a loopback listener (development apps)"),
                .flag("--token", "real API: read an access token at a hidden prompt"),
            ],
            examples: [
                "connect OPS --as alice@acme.test",
                "connect OPS --as bob@acme.test --workspace acmeeu01 --password fake-pw", "connect OPS --paste",
                "connect OPS --listen", "connect OPS --token",
            ]
        ) { key, words throws(UsageError) in
            .connect(
                key, teammate: words.text("--as"), workspace: words.text("--workspace"),
                password: words.text("--password"), method: try method(words))
        },
        CommandSpec(
            "check", summary: "health-check connections and update their state",
            details: """
                Calls GET /me with each project's token: one request. A 401 with Intercom's JSON marks the \
                connection broken, with the evidence and the causes that fit; a 403 does too (a plan \
                restriction gets its own notice); the IP allowlist's 403, 429, 5xx, timeouts, refused \
                connections and 401/403 pages that are not JSON are no verdict: the state is kept and the \
                failed check recorded. --deep also reads GET /conversations, an endpoint the app needs, \
                which shows a missing permission (/me never does): a 401 there, with /me healthy, is one. \
                With no key, checks every connected or broken project (--all says so). The exit status is 0 \
                whatever a check finds; with --exit-code it is 3 when a connection checked is broken (its \
                indicator yellow), for a monitoring script, and a script of commands goes on after it.
                """,
            positionals: [.repeating("KEY", .projectKey)],
            options: [
                .flag("--all", "every connected or broken project"),
                .flag("--deep", "also probe an endpoint the app's work needs (finds a missing permission)"),
                .flag("--exit-code", "exit 3 when a connection checked is broken, as git diff --exit-code does"),
            ],
            examples: ["check SUP BUG", "check --all", "check SUP --deep", "check --all --exit-code"]
        ) { words throws(UsageError) in
            let keys = words.keys(from: 0)
            if words.flag("--all"), !keys.isEmpty { throw words.usage("give project keys or --all, not both") }
            return .check(
                keys: keys, all: keys.isEmpty, deep: words.flag("--deep"), exitCode: words.flag("--exit-code"))
        },
        CommandSpec(
            "break", summary: "simulate a break cause on the mock world",
            details: """
                Causes: \(causeList). The cause acts on the mock's world (the project's app user, token or \
                workspace); the project's record changes only when a check discovers it. Refused against \
                the real API.
                """,
            required: .projectKey("KEY"), .cause("CAUSE"),
            examples: ["break SUP password-changed"]
        ) { key, cause, _ in .breakConnection(key, cause) },
        CommandSpec(
            "reconnect", summary: "run the connect steps again for a broken or connected project",
            details: """
                Replaces the token, keeping settings and conversation links. --as picks another teammate \
                (needed after user-removed); against the mock, --workspace picks the workspace to log in to. \
                Connecting to another workspace leaves the links pointing at the old one, so it needs \
                --allow-workspace-change and is recorded.
                """,
            required: .projectKey("KEY"),
            options: [
                .value("--as", "EMAIL", .email, "another teammate (the app user by default)"),
                .value("--workspace", "ID", .workspace, "the workspace to log in to (the mock)"),
                .flag("--allow-workspace-change", "confirm connecting to another workspace"),
                .value("--password", "PW", .secret, "the teammate's mock password; remembered, never shown"),
                .flag("--paste", "real API (default): print the authorize URL, read back the redirect URL or code"),
                .flag("--listen", "real API: receive the redirect on a loopback listener (development apps)"),
                .flag("--token", "real API: read an access token at a hidden prompt"),
            ],
            examples: [
                "reconnect SUP", "reconnect SUP --as alice@acme.test --password fake-pw",
                "reconnect SUP --workspace acmeeu01 --allow-workspace-change", "reconnect SUP --paste",
                "reconnect SUP --listen", "reconnect SUP --token",
            ]
        ) { key, words throws(UsageError) in
            .reconnect(
                key, teammate: words.text("--as"), workspace: words.text("--workspace"),
                allowWorkspaceChange: words.flag("--allow-workspace-change"), password: words.text("--password"),
                method: try method(words))
        },
        CommandSpec(
            "revoke", summary: "disconnect the project and forget its token",
            details: """
                The project turns grey; settings and links are kept, so connecting again to the same workspace \
                restores everything. Never uninstalls the app: other projects may share the workspace.
                """,
            required: .projectKey("KEY"),
            examples: ["revoke SUP"]
        ) { key, _ in .revoke(key) },
        CommandSpec(
            "app-user", summary: "change the app user (revoke, then connect as another teammate)",
            details: "Links and settings survive. The new teammate authorizes as in connect.",
            required: .projectKey("KEY"),
            options: [
                .value("--as", "EMAIL", .email, required: true, "the new app user"),
                .flag("--allow-workspace-change", "confirm connecting to another workspace"),
                .value("--password", "PW", .secret, "the teammate's mock password; remembered, never shown"),
            ],
            examples: [
                "app-user SUP --as alice@acme.test",
                "app-user SUP --as bob@acme.test --password fake-pw --allow-workspace-change",
            ]
        ) { key, words throws(UsageError) in
            .appUser(
                key, teammate: try words.required("--as"),
                allowWorkspaceChange: words.flag("--allow-workspace-change"),
                password: words.text("--password"))
        },
        CommandSpec(
            "log", summary: "recorded transitions",
            details: "Every transition: time, project, from, to, cause, evidence and who or what did it.",
            positionals: [.optional("KEY", .projectKey)],
            options: [.value("--limit", "N", .integer(1...Int.max), "only the last N")],
            examples: ["log", "log SUP --limit 5"]
        ) { words in .log(words.key(0), limit: words.integer("--limit")) },
    ]

    static let causeList = BreakCause.allCases.map(\.rawValue).joined(separator: ", ")

    /// `--paste` (the default), `--listen` or `--token`: how the real API authorizes.
    private static func method(_ words: ParsedWords) throws(UsageError) -> AuthorizationMethod {
        let chosen = ["--paste", "--listen", "--token"].filter { words.flag($0) }
        if chosen.count > 1 { throw words.usage("\(chosen.joined(separator: ", ")) exclude each other") }
        switch chosen.first {
        case "--listen": return .listen
        case "--token": return .accessToken
        default: return .pasteCode
        }
    }
}
