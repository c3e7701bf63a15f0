import Foundation
import IntercomAPI
import RelinkCore
import RelinkStore

/// Values given from outside the store, which win over it: the environment's `INTERCOM_CLIENT_ID`,
/// `INTERCOM_CLIENT_SECRET`, `INTERCOM_REDIRECT_URI` and the `--region` option. The composition
/// root reads them; nothing below it reads the environment.
public struct SettingOverrides: Equatable, Sendable {
    public var clientID: String?
    public var clientSecret: String?
    public var redirectURL: String?
    public var region: Region?

    public init(clientID: String? = nil, clientSecret: String? = nil, redirectURL: String? = nil, region: Region? = nil)
    {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURL = redirectURL
        self.region = region
    }

    func value(of setting: RealAPISetting) -> String? {
        switch setting {
        case .clientID: clientID
        case .clientSecret: clientSecret
        case .redirectURL: redirectURL
        case .region: region?.rawValue.lowercased()
        case .intercomVersion, .authorizeURL: nil
        }
    }
}

/// One setting as `config` shows it: its value (never the secret's) and where it comes from.
public struct SettingEntry: Equatable, Sendable {
    public enum Source: String, Equatable, Sendable {
        /// An environment variable (named by ``SettingEntry/overriddenBy``).
        case environment
        /// A global option (`--region`).
        case option
        case store
        case `default`
        case notSet = "not set"
    }

    public var setting: RealAPISetting
    /// What may be shown: `nil` when not set; for a secret, only whether it is set.
    public var shown: String?
    public var source: Source
    /// The environment variable or option that gives the value, when one does.
    public var overriddenBy: String?
    /// Something a person should know about the value (a loopback redirect URL, say).
    public var note: String?
}

/// The real-API settings: what `config` shows, sets and unsets, and what the connect flow and the
/// HTTP client use. Each value comes from an override, the store, or a default, in that order.
public struct RealAPIConfiguration: Sendable {
    public let store: Store
    public let overrides: SettingOverrides

    public init(store: Store, overrides: SettingOverrides) {
        self.store = store
        self.overrides = overrides
    }

    static let developerHub =
        "register an OAuth app in Intercom's Developer Hub (app.intercom.com → Settings → Developer Hub → New app; "
        + "Docs/intercom.md walks through it)"

    /// Every setting with its value and source.
    ///
    /// - Throws: `ServiceError.store` when `settings.json` is damaged.
    public func entries() throws(ServiceError) -> [SettingEntry] {
        let stored = try storedSettings()
        let storedSecret = try ServiceError.reading(try store.clientSecret)
        return RealAPISetting.allCases.map { setting in
            let shownSecret = { (value: String?) in value.map { _ in "[redacted]" } }
            if let value = overrides.value(of: setting) {
                return SettingEntry(
                    setting: setting, shown: setting.isSecret ? shownSecret(value) : value,
                    source: setting == .region ? .option : .environment,
                    overriddenBy: setting.environmentVariable ?? "--region", note: note(setting, value))
            }
            if let value = storedValue(setting, in: stored, secret: storedSecret) {
                return SettingEntry(
                    setting: setting, shown: setting.isSecret ? shownSecret(value) : value, source: .store,
                    note: note(setting, value))
            }
            switch setting {
            case .region:
                return SettingEntry(setting: setting, shown: "us", source: .default)
            case .intercomVersion:
                return SettingEntry(setting: setting, shown: IntercomVersion.current, source: .default)
            case .authorizeURL:
                return SettingEntry(setting: setting, shown: Self.defaultAuthorizeURL, source: .default)
            case .redirectURL:
                return SettingEntry(
                    setting: setting, shown: nil, source: .notSet,
                    note: "the authorize URL names none: Intercom uses the app's first registered redirect URL")
            case .clientID, .clientSecret:
                return SettingEntry(setting: setting, shown: nil, source: .notSet)
            }
        }
    }

    /// Checks `value` and keeps it in the store; answers the setting as it now reads.
    ///
    /// - Throws: `ServiceError.configuration` for a value Intercom would not accept (nothing is
    ///   kept), `.store` when it cannot be written.
    public func set(_ setting: RealAPISetting, to value: String) throws(ServiceError) -> SettingEntry {
        let checked = try Self.check(setting, value)
        do {
            if setting.isSecret {
                try store.setClientSecret(checked)
            } else {
                try store.updateSettings { settings in
                    switch setting {
                    case .clientID: settings.clientID = checked
                    case .redirectURL: settings.redirectURL = checked
                    case .region: settings.region = checked
                    case .intercomVersion: settings.intercomVersion = checked
                    case .authorizeURL: settings.authorizeURL = checked
                    case .clientSecret: break
                    }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
        return try entries().first { $0.setting == setting }!
    }

    /// Forgets the store's value; answers the setting as it now reads (an override or a default).
    public func unset(_ setting: RealAPISetting) throws(ServiceError) -> SettingEntry {
        do {
            if setting.isSecret {
                try store.setClientSecret(nil)
            } else {
                try store.updateSettings { settings in
                    switch setting {
                    case .clientID: settings.clientID = nil
                    case .redirectURL: settings.redirectURL = nil
                    case .region: settings.region = nil
                    case .intercomVersion: settings.intercomVersion = nil
                    case .authorizeURL: settings.authorizeURL = nil
                    case .clientSecret: break
                    }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
        return try entries().first { $0.setting == setting }!
    }

    /// The OAuth app relink authorizes as, or one message naming every setting that is missing
    /// and where an app is registered.
    public func oauthClient() throws(ServiceError) -> OAuthClientCredentials {
        let stored = try storedSettings()
        let id = overrides.clientID ?? stored.clientID
        var secret = overrides.clientSecret
        if secret == nil { secret = try ServiceError.reading(try store.clientSecret) }
        if let id, let secret { return OAuthClientCredentials(clientID: id, clientSecret: secret) }
        throw .configuration(.oauthClientMissing(clientID: id == nil, clientSecret: secret == nil))
    }

    /// The redirect URL the authorize URL names; `nil`: the app's registered default.
    public func redirectURL() throws(ServiceError) -> String? {
        if let redirectURL = overrides.redirectURL { return redirectURL }
        return try storedSettings().redirectURL
    }

    /// The `Intercom-Version` requests carry.
    public func intercomVersion() throws(ServiceError) -> String {
        try storedSettings().intercomVersion ?? IntercomVersion.current
    }

    /// Intercom's authorize page for every region: its own libraries and docs name only this host
    /// (Docs/intercom.md, "The authorize host").
    public static let defaultAuthorizeURL = "https://app.intercom.com/oauth"

    /// The page a person authorizes at against Intercom's own hosts: the store's, else
    /// ``defaultAuthorizeURL``.
    public func authorizeURL() throws(ServiceError) -> String {
        try storedSettings().authorizeURL ?? Self.defaultAuthorizeURL
    }

    /// The region new connections go to: `--region`, else the store's, else US.
    public func region() throws(ServiceError) -> Region {
        if let region = overrides.region { return region }
        return try storedSettings().region.flatMap(Region.init(loose:)) ?? .us
    }

    private func storedSettings() throws(ServiceError) -> StoredSettings {
        do { return try store.settings() } catch { throw Self.storeError(error) }
    }

    private func storedValue(_ setting: RealAPISetting, in stored: StoredSettings, secret: String?) -> String? {
        switch setting {
        case .clientID: stored.clientID
        case .clientSecret: secret
        case .redirectURL: stored.redirectURL
        case .region: stored.region
        case .intercomVersion: stored.intercomVersion
        case .authorizeURL: stored.authorizeURL
        }
    }

    private func note(_ setting: RealAPISetting, _ value: String) -> String? {
        guard setting == .redirectURL, RedirectURL.kind(of: value) == .loopbackHTTP else { return nil }
        return "a loopback http URL: Intercom accepts it only for a development app; use connect --listen"
    }

    private static func storeError(_ error: any Error) -> ServiceError {
        if let error = error as? StoreError { return .store(error) }
        return .configuration(.unreadable("\(error)"))
    }

    /// `value` as it is kept, or why Intercom would not take it.
    static func check(_ setting: RealAPISetting, _ value: String) throws(ServiceError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .configuration(.empty(setting)) }
        switch setting {
        case .clientID, .clientSecret:
            guard trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
                // Never quotes the value: it may be the secret.
                throw .configuration(.notPrintableASCII(setting))
            }
            return trimmed
        case .region:
            guard let region = Region(loose: trimmed) else {
                throw .configuration(.unknownRegion(trimmed))
            }
            return region.rawValue.lowercased()
        case .intercomVersion:
            guard IntercomVersion.isValid(trimmed) else {
                throw .configuration(.unknownIntercomVersion(trimmed))
            }
            return trimmed
        case .authorizeURL:
            guard let url = URLComponents(string: trimmed), url.scheme?.lowercased() == "https",
                url.host?.isEmpty == false, url.query == nil, url.fragment == nil
            else {
                throw .configuration(.authorizeURLInvalid(trimmed))
            }
            return trimmed
        case .redirectURL:
            switch RedirectURL.kind(of: trimmed) {
            case .https, .loopbackHTTP:
                return trimmed
            case .notAURL:
                throw .configuration(.redirectNotAURL(trimmed))
            case .hasFragment:
                throw .configuration(.redirectHasFragment)
            case .insecure:
                throw .configuration(.redirectInsecure)
            }
        }
    }
}

/// Why a real-API setting is missing or would not be accepted by Intercom, with what to do next.
/// Never quotes a secret.
public enum ConfigurationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Authorizing needs the OAuth app's credentials: which are missing.
    case oauthClientMissing(clientID: Bool, clientSecret: Bool)
    case empty(RealAPISetting)
    /// A client id or secret that is not printable ASCII without spaces.
    case notPrintableASCII(RealAPISetting)
    case unknownRegion(String)
    case unknownIntercomVersion(String)
    case redirectNotAURL(String)
    case redirectHasFragment
    case redirectInsecure
    /// An authorize URL that is not an https URL without query or fragment.
    case authorizeURLInvalid(String)
    /// `settings.json` could not be read for another reason than a store error.
    case unreadable(String)

    /// Whether this is a value the person gave that a setting cannot take (DESIGN §5: an invalid
    /// setting value is bad usage, exit 2), rather than a setting that is missing or unreadable.
    public var isInvalidValue: Bool {
        switch self {
        case .oauthClientMissing, .unreadable: false
        case .empty, .notPrintableASCII, .unknownRegion, .unknownIntercomVersion, .redirectNotAURL,
            .redirectHasFragment, .redirectInsecure, .authorizeURLInvalid:
            true
        }
    }

    public var description: String {
        switch self {
        case .oauthClientMissing(let clientID, let clientSecret):
            "authorizing needs your Intercom app's OAuth credentials; set "
                + [
                    clientID ? "the client id (config set client-id ID, or INTERCOM_CLIENT_ID)" : nil,
                    clientSecret
                        ? "the client secret (config set client-secret, typed at a hidden prompt, or INTERCOM_CLIENT_SECRET)"
                        : nil,
                ].compactMap { $0 }.joined(separator: " and ") + ". No app yet? " + RealAPIConfiguration.developerHub
                + ". (connect KEY --token needs neither: it takes an access token.)"
        case .empty(let setting):
            "\(setting.rawValue) is empty"
        case .notPrintableASCII(let setting):
            "\(setting.rawValue) is printable ASCII without spaces, as Intercom issues it; check what was pasted"
        case .unknownRegion(let value):
            "region is us, eu or au, not \"\(value)\""
        case .unknownIntercomVersion(let value):
            "intercom-version \"\(value)\" is not one Intercom publishes; use one of "
                + IntercomVersion.valid.joined(separator: ", ")
        case .redirectNotAURL(let value):
            "redirect-url \"\(value)\" is not a URL; give the one registered for your app, like "
                + "https://relink.example.com/intercom/callback"
        case .redirectHasFragment:
            "redirect-url must not have a #fragment: Intercom appends ?code=…&state=… to it"
        case .redirectInsecure:
            "redirect-url must be HTTPS: Intercom accepts only registered HTTPS redirect URLs "
                + "(http only for a loopback 127.0.0.1, localhost or [::1] URL of a development app)"
        case .authorizeURLInvalid(let value):
            "authorize-url \"\(value)\" is not an https URL without query or fragment; Intercom's is "
                + RealAPIConfiguration.defaultAuthorizeURL
        case .unreadable(let reason):
            reason
        }
    }
}
