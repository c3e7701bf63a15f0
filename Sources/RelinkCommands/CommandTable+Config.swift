import RelinkCore

extension CommandTable {
    /// The real-API settings: show them, keep one in the store (a secret only at a prompt), forget one.
    static let config: [CommandSpec] = [
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
                Intercom publishes (1.0 to 2.17, Unstable, Preview); region us, eu or au; authorize-url the \
                https page a person authorizes at (default https://app.intercom.com/oauth, for every region). client-secret takes \
                no value on the line: relink asks for it at a prompt that does not echo (or reads one line \
                of standard input when that is not a terminal) and keeps it only in the 0600 secrets file. \
                Register an app in Intercom's Developer Hub for client-id and client-secret.
                """,
            required: .setting("NAME"), positionals: [.optional("VALUE", .word)],
            examples: [
                "config set client-id 8a1b2c3d-0000-4000-8000-000000000000", "config set client-secret",
                "config set redirect-url https://relink.example.com/intercom/callback", "config set region eu",
                "config set intercom-version 2.14", "config set authorize-url https://app.intercom.com/oauth",
            ]
        ) { setting, words throws(UsageError) in
            let value = words.positionalText(0)
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
            required: .setting("NAME"),
            examples: ["config unset redirect-url"]
        ) { setting, _ in .config(.unset(setting)) },
    ]

    static let settingList = RealAPISetting.allCases.map(\.rawValue).joined(separator: ", ")
}
