import RelinkCommands
import RelinkCore
import RelinkService

extension CommandExecutor {
    /// `config`, `config set`, `config unset`: the real-API settings, kept in the store.
    func configCommand(_ command: Command.ConfigCommand) async throws -> String {
        let configuration = RealAPIConfiguration(store: store, overrides: settingOverrides)
        switch command {
        case .show:
            return presenter.config(try configuration.entries(), changed: nil)
        case .set(let setting, let value):
            _ = try configuration.set(setting, to: value)
            return presenter.config(try configuration.entries(), changed: setting)
        case .setSecret(let setting):
            let secret: String
            do {
                // Every command runs under the waiting counter (execute): it must not draw over a prompt.
                secret = try await feedback.whilePrompting { try await readSecret("\(setting.rawValue) (not shown): ") }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw CommandFailure.secretNotGiven(setting)
            }
            _ = try configuration.set(setting, to: secret)
            return presenter.config(try configuration.entries(), changed: setting)
        case .unset(let setting):
            _ = try configuration.unset(setting)
            return presenter.config(try configuration.entries(), changed: setting)
        }
    }
}
