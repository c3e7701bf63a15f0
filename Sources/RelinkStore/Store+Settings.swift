import Foundation
import JournaledFiles

/// The real-API settings `config set` keeps, except the client secret (which lives only in the
/// secrets file): `settings.json`, shareable, readable and diffable.
public struct StoredSettings: Codable, Equatable, Sendable {
    public var clientID: String?
    public var redirectURL: String?
    /// `us`, `eu` or `au`, as `config set region` checked it.
    public var region: String?
    public var intercomVersion: String?
    /// The authorize page against Intercom's own hosts, as `config set authorize-url` checked it.
    public var authorizeURL: String?

    public init(
        clientID: String? = nil, redirectURL: String? = nil, region: String? = nil, intercomVersion: String? = nil,
        authorizeURL: String? = nil
    ) {
        self.clientID = clientID
        self.redirectURL = redirectURL
        self.region = region
        self.intercomVersion = intercomVersion
        self.authorizeURL = authorizeURL
    }
}

/// `settings.json`: written whole and atomically, like `world.json`; a damaged file is never
/// overwritten.
struct SettingsFile {
    let url: URL

    func load() throws(StoreError) -> StoredSettings {
        try ReadableJSONFile.load(
            StoredSettings.self, from: url, what: "valid real-API settings",
            advice: "fix or remove it (config set writes a new one)") ?? StoredSettings()
    }

    func save(_ settings: StoredSettings) throws(StoreError) {
        try ReadableJSONFile.save(settings, to: url, what: "the settings")
    }
}

extension Store {
    var settingsFile: SettingsFile { SettingsFile(url: directory.appendingPathComponent("settings.json")) }

    /// The real-API settings the store keeps. A store written before `config` existed keeps its
    /// OAuth client (id and secret) in the secrets file: its id counts as the stored client id.
    ///
    /// - Throws: `StoreError.damaged` naming `settings.json` when it cannot be read.
    public func settings() throws -> StoredSettings {
        let legacy = try oauthClient
        var settings = try withFileLock(exclusive: false) { try settingsFile.load() }
        if settings.clientID == nil { settings.clientID = legacy?.clientID }
        return settings
    }

    /// The OAuth app's client secret the store keeps, if any. Never print it.
    ///
    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public var clientSecret: String? {
        get throws(StoreError) {
            let secrets = try lock.withLock { secretFile.state }.decoded()
            return secrets.clientSecret ?? secrets.oauthClient?.clientSecret
        }
    }

    /// Applies `change` to the settings as last saved by any process and saves the result.
    ///
    /// - Throws: what `change` throws (nothing is saved then), or `StoreError`.
    public func updateSettings(_ change: (inout StoredSettings) throws -> Void) throws {
        try foldLegacyOAuthClient()
        try withFileLock(exclusive: true) {
            var settings = try settingsFile.load()
            try change(&settings)
            try settingsFile.save(settings)
        }
    }

    /// Keeps the client secret in the secrets file (`nil` forgets it).
    public func setClientSecret(_ secret: String?) throws {
        try foldLegacyOAuthClient()
        try update { $0.setClientSecret(secret) }
    }

    /// Moves an older store's OAuth client to where `config` keeps its parts: the id to
    /// `settings.json`, the secret to its own entry of the secrets file. Until then `settings()`
    /// and `clientSecret` read it where it is; after, `config unset` can forget either part.
    /// Idempotent, so a crash between the two writes is finished by the next change.
    private func foldLegacyOAuthClient() throws {
        guard let legacy = try oauthClient else { return }
        try withFileLock(exclusive: true) {
            var settings = try settingsFile.load()
            if settings.clientID == nil {
                settings.clientID = legacy.clientID
                try settingsFile.save(settings)
            }
        }
        let keptSecret = try lock.withLock { secretFile.state }.clientSecret
        try update { transaction in
            if keptSecret == nil { transaction.setClientSecret(legacy.clientSecret) }
            transaction.setOAuthClient(nil)
        }
    }
}
