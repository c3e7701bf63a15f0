import Foundation
import RelinkCommands
import RelinkCore
import RelinkService

extension CommandExecutor {
    /// `ui`: the settings page, served by this process in the background; its URL.
    func settingsPage(port: Int?, open: Bool, readOnly: Bool) async throws -> String {
        let forPage = pageExecutor
        let url: String
        do {
            url = try await services.startSettingsPage(port: port, readOnly: readOnly) { line in
                await forPage.runCapturing(line)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure.settingsPageFailed(port: port, reason: "\(error)")
        }
        var text =
            "The settings page: \(url)\nIt follows the store live, from any process; it stops when this relink does."
        if open { text += "\n" + Self.openInBrowser(url) }
        return presenter.report(text, document: Documents.SettingsPage(url: url, message: text))
    }

    /// Runs one line as the REPL would and answers what it printed (a failure as the REPL words
    /// it, every secret the store keeps redacted), with its exit status: the page's actions.
    public func runCapturing(_ line: String) async -> (status: Int32, output: String) {
        do {
            guard let command = try CommandParser.parse(line) else { return (0, "") }
            guard !Self.refusedFromPage(command) else { return (2, "not from the page: type it at the REPL") }
            try store.refresh()
            return (0, try await run(command))
        } catch let error as UsageError {
            return (2, failureText(error, status: 2))
        } catch let error as CommandFailure where error.output != nil {
            return (1, (error.output ?? "") + "\n" + failureText(error, status: 1))
        } catch {
            return (1, failureText(error, status: 1))
        }
    }

    /// The page runs lines it built itself; these would wait on a person or end the session.
    static func refusedFromPage(_ command: Command) -> Bool {
        switch command {
        case .quit, .ui, .importBundle, .config: true
        default: false
        }
    }

    private func failureText(_ error: any Error, status: Int32) -> String {
        presenter.failure(error, exitCode: status, redacting: (try? store.allSecrets) ?? []).text
    }

    /// An executor over the same store and services that prints plain text and draws nothing on
    /// the terminal: what the page shows after an action.
    var pageExecutor: CommandExecutor {
        CommandExecutor(
            store: store, services: services, json: false, settingOverrides: settingOverrides, style: .plain,
            interactive: false, readSecret: readSecret)
    }

    /// Asks the desktop to open `url` with xdg-open, when there is one; says what happened.
    static func openInBrowser(_ url: String) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let opener = path.split(separator: ":").map {
            URL(fileURLWithPath: String($0)).appendingPathComponent("xdg-open")
        }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let opener else { return "There is no xdg-open on this machine: open the URL in a browser yourself." }
        let process = Process()
        process.executableURL = opener
        process.arguments = [url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            return "Asked the desktop's browser to open it (xdg-open)."
        } catch {
            return "xdg-open did not start (\(error.localizedDescription)): open the URL in a browser yourself."
        }
    }
}

extension Documents {
    /// `ui`.
    struct SettingsPage: Encodable {
        var url: String
        var message: String
    }
}
