import Foundation
import IntercomAPI
import RelinkCore
import RelinkService
import RelinkStore
import RelinkTestSupport
import Testing

@Suite("Real-API settings: sources, validation, the secret's place")
struct RealAPIConfigurationTests {
    static let secret = "fake-secret-Zq9xK"

    static func configuration(_ overrides: SettingOverrides = SettingOverrides()) throws -> (
        RealAPIConfiguration, TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory()
        return (RealAPIConfiguration(store: try Store(directory: directory.url), overrides: overrides), directory)
    }

    static func entry(_ setting: RealAPISetting, in configuration: RealAPIConfiguration) throws -> SettingEntry {
        try #require(try configuration.entries().first { $0.setting == setting })
    }

    @Test("an empty store: defaults for region and version, nothing for the OAuth app")
    func defaults() throws {
        let (configuration, directory) = try Self.configuration()
        defer { withExtendedLifetime(directory) {} }
        let region = try Self.entry(.region, in: configuration)
        #expect(region.shown == "us" && region.source == .default)
        #expect(try Self.entry(.intercomVersion, in: configuration).shown == "2.14")
        #expect(try Self.entry(.clientID, in: configuration).source == .notSet)
        #expect(try Self.entry(.clientSecret, in: configuration).shown == nil)
        #expect(try configuration.intercomVersion() == IntercomVersion.current)
        #expect(try configuration.region() == .us)
        #expect(try configuration.redirectURL() == nil)
    }

    @Test("authorize-url: app.intercom.com/oauth by default for every region; an https URL kept; anything else refused")
    func authorizeURL() throws {
        let (configuration, directory) = try Self.configuration(SettingOverrides(region: .eu))
        defer { withExtendedLifetime(directory) {} }
        #expect(try configuration.authorizeURL() == "https://app.intercom.com/oauth")
        #expect(try Self.entry(.authorizeURL, in: configuration).source == .default)
        let kept = try configuration.set(.authorizeURL, to: " https://app.eu.intercom.com/oauth ")
        #expect(kept.shown == "https://app.eu.intercom.com/oauth" && kept.source == .store)
        #expect(try configuration.authorizeURL() == "https://app.eu.intercom.com/oauth")
        for bad in [
            "http://app.intercom.com/oauth", "app.intercom.com", "https://app.intercom.com/oauth?x=1", "https://",
        ] {
            #expect(throws: ServiceError.configuration(.authorizeURLInvalid(bad)), "\(bad)") {
                try configuration.set(.authorizeURL, to: bad)
            }
        }
        #expect(try configuration.authorizeURL() == "https://app.eu.intercom.com/oauth")
        _ = try configuration.unset(.authorizeURL)
        #expect(try configuration.authorizeURL() == RealAPIConfiguration.defaultAuthorizeURL)
    }

    @Test("a missing OAuth app is one message naming what to set and where apps are registered")
    func missingSettingsMessage() throws {
        let (configuration, directory) = try Self.configuration()
        defer { withExtendedLifetime(directory) {} }
        do {
            _ = try configuration.oauthClient()
            Issue.record("no OAuth app, yet credentials")
        } catch {
            let text = error.description
            #expect(text.contains("config set client-id") && text.contains("config set client-secret"))
            #expect(text.contains("INTERCOM_CLIENT_ID") && text.contains("Developer Hub"))
            #expect(!text.contains("\n"), "one message, not a stack")
        }
        _ = try configuration.set(.clientID, to: "app-id")
        do {
            _ = try configuration.oauthClient()
        } catch {
            #expect(!error.description.contains("client-id"), "names only what is still missing")
            #expect(error.description.contains("client-secret"))
        }
    }

    @Test("values are checked as Intercom would check them; a refused value leaves the store as it was")
    func validation() throws {
        let (configuration, directory) = try Self.configuration()
        for good in ["https://relink.example.com/cb", "http://127.0.0.1:8123/callback", "https://bücher.example/cb"] {
            #expect(try configuration.set(.redirectURL, to: good).shown == good)
        }
        #expect(try Self.entry(.redirectURL, in: configuration).note == nil)
        _ = try configuration.set(.redirectURL, to: "http://localhost/cb")
        #expect(try Self.entry(.redirectURL, in: configuration).note?.contains("development app") == true)
        for bad in [
            "http://relink.example.com/cb", "https://relink.example.com/cb#top", "not a url", "", "  ",
            "ftp://x.example/cb",
        ] {
            #expect(throws: ServiceError.self, "\(bad)") { try configuration.set(.redirectURL, to: bad) }
        }
        #expect(try configuration.redirectURL() == "http://localhost/cb")

        for good in ["1.0", "2.17", "Unstable", "Preview", " 2.11 "] {
            _ = try configuration.set(.intercomVersion, to: good)
        }
        #expect(try configuration.intercomVersion() == "2.11")
        for bad in ["2.18", "-1", "9223372036854775807", "unstable", "2.14.0", "２.14"] {
            #expect(throws: ServiceError.self, "\(bad)") { try configuration.set(.intercomVersion, to: bad) }
        }
        #expect(try configuration.set(.region, to: "EU").shown == "eu")
        #expect(try configuration.region() == .eu)
        #expect(throws: ServiceError.self) { try configuration.set(.region, to: "mars") }
        #expect(throws: ServiceError.self) { try configuration.set(.clientID, to: "two words") }
        do {
            _ = try configuration.set(.clientSecret, to: "sëcret \(Self.secret)")
            Issue.record("a secret with a space and non-ASCII was kept")
        } catch {
            #expect(!error.description.contains(Self.secret), "a refused secret is not echoed")
        }
        let settings = try String(contentsOf: directory.url.appendingPathComponent("settings.json"), encoding: .utf8)
        #expect(settings.contains("\"eu\"") && settings.contains("2.11"))
    }

    @Test("the client secret is kept only in the 0600 secrets file and is never shown")
    func secretStaysSecret() throws {
        let (configuration, directory) = try Self.configuration()
        _ = try configuration.set(.clientID, to: "app-id")
        let entry = try configuration.set(.clientSecret, to: Self.secret)
        #expect(entry.shown == "[redacted]" && entry.source == .store)
        #expect(
            try configuration.oauthClient() == OAuthClientCredentials(clientID: "app-id", clientSecret: Self.secret))
        var holders: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) {
            let url = directory.url.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            if String(decoding: data, as: UTF8.self).contains(Self.secret) {
                holders.append(name)
                let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(name)")
            }
        }
        #expect(!holders.isEmpty && holders.allSatisfy { $0.hasPrefix("secrets.") }, "\(holders)")
        #expect(try configuration.entries().allSatisfy { $0.shown != Self.secret })
        let store = try Store(directory: directory.url)
        #expect(try store.allSecrets.contains(Self.secret), "exports redact it")

        _ = try configuration.unset(.clientSecret)
        #expect(try Self.entry(.clientSecret, in: configuration).source == .notSet)
    }

    @Test("the environment and --region win over the store, and config says so")
    func overridesWin() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        let stored = RealAPIConfiguration(store: store, overrides: SettingOverrides())
        _ = try stored.set(.clientID, to: "stored-id")
        _ = try stored.set(.redirectURL, to: "https://stored.example/cb")
        _ = try stored.set(.region, to: "au")
        let overridden = RealAPIConfiguration(
            store: store,
            overrides: SettingOverrides(
                clientID: "env-id", clientSecret: Self.secret, redirectURL: "https://env.example/cb", region: .eu))
        let id = try Self.entry(.clientID, in: overridden)
        #expect(id.shown == "env-id" && id.source == .environment && id.overriddenBy == "INTERCOM_CLIENT_ID")
        let secret = try Self.entry(.clientSecret, in: overridden)
        #expect(secret.shown == "[redacted]" && secret.overriddenBy == "INTERCOM_CLIENT_SECRET")
        #expect(try Self.entry(.region, in: overridden).source == .option)
        #expect(try overridden.region() == .eu)
        #expect(try overridden.redirectURL() == "https://env.example/cb")
        #expect(try overridden.oauthClient().clientID == "env-id")
        #expect(try stored.region() == .au)
    }

    @Test("a store from before config: its OAuth client reads as stored, and unset really forgets it")
    func olderStoreOAuthClient() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try store.update { $0.setOAuthClient(OAuthClientCredentials(clientID: "legacy-id", clientSecret: Self.secret)) }
        let configuration = RealAPIConfiguration(store: store, overrides: SettingOverrides())
        #expect(
            try configuration.oauthClient() == OAuthClientCredentials(clientID: "legacy-id", clientSecret: Self.secret))
        #expect(try Self.entry(.clientID, in: configuration).source == .store)

        _ = try configuration.unset(.clientID)
        #expect(try Self.entry(.clientID, in: configuration).source == .notSet)
        #expect(try Self.entry(.clientSecret, in: configuration).source == .store, "the secret part is kept")
        // A reopened store agrees: the legacy record is gone, not shadowed.
        let reopened = RealAPIConfiguration(store: try Store(directory: directory.url), overrides: SettingOverrides())
        #expect(try Self.entry(.clientID, in: reopened).source == .notSet)
        #expect(try reopened.store.oauthClient == nil)
        #expect(try reopened.store.clientSecret == Self.secret)
    }

    @Test("the client secret survives a compaction of the secrets file and a reopen")
    func secretSurvivesCompaction() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false, compactionThreshold: 1))
        let configuration = RealAPIConfiguration(store: store, overrides: SettingOverrides())
        _ = try configuration.set(.clientSecret, to: Self.secret)
        for index in 0..<5 { try store.update { $0.storeToken("fake-token-\(index)", id: "t\(index)") } }
        let reopened = try Store(directory: directory.url)
        #expect(try reopened.clientSecret == Self.secret)
        let snapshot = try String(contentsOf: directory.url.appendingPathComponent("secrets.json"), encoding: .utf8)
        #expect(snapshot.contains(Self.secret), "compacted into the snapshot, not only journaled")
    }

    @Test("a damaged settings.json is named and left as it is")
    func damagedSettings() throws {
        let (configuration, directory) = try Self.configuration()
        let url = directory.url.appendingPathComponent("settings.json")
        let damaged = Data("{\"region\": 7".utf8)
        try damaged.write(to: url)
        #expect(throws: ServiceError.self) { try configuration.entries() }
        do {
            _ = try configuration.set(.region, to: "eu")
            Issue.record("wrote over a damaged settings.json")
        } catch {
            #expect(error.description.contains("settings.json"))
        }
        #expect(try Data(contentsOf: url) == damaged)
    }
}
