import Foundation
import RelinkCore
import Testing

@testable import RelinkCommands

@Suite("config: the words, completion, and a secret kept off the line")
struct ConfigCommandTests {
    static let secret = "Sëcret-Hunter2Zq"

    @Test("config, config set NAME VALUE, config set client-secret, config unset NAME")
    func parses() throws {
        #expect(try CommandParser.parse("config") == .config(.show))
        #expect(try CommandParser.parse("config set region EU") == .config(.set(.region, value: "EU")))
        #expect(
            try CommandParser.parse("config set REDIRECT-URL https://relink.example/cb")
                == .config(.set(.redirectURL, value: "https://relink.example/cb")))
        #expect(try CommandParser.parse("config set client-secret") == .config(.setSecret(.clientSecret)))
        #expect(try CommandParser.parse("config unset intercom-version") == .config(.unset(.intercomVersion)))
    }

    @Test("an unknown setting or a missing value says what is wrong and suggests")
    func usageErrors() {
        #expect(throws: UsageError.self) { try CommandParser.parse("config set region") }
        #expect(throws: UsageError.self) { try CommandParser.parse("config unset") }
        do {
            _ = try CommandParser.parse("config set clinet-id x")
            Issue.record("an unknown setting parsed")
        } catch {
            #expect(error.description.contains("did you mean \"client-id\""))
        }
    }

    @Test(
        "a client secret given on the line is refused without echoing it, and the line never reaches history",
        arguments: [
            "config set client-secret \(secret)", "config set client-secret \"\(secret) more\"",
            "config set client-secret \(secret) extra words", "config set CLIENT-SECRET \(secret)",
            "config set client-secret \"\(secret)",
        ])
    func secretOnTheLine(line: String) {
        do {
            _ = try CommandParser.parse(line)
            Issue.record("a secret on the line parsed: \(line)")
        } catch {
            #expect(!error.description.contains(Self.secret), "\(error.description)")
        }
        #expect(SecretLines.carriesSecret(line, knownSecrets: []))
        #expect(SecretLines.secretValues(in: line).contains { $0.contains(Self.secret) })
    }

    @Test("lines without a secret value are history like any other")
    func plainLinesStay() {
        #expect(!SecretLines.carriesSecret("config set client-secret", knownSecrets: []))
        #expect(!SecretLines.carriesSecret("config set client-id abc", knownSecrets: []))
        #expect(!SecretLines.carriesSecret("config", knownSecrets: []))
    }

    @Test("completion offers the setting names after config set and config unset")
    func completion() {
        let completion = Completion { _ in [] }
        let names = RealAPISetting.allCases.map(\.rawValue)
        #expect(Set(completion.candidates(line: "config set ", word: "")).isSuperset(of: names))
        #expect(completion.candidates(line: "config set red", word: "red").contains("redirect-url"))
        #expect(Set(completion.candidates(line: "config unset ", word: "")).isSuperset(of: names))
        #expect(completion.candidates(line: "config ", word: "").contains("set"))
    }
}
