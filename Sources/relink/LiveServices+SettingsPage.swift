import Logging
import RelinkCLI
import RelinkCore
import RelinkUI

extension LiveServices {
    /// Starts the settings page once, over this run's store and services.
    func startSettingsPage(
        port: Int?, readOnly: Bool, run: @escaping @Sendable (String) async -> (status: Int32, output: String)
    ) async throws -> String {
        if let page = settingsPage { return page.url }
        let backend = PageBackend(services: self, runLine: run)
        let page = try await SettingsPage.start(
            store: store, backend: backend,
            configuration: SettingsPage.Configuration(
                port: port ?? 0, readOnlyReason: readOnly ? "started with ui --read-only" : nil),
            logger: Logger(label: "relink.ui"))
        settingsPage = page
        return page.url
    }
}

/// The page's backend over this run of relink: its commands through the executor, its checks
/// through the connection service.
struct PageBackend: SettingsPageBackend {
    let services: LiveServices
    let runLine: @Sendable (String) async -> (status: Int32, output: String)

    var intercomDescription: String { services.intercomDescription }

    var isRealAPI: Bool { services.isRealAPI }

    func run(_ line: String) async -> PageCommandResult {
        let result = await runLine(line)
        return PageCommandResult(status: result.status, output: result.output)
    }

    func checkAfterWorldChange(_ keys: [ProjectKey]) async {
        do {
            let service = try await services.connectionService()
            let actor = "relink ui (the mock's world changed)"
            let results = try await service.health.check(keys, actor: actor)
            _ = try await service.outbox.deliver(after: results, actor: actor)
        } catch {
            // A check that could not run leaves the records as they were; the next change tries again.
            Logger(label: "relink.ui").info("check after the mock's world changed: \(error)")
        }
    }
}
