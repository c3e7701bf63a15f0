import IntercomMockFaults
import RelinkCore

extension CommandTable {
    /// The mock Intercom: its world, faults, journal, reset and conversations.
    static let mock: [CommandSpec] = [
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
                --method apply to every kind. --body can also name a real answer of Intercom's, sent word for word with its own status \
                unless --status says otherwise: scope (401 token_unauthorized), scope_named (403, the \
                scope in the message), allowlist (403, the IP allowlist), plan (403 \
                api_plan_restricted), nocode (401 without a code), unauthorized, token_revoked, \
                token_suspended, token_blocked, token_expired, token_not_found (401 each), \
                admin_not_found, not_found (404), conversation_forbidden (403). Docs/intercom.md has \
                each one's source.
                """,
            required: .text("PATH", .apiPath), .faultKind("KIND"),
            options: [
                .value("--status", "N", .integer(400...599), "status: the status to answer"),
                .value("--body", "NAME", .faultBody, "status: json, html or a real answer (above)"),
                .value("--latency-ms", "N", delay, "latency: the delay"),
                .value("--latency-min-ms", "N", delay, "latency: the shortest random delay"),
                .value("--latency-max-ms", "N", delay, "latency: the longest random delay"),
                .value("--probability", "P", .probability, "the chance that a matching request is hit (0…1)"),
                .value("--seed", "N", .seed, "seeds the fault's draws, so a run repeats"),
                .value("--times", "N", .integer(1...Int.max), "hit at most N requests"),
                .value("--method", "METHOD", .httpMethod, "only requests of this method"),
            ],
            examples: [
                "mock fault add /me status --status 503 --body html --probability 0.5 --seed 7",
                "mock fault add /admins/* latency --latency-min-ms 100 --latency-max-ms 900 --times 3",
                "mock fault add * latency --latency-ms 2000 --method GET", "mock fault add /me rate_limit",
                "mock fault add /me drop --times 1", "mock fault add /conversations status --body scope",
            ],
            build: faultSpec
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
            "mock allowlist", summary: "make a workspace's IP allowlist refuse this machine, or let it in",
            details: """
                A world setting, as a plan restriction is one: every authenticated request of the workspace's \
                tokens is answered 403 "Your IP address is not on the allowlist for API access", after the \
                token is validated, as Intercom does. relink gives no verdict on it. --off lets the machine in.
                """,
            required: .text("WORKSPACE", .workspace),
            options: [.flag("--off", "let this machine in again")],
            examples: ["mock allowlist acme4sup", "mock allowlist acme4sup --off"]
        ) { workspace, words in .mockAllowlist(workspace: workspace, refuses: !words.flag("--off")) },
        CommandSpec(
            "mock conversation", summary: "a conversation of the mock: state, assignee and parts",
            required: .conversationID("ID"),
            examples: ["mock conversation 1001"]
        ) { id, _ in .mockConversation(id: id) },
    ]

    /// A latency fault's delay in milliseconds: up to a day, as the mock accepts.
    private static let delay = ValueKind.integer(0...FaultSpec.maximumLatencyMs)

    /// `mock fault add`: each option only where the kind uses it, straight into the mock's own type.
    private static func faultSpec(path: String, kind: FaultSpec.Kind, _ words: ParsedWords) throws(UsageError)
        -> Command
    {
        let kindOptions: [FaultSpec.Kind: Set<String>] = [
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
        var spec = FaultSpec(
            path: path, method: words.text("--method"), kind: kind, probability: words.probability("--probability"),
            seed: words.seed("--seed"), times: words.integer("--times"))
        switch kind {
        case .latency:
            let fixed = words.integer("--latency-ms")
            let low = words.integer("--latency-min-ms")
            let high = words.integer("--latency-max-ms")
            switch (fixed, low, high) {
            case (let fixed?, nil, nil):
                spec.latencyMs = fixed
            case (nil, let low?, let high?) where low <= high:
                spec.latencyMinMs = low
                spec.latencyMaxMs = high
            case (nil, _?, _?):
                throw words.usage("--latency-min-ms must not be more than --latency-max-ms")
            default:
                throw words.usage("a latency fault needs --latency-ms N, or --latency-min-ms N and --latency-max-ms N")
            }
        case .status:
            spec.body = words.faultBody("--body")
            // A real answer comes with its own status; json and html need one said.
            guard let status = words.integer("--status") ?? spec.body?.naturalStatus else {
                throw words.usage("a status fault needs --status N (400 to 599), or --body naming a real answer")
            }
            spec.status = status
        case .rateLimit, .drop:
            break
        }
        return .mockFault(.add(spec))
    }
}
