import RelinkCore

extension CommandTable {
    /// Cases: support bundles out and in, projects and settings shaped by hand, and the store's check.
    static let cases: [CommandSpec] = [
        CommandSpec(
            "export", summary: "a support bundle with every secret redacted",
            details:
                "Writes projects, connections, events and the mock world to PATH (a directory), with every secret redacted.",
            required: .text("PATH", .path),
            examples: ["export /tmp/sup-case"]
        ) { path, _ in .export(path: path) },
        CommandSpec(
            "import", summary: "rebuild a case from a support bundle, on the mock",
            details: """
                Checks every file of the bundle at PATH against its manifest, then replaces the store's \
                projects, connections, events and the mock's world with the bundle's, minting fresh fake \
                secrets. Connected projects get a live token, broken ones a token killed by the recorded \
                cause (a guess that fits the evidence when the bundle has no ground truth). A store that \
                holds projects is replaced only with --replace (the REPL asks); its files go to backups/.
                """,
            required: .text("PATH", .path),
            options: [.flag("--replace", "replace a store that holds projects")],
            examples: ["import /tmp/sup-case", "import /tmp/sup-case --replace"]
        ) { path, words in .importBundle(path: path, replace: words.flag("--replace")) },
        CommandSpec(
            "project add", summary: "add a project, to shape a case by hand",
            details: """
                NAME is the rest of the line, as comment's text is: project add HR Human Resources names it \
                "Human Resources" (quotes keep runs of spaces, or a word that starts with --). The Jira site \
                is the one the store's projects share unless --site names another.
                """,
            required: .projectKey("KEY"), positionals: [.rest("NAME", .word)],
            options: [.value("--site", "SITE", .word, "the Jira site, e.g. acme.atlassian.net")],
            examples: ["project add HR Human Resources", "project add HR People --site people.atlassian.net"]
        ) { key, words throws(UsageError) in
            let name = words.texts(from: 0)
            guard !name.isEmpty else { throw words.usage("what is the project called? give its name after the key") }
            // The rest of the line is the name, but a word that looks like a mistyped option is
            // refused rather than kept in the name (and in the store's files): `-site x` meant
            // --site, and `-password PW` would write a password into state.json.
            for word in name where word.hasPrefix("-") {
                let bare = word.prefix { $0 != "=" }.drop { $0 == "-" }.lowercased()
                if let meant = SecretLines.secretOption(meantBy: word) {
                    throw words.usage("\(meant) has no place in a project's name; nothing after it is kept or shown")
                }
                if let meant = Suggestion.closest(to: bare, in: ["site"]) {
                    throw words.usage(
                        "\(TerminalText.quotedWord(word)) in the name looks like an option; did you mean --\(meant)?")
                }
            }
            return .projectAdd(key, name: name.joined(separator: " "), site: words.text("--site"))
        },
        CommandSpec(
            "project remove", summary: "remove a project and its record (a connected one only with --force)",
            details: """
                Refused while the project holds a connection, unless --force (the REPL asks): relink then \
                forgets its token, as revoke does, and never uninstalls the app. Its events stay in log.
                """,
            required: .projectKey("KEY"),
            options: [.flag("--force", "remove it even while connected")],
            examples: ["project remove OPS", "project remove SUP --force"]
        ) { key, words in .projectRemove(key, force: words.flag("--force")) },
        CommandSpec(
            "settings", summary: "show or set the app's configuration of a project by path",
            details: """
                With KEY alone, every field of intercom.connection.configuration with its value; with a \
                PATH, that field; with a VALUE, sets it (true or false, a whole number, or a comma-separated \
                list, as the field is). Each change is an event in log.
                """,
            required: .projectKey("KEY"), positionals: [.optional("PATH", .settingPath), .optional("VALUE", .word)],
            examples: [
                "settings SUP", "settings SUP conversationLinking.enabled",
                "settings SUP conversationLinking.notificationTriggers.issueCommented.enabled false",
            ]
        ) { key, words throws(UsageError) in
            let field = words.settingField(0)
            guard let field, let text = words.positionalText(1) else {
                return .settings(key, path: field?.path, value: nil)
            }
            guard let value = field.parse(text) else {
                throw UsageError("\(field.path) takes \(field.kind.rawValue), not \(words.quoted(text))")
            }
            return .settings(key, path: field.path, value: value)
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
    ]
}
