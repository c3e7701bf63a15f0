extension CommandTable {
    /// The settings page in a browser (issue 29).
    static let page: [CommandSpec] = [
        CommandSpec(
            "ui", summary: "the settings page in a browser, live, on 127.0.0.1",
            details: """
                Serves the projects list and each project's Intercom integration section, as show renders \
                it, on 127.0.0.1 and prints the URL. In the REPL it runs in the background of the session \
                until you quit; relink ui from the shell serves until Ctrl-C. The page follows every change \
                to the store, from any process, within a quarter of a second; its buttons run check, \
                reconnect, revoke and (against the mock) break as if typed here. Only the printed address \
                is answered, every change needs the page's token, and a read-only store gives a read-only page.
                """,
            options: [
                .value("--port", "N", .integer(0...65535), "listen on port N (default: one the system picks)"),
                .flag("--open", "open the page in the desktop's browser (xdg-open)"),
                .flag("--read-only", "a page without actions, whatever the store allows (to show a customer)"),
            ],
            examples: ["ui", "ui --port 8765 --open", "ui --read-only"]
        ) { words in
            .ui(port: words.integer("--port"), open: words.flag("--open"), readOnly: words.flag("--read-only"))
        }
    ]
}
