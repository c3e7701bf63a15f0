import RelinkCore

extension CommandTable {
    /// The app's work: links between Jira issues and conversations, Jira events, and the outbox.
    static let work: [CommandSpec] = [
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
            required: .issueKey("ISSUE"), positionals: [.repeating("CONVERSATION", .conversationID)],
            examples: ["link SUP-12 1004 1005"]
        ) { issue, words throws(UsageError) in .link(issue, conversations: try conversations(words)) },
        CommandSpec(
            "unlink", summary: "remove links between a Jira issue and conversations",
            details: "Needs no connection. Refused when a conversation is not linked to the issue.",
            required: .issueKey("ISSUE"), positionals: [.repeating("CONVERSATION", .conversationID)],
            examples: ["unlink SUP-12 1002"]
        ) { issue, words throws(UsageError) in .unlink(issue, conversations: try conversations(words)) },
        CommandSpec(
            "comment", summary: "a Jira comment: a note on each linked conversation (issueCommented)",
            details: """
                Follows the project's issueCommented trigger: off sends nothing and says so; with \
                filterEnabled only a comment that carries #intercom is sent (without the tag); \
                reopenConversations reopens a closed conversation first. The notes go through the outbox: \
                delivered now when the connection is healthy, held (durably) while it is not.
                """,
            required: .issueKey("ISSUE"), positionals: [.repeating("TEXT", .word)],
            examples: ["comment SUP-12 Fixed in 2.3, rolling out today"]
        ) { issue, words throws(UsageError) in
            .comment(issue, text: try sentence(words, missing: "what does the comment say? give its text"))
        },
        CommandSpec(
            "assign", summary: "a Jira assignment: a note on each linked conversation (issueAssignmentChanged)",
            details: "EMAIL is the new assignee, none unassigns. Follows the issueAssignmentChanged trigger.",
            required: .issueKey("ISSUE"), .text("EMAIL|none", .email),
            examples: ["assign SUP-12 alice@acme.test", "assign SUP-12 none"]
        ) { issue, assignee, _ in .assign(issue, assignee: assignee.lowercased() == "none" ? nil : assignee) },
        CommandSpec(
            "transition", summary: "a Jira transition: a note on each linked conversation (issueTransitioned)",
            details: """
                STATUS is the issue's new status. Follows the issueTransitioned trigger, and only for the \
                transitions it names when it names some.
                """,
            required: .issueKey("ISSUE"), positionals: [.repeating("STATUS", .word)],
            examples: ["transition SUP-12 Done"]
        ) { issue, words throws(UsageError) in
            .transition(issue, status: try sentence(words, missing: "which status? give the new status, like Done"))
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
            required: .outboxTarget("ID|KEY"),
            examples: ["outbox discard SUP.3", "outbox discard SUP"]
        ) { target, _ in .outboxDiscard(target) },
    ]

    /// `link` and `unlink`: the conversations after the issue, at least one.
    private static func conversations(_ words: ParsedWords) throws(UsageError) -> [String] {
        try atLeastOneWord(words, missing: "which conversations? give one id or more")
    }

    /// `comment` and `transition`: the words after the issue, at least one, as one text.
    private static func sentence(_ words: ParsedWords, missing: String) throws(UsageError) -> String {
        try atLeastOneWord(words, missing: missing).joined(separator: " ")
    }

    /// The words after the issue, at least one (`missing` says what to give otherwise).
    private static func atLeastOneWord(_ words: ParsedWords, missing: String) throws(UsageError) -> [String] {
        let rest = words.texts(from: 0)
        guard !rest.isEmpty else { throw words.usage(missing) }
        return rest
    }
}
