import Foundation
import IntercomClient
import RelinkCore
import RelinkService

/// Everything relink takes from its environment, read once at start: no other part of relink
/// reads an environment variable.
struct RelinkEnvironment: Sendable {
    var variables: [String: String]
    var home: URL
    var currentDirectory: URL
    /// The executable as invoked, for finding the checkout's fixtures beside a built binary.
    var executable: URL

    static func current() -> RelinkEnvironment {
        RelinkEnvironment(
            variables: ProcessInfo.processInfo.environment, home: FileManager.default.homeDirectoryForCurrentUser,
            currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            executable: URL(fileURLWithPath: CommandLine.arguments[0]))
    }

    private func value(_ name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `--store`, else `$RELINK_STORE`, else `$XDG_DATA_HOME/relink`, else `~/.local/share/relink`
    /// (DESIGN.md §4).
    func storeDirectory(option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option, isDirectory: true) }
        if let store = value("RELINK_STORE") { return URL(fileURLWithPath: store, isDirectory: true) }
        if let data = value("XDG_DATA_HOME") {
            return URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("relink")
        }
        return home.appendingPathComponent(".local/share/relink", isDirectory: true)
    }

    /// `INTERCOM_CLIENT_ID`, `INTERCOM_CLIENT_SECRET` and `INTERCOM_REDIRECT_URI` (each on its own
    /// overrides what `config set` kept), and the `--region` option.
    func settingOverrides(region: Region?) -> SettingOverrides {
        SettingOverrides(
            clientID: value("INTERCOM_CLIENT_ID"), clientSecret: value("INTERCOM_CLIENT_SECRET"),
            redirectURL: value("INTERCOM_REDIRECT_URI"), region: region)
    }

    /// Where fixtures are looked for: `$RELINK_FIXTURES`, `./Fixtures`, then the `Fixtures` of the
    /// checkout the executable was built in (`.build/debug/relink` → `Fixtures`).
    var fixtureRoots: [URL] {
        var roots: [URL] = []
        if let root = value("RELINK_FIXTURES") { roots.append(URL(fileURLWithPath: root, isDirectory: true)) }
        roots.append(currentDirectory.appendingPathComponent("Fixtures"))
        var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(directory.appendingPathComponent("Fixtures"))
            directory.deleteLastPathComponent()
        }
        return roots
    }

    /// `SSL_CERT_FILE`, `HTTPS_PROXY`/`https_proxy` and `NO_PROXY`/`no_proxy`, as curl reads them.
    ///
    /// - Throws: `NetworkSettingsError` for a proxy URL that cannot be used.
    func networkSettings() throws(NetworkSettingsError) -> NetworkSettings {
        try NetworkSettings(environment: variables)
    }

    /// `RELINK_LOG_LEVEL`: trace, debug, info, notice, warning (the default), error, critical.
    var logLevel: String? { value("RELINK_LOG_LEVEL") }
}
