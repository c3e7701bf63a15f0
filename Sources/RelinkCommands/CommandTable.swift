import RelinkCore

/// relink's command language as one table (DESIGN.md §5). Parsing, `help`, `help COMMAND`, usage
/// lines and completion all read it; a command is one entry here and nowhere else.
public enum CommandTable {
    public static let all: [CommandSpec] = [
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
            positionals: [.required("KEY", .projectKey)],
            examples: ["show SUP"]
        ) { words in .show(words.key(0)!) },
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
            positionals: [.required("KEY", .projectKey)],
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
        ) { words throws(UsageError) in
            .connect(
                words.key(0)!, teammate: words.text("--as"), workspace: words.text("--workspace"),
                password: words.text("--password"), method: try method(words))
        },
        CommandSpec(
            "check", summary: "health-check connections and update their state",
            details: """
                Calls GET /me with each project's token: one request. A 401 with Intercom's JSON marks the \
                connection broken, with the evidence and the causes that fit; a 403 does too (a plan \
                restriction gets its own notice); 429, 5xx, timeouts, refused connections and 401/403 pages \
                that are not JSON are no verdict: the state is kept and the failed check recorded. --deep \
                also reads GET /conversations, an endpoint the app needs, which shows a missing permission \
                (/me never does). With no key, checks every connected or broken project (--all says so).
                """,
            positionals: [.repeating("KEY", .projectKey)],
            options: [
                .flag("--all", "every connected or broken project"),
                .flag("--deep", "also probe an endpoint the app's work needs (finds a missing permission)"),
            ],
            examples: ["check SUP BUG", "check --all", "check SUP --deep"]
        ) { words throws(UsageError) in
            let keys = words.keys(from: 0)
            if words.flag("--all"), !keys.isEmpty { throw words.usage("give project keys or --all, not both") }
            return .check(keys: keys, all: keys.isEmpty, deep: words.flag("--deep"))
        },
        CommandSpec(
            "break", summary: "simulate a break cause on the mock world",
            details: """
                Causes: \(causeList). The cause acts on the mock's world (the project's app user, token or \
                workspace); the project's record changes only when a check discovers it. Refused against \
                the real API.
                """,
            positionals: [.required("KEY", .projectKey), .required("CAUSE", .cause)],
            examples: ["break SUP password-changed"]
        ) { words in
            guard case .cause(let cause)? = words.positional(1) else { preconditionFailure("the table says CAUSE") }
            return .breakConnection(words.key(0)!, cause)
        },
        CommandSpec(
            "reconnect", summary: "run the connect steps again for a broken or connected project",
            details: """
                Replaces the token, keeping settings and conversation links. --as picks another teammate \
                (needed after user-removed); against the mock, --workspace picks the workspace to log in to. \
                Connecting to another workspace leaves the links pointing at the old one, so it needs \
                --allow-workspace-change and is recorded.
                """,
            positionals: [.required("KEY", .projectKey)],
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
        ) { words throws(UsageError) in
            .reconnect(
                words.key(0)!, teammate: words.text("--as"), workspace: words.text("--workspace"),
                allowWorkspaceChange: words.flag("--allow-workspace-change"), password: words.text("--password"),
                method: try method(words))
        },
        CommandSpec(
            "revoke", summary: "disconnect the project and forget its token",
            details: """
                The project turns grey; settings and links are kept, so connecting again to the same workspace \
                restores everything. Never uninstalls the app: other projects may share the workspace.
                """,
            positionals: [.required("KEY", .projectKey)],
            examples: ["revoke SUP"]
        ) { words in .revoke(words.key(0)!) },
        CommandSpec(
            "app-user", summary: "change the app user (revoke, then connect as another teammate)",
            details: "Links and settings survive. The new teammate authorizes as in connect.",
            positionals: [.required("KEY", .projectKey)],
            options: [
                .value("--as", "EMAIL", .email, required: true, "the new app user"),
                .flag("--allow-workspace-change", "confirm connecting to another workspace"),
                .value("--password", "PW", .secret, "the teammate's mock password; remembered, never shown"),
            ],
            examples: [
                "app-user SUP --as alice@acme.test",
                "app-user SUP --as bob@acme.test --password fake-pw --allow-workspace-change",
            ]
        ) { words in
            .appUser(
                words.key(0)!, teammate: words.text("--as")!,
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
        CommandSpec(
            "world", summary: "the mock's workspaces, teammates and tokens (redacted)",
            details: "Shows the mock Intercom's world. Tokens appear by their public id only.",
            examples: ["world"]
        ) { _ in .world },
        CommandSpec(
            "mock fault add", summary: "inject a fault into the mock's answers",
            details: """
                latency delays the answer (--latency-ms, or --latency-min-ms with --latency-max-ms); status \
                answers an error (--status 400…599, --body json or html); rate_limit answers 429 with \
                rate-limit headers; drop closes the connection without an answer. PATH is an API path such \
                as /me, a prefix such as /admins/*, or * for every path. --probability, --seed, --times and \
                --method apply to every kind.
                """,
            positionals: [.required("PATH", .apiPath), .required("KIND", .faultKind)],
            options: [
                .value("--status", "N", .integer(400...599), "status: the status to answer"),
                .value("--body", "json|html", .faultBody, "status: an error.list (json) or an HTML page"),
                .value("--latency-ms", "N", .integer(0...maxLatencyMs), "latency: the delay"),
                .value("--latency-min-ms", "N", .integer(0...maxLatencyMs), "latency: the shortest random delay"),
                .value("--latency-max-ms", "N", .integer(0...maxLatencyMs), "latency: the longest random delay"),
                .value("--probability", "P", .probability, "the chance that a matching request is hit (0…1)"),
                .value("--seed", "N", .seed, "seeds the fault's draws, so a run repeats"),
                .value("--times", "N", .integer(1...Int.max), "hit at most N requests"),
                .value("--method", "METHOD", .httpMethod, "only requests of this method"),
            ],
            examples: [
                "mock fault add /me status --status 503 --body html --probability 0.5 --seed 7",
                "mock fault add /admins/* latency --latency-min-ms 100 --latency-max-ms 900 --times 3",
                "mock fault add * latency --latency-ms 2000 --method GET", "mock fault add /me rate_limit",
                "mock fault add /me drop --times 1",
            ],
            build: faultRequest
        ),
        CommandSpec("mock fault list", summary: "the faults in force", examples: ["mock fault list"]) { _ in
            .mockFault(.list)
        },
        CommandSpec(
            "mock fault clear", summary: "remove one fault, or all", positionals: [.optional("ID", .word)],
            examples: ["mock fault clear f1", "mock fault clear"]
        ) { words in .mockFault(.clear(id: words.positionalText(0))) },
        CommandSpec(
            "mock journal", summary: "the requests the mock answered (tokens redacted)",
            options: [.value("--limit", "N", .integer(1...Int.max), "only the last N (default 20)")],
            examples: ["mock journal --limit 5"]
        ) { words in .mockJournal(limit: words.integer("--limit")) },
        CommandSpec(
            "mock reset", summary: "the world as the fixture or import left it, no faults, no journal",
            examples: ["mock reset"]
        ) { _ in .mockReset },
        CommandSpec(
            "mock conversation", summary: "a conversation of the mock: state, assignee and parts",
            positionals: [.required("ID", .conversationID)],
            examples: ["mock conversation 1001"]
        ) { words in .mockConversation(id: words.positionalText(0)!) },
        CommandSpec(
            "links", summary: "the conversations linked to Jira issues",
            details: """
                Lists each issue's links as the app keeps them (intercom.conversation.links: count and \
                conversation ids): of one issue, of one project, or of every project.
                """,
            positionals: [.optional("ISSUE|PROJECT", .issueOrProject)],
            examples: ["links", "links SUP", "links SUP-12"]
        ) { words in
            switch words.positional(0) {
            case .issue(let issue)?: .links(issue, project: nil)
            case .key(let key)?: .links(nil, project: key)
            default: .links(nil, project: nil)
            }
        },
        CommandSpec(
            "link", summary: "link Intercom conversations to a Jira issue",
            details: """
                Asks Intercom, through the project's connection, that each conversation exists in the \
                connected workspace, then links them all (or none). Refused while the connection is broken \
                or missing, with the reason.
                """,
            positionals: [.required("ISSUE", .issueKey), .repeating("CONVERSATION", .conversationID)],
            examples: ["link SUP-12 1004 1005"]
        ) { words throws(UsageError) in
            let (issue, conversations) = try issueAndWords(words, missing: "which conversations? give one id or more")
            return .link(issue, conversations: conversations)
        },
        CommandSpec(
            "unlink", summary: "remove links between a Jira issue and conversations",
            details: "Needs no connection. Refused when a conversation is not linked to the issue.",
            positionals: [.required("ISSUE", .issueKey), .repeating("CONVERSATION", .conversationID)],
            examples: ["unlink SUP-12 1002"]
        ) { words throws(UsageError) in
            let (issue, conversations) = try issueAndWords(words, missing: "which conversations? give one id or more")
            return .unlink(issue, conversations: conversations)
        },
        CommandSpec(
            "comment", summary: "a Jira comment: a note on each linked conversation (issueCommented)",
            details: """
                Follows the project's issueCommented trigger: off sends nothing and says so; with \
                filterEnabled only a comment that carries #intercom is sent (without the tag); \
                reopenConversations reopens a closed conversation first. The notes go through the outbox: \
                delivered now when the connection is healthy, held (durably) while it is not.
                """,
            positionals: [.required("ISSUE", .issueKey), .repeating("TEXT", .word)],
            examples: ["comment SUP-12 Fixed in 2.3, rolling out today"]
        ) { words throws(UsageError) in
            let (issue, text) = try issueAndWords(words, missing: "what does the comment say? give its text")
            return .comment(issue, text: text.joined(separator: " "))
        },
        CommandSpec(
            "assign", summary: "a Jira assignment: a note on each linked conversation (issueAssignmentChanged)",
            details: "EMAIL is the new assignee, none unassigns. Follows the issueAssignmentChanged trigger.",
            positionals: [.required("ISSUE", .issueKey), .required("EMAIL|none", .email)],
            examples: ["assign SUP-12 alice@acme.test", "assign SUP-12 none"]
        ) { words in
            let assignee = words.positionalText(1)!
            return .assign(words.issue(0)!, assignee: assignee.lowercased() == "none" ? nil : assignee)
        },
        CommandSpec(
            "transition", summary: "a Jira transition: a note on each linked conversation (issueTransitioned)",
            details: """
                STATUS is the issue's new status. Follows the issueTransitioned trigger, and only for the \
                transitions it names when it names some.
                """,
            positionals: [.required("ISSUE", .issueKey), .repeating("STATUS", .word)],
            examples: ["transition SUP-12 Done"]
        ) { words throws(UsageError) in
            let (issue, status) = try issueAndWords(words, missing: "which status? give the new status, like Done")
            return .transition(issue, status: status.joined(separator: " "))
        },
        CommandSpec(
            "outbox", summary: "the app's work held for Intercom",
            details: """
                Each held note with its issue, conversation and why it waits. Work is held while the \
                connection is broken and delivered by reconnect, by a check that finds it healthy, or by \
                outbox deliver; only outbox discard drops it.
                """,
            positionals: [.optional("KEY", .projectKey)],
            examples: ["outbox", "outbox SUP"]
        ) { words in .outbox(words.key(0)) },
        CommandSpec(
            "outbox deliver", summary: "deliver held work now",
            details: """
                Delivers in order, each note once, while the project is connected to the workspace the \
                work belongs to. Says what it delivered and what it still holds.
                """,
            positionals: [.optional("KEY", .projectKey)],
            examples: ["outbox deliver SUP"]
        ) { words in .outboxDeliver(words.key(0)) },
        CommandSpec(
            "outbox discard", summary: "drop held work on purpose (recorded as an event)",
            positionals: [.required("ID|KEY", .outboxTarget)],
            examples: ["outbox discard SUP.3", "outbox discard SUP"]
        ) { words in
            if let key = words.key(0) { return .outboxDiscard(.project(key)) }
            return .outboxDiscard(.item(words.positionalText(0)!))
        },
        CommandSpec(
            "export", summary: "a support bundle with every secret redacted",
            details:
                "Writes projects, connections, events and the mock world to PATH (a directory), with every secret redacted.",
            positionals: [.required("PATH", .path)],
            examples: ["export /tmp/sup-case"]
        ) { words in .export(path: words.positionalText(0)!) },
        CommandSpec(
            "import", summary: "rebuild a case from a support bundle, on the mock",
            details: """
                Checks every file of the bundle at PATH against its manifest, then replaces the store's \
                projects, connections, events and the mock's world with the bundle's, minting fresh fake \
                secrets. Connected projects get a live token, broken ones a token killed by the recorded \
                cause (a guess that fits the evidence when the bundle has no ground truth). A store that \
                holds projects is replaced only with --replace (the REPL asks); its files go to backups/.
                """,
            positionals: [.required("PATH", .path)],
            options: [.flag("--replace", "replace a store that holds projects")],
            examples: ["import /tmp/sup-case", "import /tmp/sup-case --replace"]
        ) { words in .importBundle(path: words.positionalText(0)!, replace: words.flag("--replace")) },
        CommandSpec(
            "project add", summary: "add a project, to shape a case by hand",
            details: "The Jira site is the one the store's projects share unless --site names another.",
            positionals: [.required("KEY", .projectKey), .required("NAME", .word)],
            options: [.value("--site", "SITE", .word, "the Jira site, e.g. acme.atlassian.net")],
            examples: ["project add HR \"Human Resources\"", "project add HR People --site people.atlassian.net"]
        ) { words in .projectAdd(words.key(0)!, name: words.positionalText(1)!, site: words.text("--site")) },
        CommandSpec(
            "project remove", summary: "remove a project and its record (a connected one only with --force)",
            details: """
                Refused while the project holds a connection, unless --force (the REPL asks): relink then \
                forgets its token, as revoke does, and never uninstalls the app. Its events stay in log.
                """,
            positionals: [.required("KEY", .projectKey)],
            options: [.flag("--force", "remove it even while connected")],
            examples: ["project remove OPS", "project remove SUP --force"]
        ) { words in .projectRemove(words.key(0)!, force: words.flag("--force")) },
        CommandSpec(
            "settings", summary: "show or set the app's configuration of a project by path",
            details: """
                With KEY alone, every field of intercom.connection.configuration with its value; with a \
                PATH, that field; with a VALUE, sets it (true or false, a whole number, or a comma-separated \
                list, as the field is). Each change is an event in log.
                """,
            positionals: [.required("KEY", .projectKey), .optional("PATH", .settingPath), .optional("VALUE", .word)],
            examples: [
                "settings SUP", "settings SUP conversationLinking.enabled",
                "settings SUP conversationLinking.notificationTriggers.issueCommented.enabled false",
            ]
        ) { words throws(UsageError) in
            let path = words.positionalText(1)
            guard let path, let text = words.positionalText(2) else {
                return .settings(words.key(0)!, path: path, value: nil)
            }
            let field = ConnectionConfiguration.settingField(path)!
            guard let value = field.parse(text) else {
                throw UsageError("\(path) takes \(field.kind.rawValue), not \(words.quoted(text))")
            }
            return .settings(words.key(0)!, path: path, value: value)
        },
        CommandSpec(
            "verify", summary: "decode every record of the store and name the first bad one",
            details: """
                Opening the store checks each file's checksum and leaves records to be decoded when first \
                used. verify decodes every project, connection and event now and names the first record \
                that cannot be read by its file and line; it also reads the mock's world and faults.
                """,
            examples: ["verify"]
        ) { _ in .verify },
        CommandSpec(
            "config", summary: "real-API settings (secrets redacted)",
            details: """
                Shows every setting relink needs for the real Intercom API: \(settingList). Each comes from \
                the environment (INTERCOM_CLIENT_ID, INTERCOM_CLIENT_SECRET, INTERCOM_REDIRECT_URI override \
                the store), a global option (--region), the store (config set), or a default. The client \
                secret is never shown, only whether it is set.
                """,
            examples: ["config"]
        ) { _ in .config(.show) },
        CommandSpec(
            "config set", summary: "keep a real-API setting in the store",
            details: """
                redirect-url must be an HTTPS URL registered for your Intercom app (a loopback \
                http://127.0.0.1, localhost or [::1] URL only for a development app); intercom-version one \
                Intercom publishes (1.0 to 2.17, Unstable, Preview); region us, eu or au. client-secret takes \
                no value on the line: relink asks for it at a prompt that does not echo (or reads one line \
                of standard input when that is not a terminal) and keeps it only in the 0600 secrets file. \
                Register an app in Intercom's Developer Hub for client-id and client-secret.
                """,
            positionals: [.required("NAME", .setting), .optional("VALUE", .word)],
            examples: [
                "config set client-id 8a1b2c3d-0000-4000-8000-000000000000", "config set client-secret",
                "config set redirect-url https://relink.example.com/intercom/callback", "config set region eu",
                "config set intercom-version 2.14",
            ]
        ) { words throws(UsageError) in
            let setting = words.setting(0)!
            let value = words.positionalText(1)
            if setting.isSecret {
                guard value == nil else {
                    // Never echoed: the line itself is kept out of history (SecretLines).
                    throw words.usage(
                        "\(setting.rawValue) is never given on the command line, where history and process "
                            + "lists keep it: type config set \(setting.rawValue) alone and enter it at the prompt")
                }
                return .config(.setSecret(setting))
            }
            guard let value else { throw words.usage("which value? config set \(setting.rawValue) VALUE") }
            return .config(.set(setting, value: value))
        },
        CommandSpec(
            "config unset", summary: "forget a real-API setting kept in the store",
            details: "The setting falls back to its environment variable or its default.",
            positionals: [.required("NAME", .setting)],
            examples: ["config unset redirect-url"]
        ) { words in .config(.unset(words.setting(0)!)) },
        CommandSpec(
            "help", summary: "this list, or one command in detail", positionals: [.repeating("COMMAND", .commandName)],
            examples: ["help", "help reconnect", "help mock fault add"]
        ) { words throws(UsageError) in
            let topic = words.positionals.compactMap { if case .text(let word) = $0 { word } else { nil } }
            guard !topic.isEmpty else { return .help(nil) }
            let name = topic.joined(separator: " ")
            guard all.contains(where: { $0.name == name || $0.words.starts(with: topic) }) else {
                let suggestion = Suggestion.closest(to: name, in: all.map(\.name))
                throw UsageError(
                    "no command \(words.quoted(name))" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""))
            }
            return .help(name)
        },
        CommandSpec("quit", summary: "leave the REPL (Ctrl-D too)", examples: ["quit"]) { _ in .quit },
    ]

    /// The longest a latency fault may delay an answer: a day (and no arithmetic near Int.max).
    public static let maxLatencyMs = 86_400_000

    static let causeList = BreakCause.allCases.map(\.rawValue).joined(separator: ", ")

    static let settingList = RealAPISetting.allCases.map(\.rawValue).joined(separator: ", ")

    /// Names as `help` lists them, in the table's order, each once (`mock` stands for its subcommands).
    public static var topLevelNames: [String] {
        var seen: Set<String> = []
        return all.compactMap { seen.insert($0.words[0]).inserted ? $0.words[0] : nil }
    }

    /// The entry for `name` (`show`, `mock fault add`).
    public static func named(_ name: String) -> CommandSpec? {
        all.first { $0.name == name }
    }

    /// The entries whose name starts with `topic`'s words (`mock` names all of mock's).
    public static func entries(under topic: String) -> [CommandSpec] {
        let words = topic.split(separator: " ").map(String.init)
        return all.filter { $0.words.starts(with: words) }
    }

    /// The entry a line's words name, and how many words its name took.
    ///
    /// - Parameter quoting: whether a message may quote the line's words (not when it carries a secret).
    static func spec(for words: [String], quoting: Bool = true) throws(UsageError) -> (CommandSpec, Int) {
        let first = words[0] == "exit" ? "quit" : words[0]
        let candidates = all.filter { $0.words[0] == first }
        guard !candidates.isEmpty else {
            let suggestion = Suggestion.closest(to: first, in: topLevelNames)
            throw UsageError(
                (quoting ? "unknown command \"\(first)\"" : "unknown command")
                    + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "") + " (help lists the commands)")
        }
        let given = [first] + words.dropFirst()
        if let match = candidates.filter({ given.starts(with: $0.words) }).max(by: { $0.words.count < $1.words.count })
        {
            return (match, match.words.count)
        }
        // A group (`mock`, `mock fault`) without a known next word.
        var prefix = [first]
        while let next = given.dropFirst(prefix.count).first,
            candidates.contains(where: { $0.words.starts(with: prefix + [next]) })
        {
            prefix.append(next)
        }
        let nexts = candidates.filter { $0.words.starts(with: prefix) }.map { $0.words[prefix.count] }
        var expected: [String] = []
        for word in nexts where !expected.contains(word) { expected.append(word) }
        let list =
            expected.count > 1 ? expected.dropLast().joined(separator: ", ") + " or " + expected.last! : expected[0]
        let got = given.dropFirst(prefix.count).first.map { quoting ? ", not \"\($0)\"" : "" } ?? ""
        throw UsageError(
            "\(prefix.joined(separator: " ")): expected \(list)\(got)",
            synopsis: candidates.filter { $0.words.starts(with: prefix) }.map(\.synopsis).joined(separator: "\n       ")
        )
    }

    /// An issue key and the words after it, at least one (`missing` says what to give otherwise).
    private static func issueAndWords(_ words: ParsedWords, missing: String) throws(UsageError) -> (IssueKey, [String])
    {
        let rest = words.texts(from: 1)
        guard let issue = words.issue(0), !rest.isEmpty else { throw words.usage(missing) }
        return (issue, rest)
    }

    private static func method(_ words: ParsedWords) throws(UsageError) -> AuthorizationMethod {
        let chosen = ["--paste", "--listen", "--token"].filter { words.flag($0) }
        if chosen.count > 1 { throw words.usage("\(chosen.joined(separator: ", ")) exclude each other") }
        switch chosen.first {
        case "--listen": return .listen
        case "--token": return .accessToken
        default: return .pasteCode
        }
    }

    /// `mock fault add`: each option only where the kind uses it.
    private static func faultRequest(_ words: ParsedWords) throws(UsageError) -> Command {
        guard let path = words.positionalText(0), case .faultKind(let kind)? = words.positional(1) else {
            preconditionFailure("the table says PATH KIND")
        }
        let kindOptions: [FaultRequest.Kind: Set<String>] = [
            .latency: ["--latency-ms", "--latency-min-ms", "--latency-max-ms"],
            .status: ["--status", "--body"],
            .rateLimit: [],
            .drop: [],
        ]
        let allowed = kindOptions[kind, default: []]
        let kindSpecific = kindOptions.values.reduce(Set<String>()) { $0.union($1) }
        for option in kindSpecific.sorted() where !allowed.contains(option) && words.has(option) {
            throw words.usage("\(option) does not apply to a \(kind.rawValue) fault")
        }
        var request = FaultRequest(
            path: path, kind: kind, method: words.text("--method"), probability: words.probability("--probability"),
            seed: words.seed("--seed"), times: words.integer("--times"))
        switch kind {
        case .latency:
            let fixed = words.integer("--latency-ms")
            let low = words.integer("--latency-min-ms")
            let high = words.integer("--latency-max-ms")
            switch (fixed, low, high) {
            case (let fixed?, nil, nil):
                request.latency = .fixed(milliseconds: fixed)
            case (nil, let low?, let high?) where low <= high:
                request.latency = .between(milliseconds: low...high)
            case (nil, _?, _?):
                throw words.usage("--latency-min-ms must not be more than --latency-max-ms")
            default:
                throw words.usage("a latency fault needs --latency-ms N, or --latency-min-ms N and --latency-max-ms N")
            }
        case .status:
            guard let status = words.integer("--status") else {
                throw words.usage("a status fault needs --status N (400 to 599)")
            }
            request.status = status
            request.body = words.faultBody("--body")
        case .rateLimit, .drop:
            break
        }
        return .mockFault(.add(request))
    }
}
