import Foundation
import RelinkStore

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

    /// The OAuth app's credentials from `INTERCOM_CLIENT_ID` and `INTERCOM_CLIENT_SECRET`, when both are set.
    var oauthClient: OAuthClientCredentials? {
        guard let id = value("INTERCOM_CLIENT_ID"), let secret = value("INTERCOM_CLIENT_SECRET") else { return nil }
        return OAuthClientCredentials(clientID: id, clientSecret: secret)
    }

    /// `INTERCOM_REDIRECT_URI`: the redirect URL registered for the OAuth app.
    var redirectURI: String? { value("INTERCOM_REDIRECT_URI") }

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

    /// `RELINK_LOG_LEVEL`: trace, debug, info, notice, warning (the default), error, critical.
    var logLevel: String? { value("RELINK_LOG_LEVEL") }
}
